import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  classesOf,
  containsAccount,
  hasInvalidCharacters,
  isPolicyCode,
  passwordLength,
  policyFrom,
  policyProblem,
  policyRules,
  type PasswordPolicy,
} from './password_policy';

const POLICY: PasswordPolicy = { minLength: 10, maxLength: 20, minClasses: 3, history: 5, maxAgeDays: 90, minAgeDays: 1 };
const states = (pw: string, account: string | null = 'wang.xm', policy = POLICY): Record<string, string> =>
  Object.fromEntries(policyRules(pw, policy, account).map((r) => [r.id, r.state]));

describe('policyFrom', () => {
  it('takes the portal policy as it is', () => {
    expect(policyFrom({ minLength: 12, maxLength: 64, minClasses: 4, history: 5, maxAgeDays: 180, minAgeDays: 1 })).toEqual({
      minLength: 12,
      maxLength: 64,
      minClasses: 4,
      history: 5,
      maxAgeDays: 180,
      minAgeDays: 1,
    });
  });
  it('replaces values that make no sense by the defaults', () => {
    expect(policyFrom(null)).toEqual(DEFAULT_POLICY);
    expect(policyFrom({ minLength: '12', maxLength: -1, minClasses: 7, history: 2.5 })).toEqual(DEFAULT_POLICY);
    // A maximum below the minimum is not believed; the default maximum is never below the minimum.
    expect(policyFrom({ minLength: 200, maxLength: 100 })).toMatchObject({ minLength: 200, maxLength: 200 });
  });
});

describe('the rules one by one', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(passwordLength('密碼ab')).toBe(4);
    expect(passwordLength('😀😀')).toBe(2);
  });
  it('tells the four classes apart as the portal does: a space or 臺北 is a symbol', () => {
    expect([...classesOf('Aa1!')].sort()).toEqual(['digit', 'lower', 'symbol', 'upper']);
    expect([...classesOf('abcdef')]).toEqual(['lower']);
    expect([...classesOf('abc def')].sort()).toEqual(['lower', 'symbol']);
    expect([...classesOf('ABC123')].sort()).toEqual(['digit', 'upper']);
    expect([...classesOf('密碼')]).toEqual(['symbol']);
  });
  it('finds the account in any case', () => {
    expect(containsAccount('my-WANG.Xm-2026', 'wang.xm')).toBe(true);
    expect(containsAccount('MyWangXm2026!', 'wang.xm')).toBe(false);
    expect(containsAccount('anything', '')).toBe(false);
  });
  it('refuses control characters and spaces at the ends', () => {
    expect(hasInvalidCharacters('Abc 123!')).toBe(false);
    expect(hasInvalidCharacters('\u3000Abc123!')).toBe(false); // the portal refuses only ASCII spaces there
    expect(hasInvalidCharacters('Abc123! ')).toBe(true);
    expect(hasInvalidCharacters(' Abc123!')).toBe(true);
    expect(hasInvalidCharacters('Abc123!\n')).toBe(true);
    expect(hasInvalidCharacters('Abc\u0007123!')).toBe(true);
  });
});

describe('policyRules: the checklist that ticks as the person types', () => {
  it('starts with nothing ticked', () => {
    expect(states('')).toEqual({ length: 'unmet', classes: 'unmet', account: 'unmet', history: 'unknown' });
  });
  it('ticks each rule as it is met', () => {
    expect(states('abcdefghij')).toEqual({ length: 'met', classes: 'unmet', account: 'met', history: 'unknown' });
    expect(states('Abcdefghij1')).toMatchObject({ length: 'met', classes: 'met' });
    expect(states('Abc1')).toMatchObject({ length: 'unmet', classes: 'met' });
    expect(states('Abcdefghij1'.repeat(2))).toMatchObject({ length: 'unmet' }); // 22 > 20
  });
  it('unticks the account rule when the account appears, in any case', () => {
    expect(states('x-wang.xm-Z9')).toMatchObject({ account: 'unmet' });
    expect(states('x-Wang.Xm-Z9')).toMatchObject({ account: 'unmet' });
  });
  it('cannot tick the account rule without the account (the reset page)', () => {
    expect(states('Abcdefghij1', null)).toMatchObject({ account: 'unknown' });
  });
  it('names the numbers the rules are drawn with', () => {
    const rules = policyRules('Ab1', POLICY, 'wang.xm');
    expect(rules.map((r) => r.id)).toEqual(['length', 'classes', 'account', 'history']);
    expect(rules[0]!.params).toEqual({ min_length: 10, max_length: 20 });
    expect(rules[1]!.params).toEqual({ min_classes: 3, count: 3 });
    expect(rules[3]!.params).toEqual({ history: 5 });
  });
  it('leaves out rules the policy does not have', () => {
    expect(policyRules('x', { ...POLICY, minClasses: 1, history: 0 }, 'A').map((r) => r.id)).toEqual(['length', 'account']);
  });
});

describe('policyProblem: the first rule broken, as the server would say it', () => {
  it("in the portal's order: characters, length, classes, account, then same as current", () => {
    expect(policyProblem('', POLICY, 'wang.xm')).toEqual({ code: 'PASSWORD_TOO_SHORT', params: { min_length: '10' } });
    expect(policyProblem(' Abcdefgh1!', POLICY, 'wang.xm')).toEqual({ code: 'PASSWORD_CHARACTERS_INVALID', params: {} });
    expect(policyProblem('Ab1\t', POLICY, 'wang.xm')).toEqual({ code: 'PASSWORD_CHARACTERS_INVALID', params: {} }); // before too short
    expect(policyProblem('Abcdefgh1!'.repeat(3), POLICY, 'wang.xm')).toEqual({ code: 'PASSWORD_TOO_LONG', params: { max_length: '20' } });
    expect(policyProblem('abcdefghij1', POLICY, 'wang.xm')).toEqual({ code: 'PASSWORD_TOO_FEW_CLASSES', params: { min_classes: '3' } });
    expect(policyProblem('Wang.xm-2026!', POLICY, 'wang.xm')).toEqual({ code: 'PASSWORD_CONTAINS_ACCOUNT', params: {} });
    expect(policyProblem('Initial-2026!', POLICY, 'wang.xm', 'Initial-2026!')).toEqual({ code: 'PASSWORD_SAME_AS_CURRENT', params: {} });
    expect(policyProblem('Better-2026!', POLICY, 'wang.xm', 'Initial-2026!')).toBeNull();
    expect(policyProblem('Wang.xm-2026!', POLICY, null)).toBeNull(); // no account known: the server checks it
  });
  it('knows which refusals are about the new password itself', () => {
    for (const code of ['PASSWORD_TOO_SHORT', 'PASSWORD_TOO_LONG', 'PASSWORD_TOO_FEW_CLASSES', 'PASSWORD_CONTAINS_ACCOUNT', 'PASSWORD_CHARACTERS_INVALID', 'PASSWORD_REUSED', 'PASSWORD_SAME_AS_CURRENT']) {
      expect(isPolicyCode(code)).toBe(true);
    }
    for (const code of ['PASSWORD_TOO_RECENT', 'PASSWORD_LOGIN_FAILED', 'ACCOUNT_LOCKED', 'RATE_LIMITED']) expect(isPolicyCode(code)).toBe(false);
  });
});
