// The password rules of GET /api/auth/password/policy, checked as the person types: the checklist under the
// new-password field (length, character classes, not containing the account) and, before anything is sent,
// the first rule broken as its catalogue code (PASSWORD_TOO_SHORT …), so the page and the server say the same
// words. The server checks again and alone knows the history (PASSWORD_REUSED) and the minimum age.
// Pure: no DOM, no fetch.

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  /** Of the four classes: capital letters, small letters, digits, symbols. */
  minClasses: number;
  /** How many earlier passwords a new one must differ from. */
  history: number;
  maxAgeDays: number;
  minAgeDays: number;
}

/**
 * What the page assumes until (or unless) the portal's policy arrives: the portal's own defaults
 * (apps/portal password_policy.hpp), which the help pages state.
 */
export const DEFAULT_POLICY: Readonly<PasswordPolicy> = { minLength: 12, maxLength: 128, minClasses: 3, history: 3, maxAgeDays: 90, minAgeDays: 1 };

const whole = (v: unknown, min: number, max: number): number | null =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : null;

/** The server's policy, each value that is not a sensible whole number replaced by the default. */
export function policyFrom(raw: unknown): PasswordPolicy {
  const r = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const minLength = whole(r['minLength'], 1, 1024) ?? DEFAULT_POLICY.minLength;
  const maxLength = whole(r['maxLength'], minLength, 4096) ?? Math.max(DEFAULT_POLICY.maxLength, minLength);
  return {
    minLength,
    maxLength,
    minClasses: whole(r['minClasses'], 0, 4) ?? DEFAULT_POLICY.minClasses,
    history: whole(r['history'], 0, 1000) ?? DEFAULT_POLICY.history,
    maxAgeDays: whole(r['maxAgeDays'], 0, 100000) ?? DEFAULT_POLICY.maxAgeDays,
    minAgeDays: whole(r['minAgeDays'], 0, 100000) ?? DEFAULT_POLICY.minAgeDays,
  };
}

export type CharacterClass = 'upper' | 'lower' | 'digit' | 'symbol';

/** Characters as people count them: "密碼" is 2, an emoji is 1 (code points, not UTF-16 units). */
export function passwordLength(password: string): number {
  return [...password].length;
}

/**
 * Which of the four classes a password uses, counted as the portal counts them: a symbol is anything but an
 * ASCII letter or digit (punctuation, a space, 臺北).
 */
export function classesOf(password: string): Set<CharacterClass> {
  const found = new Set<CharacterClass>();
  for (const ch of password) {
    if (/[A-Z]/.test(ch)) found.add('upper');
    else if (/[a-z]/.test(ch)) found.add('lower');
    else if (/[0-9]/.test(ch)) found.add('digit');
    else found.add('symbol');
  }
  return found;
}

const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** The account name inside the password, in any case of A–Z ("My-Wang.XM" holds the account wang.xm). */
export function containsAccount(password: string, account: string): boolean {
  return account !== '' && asciiLower(password).includes(asciiLower(account));
}

/** Control characters anywhere, or a space at either end (what the portal refuses). */
export function hasInvalidCharacters(password: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(password) || password.startsWith(' ') || password.endsWith(' ');
}

export type RuleId = 'length' | 'classes' | 'account' | 'history';
/** met / unmet as typed; unknown: only the server can tell (the history, or the account on the reset page). */
export type RuleState = 'met' | 'unmet' | 'unknown';

export interface Rule {
  id: RuleId;
  state: RuleState;
  /** For the rule's words (strings.ts), with the catalogue's placeholder names. */
  params: Record<string, number>;
}

/**
 * The checklist for what is typed now, in the order it is shown. `account` is null where the page does not
 * know it (the reset link names no account): that rule is then listed but cannot be ticked.
 */
export function policyRules(password: string, policy: PasswordPolicy, account: string | null): Rule[] {
  const length = passwordLength(password);
  const count = classesOf(password).size;
  const rules: Rule[] = [
    {
      id: 'length',
      state: length >= policy.minLength && length <= policy.maxLength ? 'met' : 'unmet',
      params: { min_length: policy.minLength, max_length: policy.maxLength },
    },
  ];
  if (policy.minClasses > 1) rules.push({ id: 'classes', state: count >= policy.minClasses ? 'met' : 'unmet', params: { min_classes: policy.minClasses, count } });
  rules.push({
    id: 'account',
    state: account === null ? 'unknown' : password !== '' && !containsAccount(password, account) ? 'met' : 'unmet',
    params: {},
  });
  if (policy.history > 0) rules.push({ id: 'history', state: 'unknown', params: { history: policy.history } });
  return rules;
}

export type PolicyCode =
  | 'PASSWORD_CHARACTERS_INVALID'
  | 'PASSWORD_TOO_SHORT'
  | 'PASSWORD_TOO_LONG'
  | 'PASSWORD_TOO_FEW_CLASSES'
  | 'PASSWORD_CONTAINS_ACCOUNT'
  | 'PASSWORD_SAME_AS_CURRENT';

/** The first rule a new password breaks, as the catalogue code the server would answer, or null. */
export function policyProblem(
  password: string,
  policy: PasswordPolicy,
  account: string | null,
  current: string | null = null,
): { code: PolicyCode; params: Record<string, string> } | null {
  // In the portal's order (apps/portal password_policy.cpp), so both name the same rule first.
  if (hasInvalidCharacters(password)) return { code: 'PASSWORD_CHARACTERS_INVALID', params: {} };
  const length = passwordLength(password);
  if (length < policy.minLength) return { code: 'PASSWORD_TOO_SHORT', params: { min_length: String(policy.minLength) } };
  if (length > policy.maxLength) return { code: 'PASSWORD_TOO_LONG', params: { max_length: String(policy.maxLength) } };
  if (classesOf(password).size < policy.minClasses) return { code: 'PASSWORD_TOO_FEW_CLASSES', params: { min_classes: String(policy.minClasses) } };
  if (account !== null && containsAccount(password, account)) return { code: 'PASSWORD_CONTAINS_ACCOUNT', params: {} };
  if (current !== null && password === current) return { code: 'PASSWORD_SAME_AS_CURRENT', params: {} };
  return null;
}

const POLICY_CODES: ReadonlySet<string> = new Set([
  'PASSWORD_CHARACTERS_INVALID',
  'PASSWORD_TOO_SHORT',
  'PASSWORD_TOO_LONG',
  'PASSWORD_TOO_FEW_CLASSES',
  'PASSWORD_CONTAINS_ACCOUNT',
  'PASSWORD_SAME_AS_CURRENT',
  'PASSWORD_REUSED',
]);

/**
 * A refusal about the new password itself (422): shown next to the new-password field. PASSWORD_TOO_RECENT is
 * about when, not what: it goes to the form's alert.
 */
export function isPolicyCode(code: string): boolean {
  return POLICY_CODES.has(code);
}
