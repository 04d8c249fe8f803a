import { describe, expect, it } from 'vitest';
import { HELP_TOPICS, allStringKeys, helpFor, helpHref, isStringKey, t } from './strings';

describe('strings', () => {
  it('has every key in both languages, none empty', () => {
    for (const key of allStringKeys()) {
      expect(t(key, 'zh-TW').trim()).not.toBe('');
      expect(t(key, 'en').trim()).not.toBe('');
    }
  });

  it('uses the seed wording on the login page', () => {
    expect(t('pinPlaceholder', 'zh-TW')).toBe('請輸入PinCode');
    expect(t('nhiPasswordPlaceholder', 'zh-TW')).toBe('請輸入健保卡註冊密碼');
    expect(t('fidoIdPlaceholder', 'zh-TW')).toBe('請輸入身分證字號');
    expect(t('accountPlaceholder', 'zh-TW')).toBe('請輸入eCPA帳號');
    expect(t('passwordPlaceholder', 'zh-TW')).toBe('請輸入密碼');
    expect(t('notBoundTitle', 'zh-TW') + ' ' + t('notBoundBody', 'zh-TW')).toBe('帳號資訊不存在 若是您最近更新卡片,請依網頁導引更新憑證。');
    expect(t('notice', 'zh-TW').startsWith('本系統之個人資料僅供作必要人事資料管理之用,')).toBe(true);
    expect(t('noTodos', 'zh-TW')).toBe('本日無待辦事項');
  });

  it('knows its keys only', () => {
    expect(isStringKey('login')).toBe(true);
    expect(isStringKey('constructor')).toBe(false);
    expect(isStringKey('toString')).toBe(false);
  });

  it('lists the ten help topics of the seed with distinct slugs', () => {
    expect(HELP_TOPICS).toHaveLength(10);
    expect(new Set(HELP_TOPICS.map((h) => h.slug)).size).toBe(10);
    expect(HELP_TOPICS.map((h) => t(h.key, 'zh-TW'))).toContain('MAC及Linux跨平台網站元件');
    for (const h of HELP_TOPICS) expect(helpHref(h.slug)).toMatch(/^\/help\/[a-z-]+\.html$/);
  });

  it('points errors at the help that answers them', () => {
    expect(helpFor('COMPONENT_NOT_RUNNING')?.slug).toBe('cross-platform-component');
    expect(helpFor('READER_NOT_FOUND')?.slug).toBe('card-driver');
    expect(helpFor('CARD_PIN_LOCKED')?.slug).toBe('faq');
    expect(helpFor('CSRF_INVALID')).toBeNull();
  });
});
