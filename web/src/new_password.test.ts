import { describe, expect, it } from 'vitest';
import { checkNewPassword, problemFromServer, ruleWords } from './new_password';
import { policyRules, type PasswordPolicy } from './password_policy';

const POLICY: PasswordPolicy = { minLength: 8, maxLength: 64, minClasses: 3, history: 3, maxAgeDays: 90, minAgeDays: 0 };
const shown = (code: string, params: Record<string, string> = {}) => ({ code, params, serverText: null, traceId: '' });

describe('checkNewPassword', () => {
  it('lets a good pair through', () => {
    expect(checkNewPassword({ newPassword: 'Spring-2026', confirmPassword: 'Spring-2026' }, POLICY, 'wang.xm', 'Initial-1')).toBeNull();
  });
  it('puts a broken rule next to the new password, as its catalogue code', () => {
    expect(checkNewPassword({ newPassword: 'short', confirmPassword: 'short' }, POLICY, 'wang.xm')).toEqual({
      field: 'newPassword',
      error: { code: 'PASSWORD_TOO_SHORT', params: { min_length: '8' }, serverText: null, traceId: '' },
    });
    expect(checkNewPassword({ newPassword: 'wang.xm-2026A', confirmPassword: 'wang.xm-2026A' }, POLICY, 'wang.xm')).toMatchObject({
      field: 'newPassword',
      error: { code: 'PASSWORD_CONTAINS_ACCOUNT' },
    });
    expect(checkNewPassword({ newPassword: 'Initial-1', confirmPassword: 'Initial-1' }, POLICY, 'wang.xm', 'Initial-1')).toMatchObject({
      error: { code: 'PASSWORD_SAME_AS_CURRENT' },
    });
  });
  it('catches an empty or different confirmation on the page, in its own words', () => {
    expect(checkNewPassword({ newPassword: 'Spring-2026', confirmPassword: '' }, POLICY, null)).toEqual({ field: 'confirmPassword', note: 'confirmEmpty' });
    expect(checkNewPassword({ newPassword: 'Spring-2026', confirmPassword: 'Spring-2025' }, POLICY, null)).toEqual({ field: 'confirmPassword', note: 'passwordMismatch' });
    // The policy speaks first: a short password is fixed before its confirmation matters.
    expect(checkNewPassword({ newPassword: 'abc', confirmPassword: 'abd' }, POLICY, null)?.field).toBe('newPassword');
  });
});

describe('problemFromServer', () => {
  it('places policy refusals at the new password, the rest in the form', () => {
    expect(problemFromServer(shown('PASSWORD_REUSED', { history: '3' }))).toEqual({ field: 'newPassword', error: shown('PASSWORD_REUSED', { history: '3' }) });
    expect(problemFromServer(shown('RATE_LIMITED'))).toBeNull();
    expect(problemFromServer(shown('PASSWORD_TOO_RECENT'))).toBeNull();
  });
});

describe('ruleWords', () => {
  it('writes each rule with its numbers and its state, in both languages', () => {
    const rules = policyRules('Abc', POLICY, 'wang.xm');
    expect(rules.map((r) => ruleWords(r, 'zh-TW'))).toEqual([
      { status: '尚未符合:', text: '長度 8 至 64 個字元' },
      { status: '尚未符合:', text: '包含大寫英文字母、小寫英文字母、數字、符號其中至少 3 種(目前 2 種)' },
      { status: '已符合:', text: '不包含帳號名稱' },
      { status: '送出後由系統檢查:', text: '與最近 3 次用過的密碼都不同' },
    ]);
    expect(ruleWords(rules[0]!, 'en')).toEqual({ status: 'Not yet: ', text: '8 to 64 characters' });
    for (const r of rules) expect(ruleWords(r, 'en').text).not.toMatch(/[{}]/);
  });
});
