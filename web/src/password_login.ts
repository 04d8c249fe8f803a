// 帳號密碼登入 (issue 12) as a small state machine: account + password → the dashboard, or, when the portal
// answers 403 PASSWORD_CHANGE_REQUIRED (an initial password from HR, or an expired one), the 變更密碼 form
// in the same panel. The password just typed is kept in this object's memory for that change only (never
// in the page), and forgotten on success, on 取消 and when the change sends the person back to log in.
// login_page.ts draws the state and forwards the form's events.

import { ApiError, safeLocalPath, type PortalApi } from './api';
import { Flow } from './flow';
import { checkAccountName } from './identifiers';
import { toShown, type ShownError } from './login';
import { checkNewPassword, problemFromServer, type FieldProblem, type NewPasswordInput } from './new_password';
import type { PasswordPolicy } from './password_policy';
import type { StringKey } from './strings';

export type PasswordField = 'account' | 'password' | 'form';
export type ChangeReason = 'initial' | 'expired';

export type PasswordState =
  /** The login form; error: a catalogue code; note: the page's own words (an empty field). */
  | { kind: 'login'; error?: ShownError; note?: StringKey; field?: PasswordField }
  | { kind: 'loginBusy' }
  /** The 變更密碼 form; problem: next to a field; error: the form's alert. */
  | { kind: 'change'; account: string; reason: ChangeReason; problem?: FieldProblem; error?: ShownError }
  | { kind: 'changeBusy'; account: string; reason: ChangeReason }
  | { kind: 'loggedIn'; redirect: string };

export type PasswordApi = Pick<PortalApi, 'passwordLogin' | 'passwordChange'>;

const pad = (n: number): string => String(n).padStart(2, '0');

/** An instant as Taiwan's clocks show it (UTC+8, no daylight saving): "2026-12-04 21:15", or null. */
export function taiwanTime(iso: string): string | null {
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(ms)) return null;
  const d = new Date(ms + 8 * 3600 * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * ACCOUNT_LOCKED names its end as unlock_at (Taiwan time text) for the catalogue's {unlock_at}; should only the
 * ISO instant come, the page writes the text itself, so the message never shows a bare placeholder.
 */
export function withUnlockTime(e: ShownError): ShownError {
  if (e.code !== 'ACCOUNT_LOCKED' || (e.params['unlock_at'] ?? '') !== '') return e;
  const text = taiwanTime(e.params['unlockAt'] ?? '');
  return text === null ? e : { ...e, params: { ...e.params, unlock_at: text } };
}

/** Which login field an error is about, so focus goes there. */
export function passwordFieldOf(code: string): PasswordField {
  if (code === 'ACCOUNT_NAME_INVALID') return 'account';
  if (code === 'PASSWORD_LOGIN_FAILED') return 'password';
  return 'form';
}

export class PasswordFlow extends Flow<PasswordState> {
  /** The password just accepted as correct but due for change; only while the change form is up. */
  private current: string | null = null;

  constructor(private readonly api: PasswordApi) {
    super({ kind: 'login' });
  }

  /** 登入: the account is folded and checked here; an empty password is refused without a request. */
  login(account: string, password: string): Promise<void> {
    if (this.state.kind !== 'login') return Promise.resolve();
    const name = checkAccountName(account);
    if (!name.ok) {
      this.set(name.empty ? { kind: 'login', note: 'accountEmpty', field: 'account' } : { kind: 'login', error: toShown(new ApiError(name.code, 400)), field: 'account' });
      return Promise.resolve();
    }
    if (password === '') {
      this.set({ kind: 'login', note: 'passwordEmpty', field: 'password' });
      return Promise.resolve();
    }
    this.set({ kind: 'loginBusy' });
    return this.runLogin(name.value, password);
  }

  private async runLogin(account: string, password: string): Promise<void> {
    try {
      const done = await this.api.passwordLogin(account, password);
      this.set({ kind: 'loggedIn', redirect: safeLocalPath(done.redirect, '/dashboard.html') });
    } catch (e) {
      const shown = withUnlockTime(toShown(e));
      if (shown.code === 'PASSWORD_CHANGE_REQUIRED') {
        this.current = password;
        this.set({ kind: 'change', account, reason: shown.params['reason'] === 'expired' ? 'expired' : 'initial' });
        return;
      }
      this.set({ kind: 'login', error: shown, field: passwordFieldOf(shown.code) });
    }
  }

  /** 變更密碼: policy and confirmation checked here, then the portal logs the person in with the new one. */
  change(input: NewPasswordInput, policy: PasswordPolicy): Promise<void> {
    const s = this.state;
    if (s.kind !== 'change' || this.current === null) return Promise.resolve();
    const { account, reason } = s;
    const problem = checkNewPassword(input, policy, account, this.current);
    if (problem) {
      this.set({ kind: 'change', account, reason, problem });
      return Promise.resolve();
    }
    this.set({ kind: 'changeBusy', account, reason });
    return this.runChange(account, reason, this.current, input.newPassword);
  }

  private async runChange(account: string, reason: ChangeReason, current: string, next: string): Promise<void> {
    try {
      const done = await this.api.passwordChange(account, current, next);
      this.current = null;
      this.set({ kind: 'loggedIn', redirect: safeLocalPath(done.redirect, '/dashboard.html') });
    } catch (e) {
      const shown = withUnlockTime(toShown(e));
      // The current password no longer opens the account (changed elsewhere, or locked meanwhile): log in again.
      if (shown.code === 'PASSWORD_LOGIN_FAILED' || shown.code === 'ACCOUNT_LOCKED') {
        this.current = null;
        this.set({ kind: 'login', error: shown, field: passwordFieldOf(shown.code) });
        return;
      }
      const problem = problemFromServer(shown);
      this.set(problem ? { kind: 'change', account, reason, problem } : { kind: 'change', account, reason, error: shown });
    }
  }

  /** 取消 on the change form: back to the login form, the old password forgotten. */
  cancelChange(): void {
    if (this.state.kind !== 'change') return;
    this.current = null;
    this.set({ kind: 'login' });
  }

  /** Whether a password is held for the change (for the tests: it must be gone after every way out). */
  holdsPassword(): boolean {
    return this.current !== null;
  }
}
