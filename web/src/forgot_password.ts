// 忘記密碼 (forgot-password.html): account, ID number and the e-mail address in the personnel record →
// POST /api/auth/password/forgot → always the same neutral confirmation, whether or not the three match a
// record, so the page tells nobody which accounts exist. Only malformed input is refused, on the page first.
// Pure state machine; forgot_password_page.ts draws it.

import { ApiError, type PortalApi } from './api';
import { Flow } from './flow';
import { checkAccountName, checkEmail } from './identifiers';
import { toShown, type ShownError } from './login';
import { checkNationalId } from './national_id';
import type { StringKey } from './strings';

export type ForgotField = 'account' | 'nationalId' | 'email' | 'form';

export type ForgotState =
  | { kind: 'form'; error?: ShownError; note?: StringKey; field?: ForgotField }
  | { kind: 'busy' }
  /**
   * The request went out; what the page says does not depend on whether a mail was sent. `message`: the
   * portal's own wording of it (in the page's language, naming the link's configured lifetime).
   */
  | { kind: 'sent'; message?: string };

export interface ForgotInput {
  account: string;
  nationalId: string;
  email: string;
}

/** The three values as they will be sent (folded), or the first field that is wrong and why. */
export function checkForgotInput(
  input: ForgotInput,
): { ok: true; value: ForgotInput } | { ok: false; field: Exclude<ForgotField, 'form'>; error?: ShownError; note?: StringKey } {
  const account = checkAccountName(input.account);
  if (!account.ok) return account.empty ? { ok: false, field: 'account', note: 'accountEmpty' } : { ok: false, field: 'account', error: toShown(new ApiError(account.code, 400)) };
  const id = checkNationalId(input.nationalId);
  if (!id.ok) return { ok: false, field: 'nationalId', error: toShown(new ApiError(id.code, 400)) };
  const email = checkEmail(input.email);
  if (!email.ok) return email.empty ? { ok: false, field: 'email', note: 'emailEmpty' } : { ok: false, field: 'email', error: toShown(new ApiError(email.code, 400)) };
  return { ok: true, value: { account: account.value, nationalId: id.value, email: email.value } };
}

/** Which field a server refusal is about. */
export function forgotFieldOf(code: string): ForgotField {
  if (code === 'ACCOUNT_NAME_INVALID') return 'account';
  if (code.startsWith('NATIONAL_ID_')) return 'nationalId';
  if (code === 'EMAIL_INVALID') return 'email';
  return 'form';
}

export class ForgotFlow extends Flow<ForgotState> {
  constructor(private readonly api: Pick<PortalApi, 'forgotPassword'>) {
    super({ kind: 'form' });
  }

  submit(input: ForgotInput): Promise<void> {
    if (this.state.kind !== 'form') return Promise.resolve();
    const checked = checkForgotInput(input);
    if (!checked.ok) {
      const { field, error, note } = checked;
      this.set({ kind: 'form', field, ...(error ? { error } : {}), ...(note ? { note } : {}) });
      return Promise.resolve();
    }
    this.set({ kind: 'busy' });
    return this.run(checked.value);
  }

  private async run(v: ForgotInput): Promise<void> {
    try {
      const answer = await this.api.forgotPassword(v.account, v.nationalId, v.email);
      const message = typeof answer.message === 'string' && answer.message.trim() !== '' ? answer.message : undefined;
      this.set(message ? { kind: 'sent', message } : { kind: 'sent' });
    } catch (e) {
      const shown = toShown(e);
      this.set({ kind: 'form', error: shown, field: forgotFieldOf(shown.code) });
    }
  }

  /** 重新填寫: the form again (a typo in the e-mail address, a second request later). */
  again(): void {
    if (this.state.kind === 'sent') this.set({ kind: 'form' });
  }
}
