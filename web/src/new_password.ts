// The "new password, twice" part that the forced change (login page) and the reset page share: what is
// wrong before anything is sent, and where each refusal is shown. Pure.

import { ApiError } from './api';
import { fillPlaceholders, type Lang } from './i18n';
import { toShown, type ShownError } from './login';
import { isPolicyCode, policyProblem, type PasswordPolicy, type Rule, type RuleId } from './password_policy';
import { t, type StringKey } from './strings';

export type NewPasswordField = 'newPassword' | 'confirmPassword';

/**
 * What is wrong with one field: a catalogue error (a policy code, from the page or the server) or the page's
 * own words (note) for what only the page can tell, such as two entries that differ.
 */
export interface FieldProblem {
  field: NewPasswordField;
  error?: ShownError;
  note?: StringKey;
}

export interface NewPasswordInput {
  newPassword: string;
  confirmPassword: string;
}

/**
 * The first problem of the two fields, or null when the pair may be sent. The new password is checked against
 * the policy first (the checklist shows the same rules), then the confirmation. `account` / `current` are
 * null where the page does not know them.
 */
export function checkNewPassword(input: NewPasswordInput, policy: PasswordPolicy, account: string | null, current: string | null = null): FieldProblem | null {
  const broken = policyProblem(input.newPassword, policy, account, current);
  if (broken) return { field: 'newPassword', error: toShown(new ApiError(broken.code, 422, broken.params)) };
  if (input.confirmPassword === '') return { field: 'confirmPassword', note: 'confirmEmpty' };
  if (input.confirmPassword !== input.newPassword) return { field: 'confirmPassword', note: 'passwordMismatch' };
  return null;
}

/** A server refusal about the new password sits next to its field; anything else is the form's. */
export function problemFromServer(e: ShownError): FieldProblem | null {
  return isPolicyCode(e.code) ? { field: 'newPassword', error: e } : null;
}

const RULE_KEYS: Readonly<Record<RuleId, StringKey>> = { length: 'ruleLength', classes: 'ruleClasses', account: 'ruleAccount', history: 'ruleHistory' };
const STATE_KEYS: Readonly<Record<Rule['state'], StringKey>> = { met: 'ruleMet', unmet: 'ruleUnmet', unknown: 'ruleUnknown' };

/** One checklist line: the state in words (read by screen readers; the tick is drawn by CSS) and the rule. */
export function ruleWords(rule: Rule, lang: Lang): { status: string; text: string } {
  return { status: t(STATE_KEYS[rule.state], lang), text: fillPlaceholders(t(RULE_KEYS[rule.id], lang), rule.params) };
}
