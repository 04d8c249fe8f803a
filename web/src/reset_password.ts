// 重設密碼 (reset-password.html): the link in the mail carries a one-time token in its fragment
// (#token=<43 base64url characters>), which never reaches a server log or a Referer. The page reads it once,
// removes it from the address bar at once (a screenshot, a shared screen or the history must not show it),
// keeps it in memory, asks the new password twice and sends both to POST /api/auth/password/reset.
// Pure state machine; reset_password_page.ts draws it.

import { ApiError, type PortalApi } from './api';
import { Flow } from './flow';
import { toShown, type ShownError } from './login';
import { checkNewPassword, problemFromServer, type FieldProblem, type NewPasswordInput } from './new_password';
import type { PasswordPolicy } from './password_policy';

/** The token of "#token=…", or null when the fragment holds none in the expected form. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token !== null && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}

export interface AddressBar {
  readonly hash: string;
  readonly pathname: string;
  readonly search: string;
}

/** Reads the token and takes the fragment off the address without a new history entry or a reload. */
export function takeResetToken(location: AddressBar, replaceUrl: (url: string) => void): string | null {
  const token = tokenFromHash(location.hash);
  if (location.hash !== '') replaceUrl(location.pathname + location.search);
  return token;
}

export type ResetState =
  | { kind: 'form'; problem?: FieldProblem; error?: ShownError }
  | { kind: 'busy' }
  | { kind: 'done' }
  /** RESET_LINK_INVALID (unknown, used, or no token at all) or RESET_LINK_EXPIRED: a new link is needed. */
  | { kind: 'linkBroken'; error: ShownError };

export class ResetFlow extends Flow<ResetState> {
  constructor(
    private readonly api: Pick<PortalApi, 'resetPassword'>,
    private readonly token: string | null,
  ) {
    super(token === null ? { kind: 'linkBroken', error: toShown(new ApiError('RESET_LINK_INVALID', 400)) } : { kind: 'form' });
  }

  /** 重設密碼: the reset link names no account, so the account rule is the server's to check. */
  submit(input: NewPasswordInput, policy: PasswordPolicy): Promise<void> {
    if (this.state.kind !== 'form' || this.token === null) return Promise.resolve();
    const problem = checkNewPassword(input, policy, null);
    if (problem) {
      this.set({ kind: 'form', problem });
      return Promise.resolve();
    }
    this.set({ kind: 'busy' });
    return this.run(this.token, input.newPassword);
  }

  private async run(token: string, next: string): Promise<void> {
    try {
      await this.api.resetPassword(token, next);
      this.set({ kind: 'done' });
    } catch (e) {
      const shown = toShown(e);
      if (shown.code === 'RESET_LINK_INVALID' || shown.code === 'RESET_LINK_EXPIRED') {
        this.set({ kind: 'linkBroken', error: shown });
        return;
      }
      const problem = problemFromServer(shown);
      this.set(problem ? { kind: 'form', problem } : { kind: 'form', error: shown });
    }
  }
}
