import { describe, expect, it } from 'vitest';
import { HELP_PAGES, HELP_TOPICS, allStringKeys, downloadsFor, faqHref, helpFor, helpHref, isStringKey, safeUrl, t } from './strings';

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

  it('says the forgot-password confirmation and the reset result in the agreed words', () => {
    expect(t('forgotSent', 'zh-TW')).toBe('若資料正確,重設密碼的連結已寄到您登記的電子郵件,30 分鐘內有效。');
    expect(t('resetDone', 'zh-TW')).toBe('密碼已重設,請以新密碼登入。');
    expect(t('changeTitle', 'zh-TW')).toBe('變更密碼');
    expect(t('bindTitleAgency', 'zh-TW')).toBe('機關憑證檢測');
    expect(t('changeReasonInitial', 'zh-TW')).not.toBe(t('changeReasonExpired', 'zh-TW'));
    expect(t('changeReasonInitial', 'en')).not.toBe(t('changeReasonExpired', 'en'));
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
    expect(helpFor('PASSWORD_CHANGE_REQUIRED')?.slug).toBe('first-login');
    expect(helpFor('ACCOUNT_LOCKED')?.slug).toBe('forgot-password');
    expect(helpFor('RESET_LINK_EXPIRED')?.slug).toBe('forgot-password');
    for (const code of ['AGENCY_CODE_INVALID', 'AGENCY_UNKNOWN', 'AGENCY_OID_MISMATCH', 'AGENCY_NO_OFFICER', 'AGENCY_OID_MISSING', 'CERT_WRONG_ROUTE']) {
      expect(helpFor(code)?.slug).toBe('agency-certificate');
    }
  });

  it('serves a page for every topic plus the dashboard’s 新手上路 and 使用手冊', () => {
    expect(HELP_PAGES.map((h) => h.slug)).toEqual(expect.arrayContaining([...HELP_TOPICS.map((h) => h.slug), 'getting-started', 'manual']));
    expect(faqHref('CARD_PIN_LOCKED')).toBe('/help/faq.html#code-CARD_PIN_LOCKED');
  });

  it('offers downloads for component problems, and only safe addresses', () => {
    expect(downloadsFor('COMPONENT_NOT_RUNNING').map((d) => d.name)).toEqual(['ecpa-agent', 'official-component', 'card-driver']);
    expect(downloadsFor('COMPONENT_TOO_OLD').map((d) => d.name)).toContain('official-component');
    expect(downloadsFor('READER_NOT_FOUND').map((d) => d.name)).toEqual(['card-driver']);
    expect(downloadsFor('CSRF_INVALID')).toEqual([]);
    expect(safeUrl('https://moica.nat.gov.tw/download_1.html')).toBe('https://moica.nat.gov.tw/download_1.html');
    expect(safeUrl('/help/card-driver.html')).toBe('/help/card-driver.html');
    for (const bad of ['javascript:alert(1)', '//evil.example/x', 'data:text/html,x', '', null, undefined, 'not a url']) expect(safeUrl(bad)).toBeNull();
  });
});
