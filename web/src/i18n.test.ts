import { describe, expect, it } from 'vitest';
import { describeError, fillPlaceholders, knownCodes, pickLang } from './i18n';

describe('describeError', () => {
  it('gives the catalogue text in both languages', () => {
    const zh = describeError('NATIONAL_ID_CHECKSUM', 'zh-TW');
    const en = describeError('NATIONAL_ID_CHECKSUM', 'en');
    expect(zh.message).toContain('檢查碼');
    expect(en.message).toContain('check digit');
    expect(zh.action).not.toBe('');
  });

  it('fills placeholders', () => {
    expect(describeError('RATE_LIMITED', 'en', { retry_after: 30 }).action).toContain('30 seconds');
    expect(describeError('RATE_LIMITED', 'zh-TW', { retry_after: 30 }).action).toContain('30 秒');
  });

  it('reads unknown codes and comment keys as a generic failure', () => {
    const internal = describeError('INTERNAL_ERROR', 'en').message;
    expect(describeError('NO_SUCH_CODE', 'en').message).toBe(internal);
    expect(describeError('_comment', 'en').message).toBe(internal);
    expect(describeError('constructor', 'en').message).toBe(internal);
  });
});

describe('fillPlaceholders', () => {
  it('keeps unknown placeholders', () => {
    expect(fillPlaceholders('{a} {b}', { a: 1 })).toBe('1 {b}');
  });
});

describe('pickLang', () => {
  it('prefers whichever of zh and en comes first, zh-TW by default', () => {
    expect(pickLang(['en-US', 'zh-TW'])).toBe('en');
    expect(pickLang(['zh-TW', 'en'])).toBe('zh-TW');
    expect(pickLang(['fr'])).toBe('zh-TW');
    expect(pickLang([])).toBe('zh-TW');
  });
});

describe('knownCodes', () => {
  it('lists the codes and only the codes', () => {
    expect(knownCodes()).toContain('INTERNAL_ERROR');
    expect(knownCodes().every((c) => /^[A-Z][A-Z0-9_]*$/.test(c))).toBe(true);
  });
});
