import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import type { PasswordPolicy } from './password_policy';
import { ResetFlow, takeResetToken, tokenFromHash, type ResetState } from './reset_password';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';
const POLICY: PasswordPolicy = { minLength: 8, maxLength: 64, minClasses: 3, history: 3, maxAgeDays: 90, minAgeDays: 0 };
const good = { newPassword: 'Spring-2026', confirmPassword: 'Spring-2026' };

describe('tokenFromHash', () => {
  it('reads #token=<43 base64url characters>', () => {
    expect(TOKEN).toHaveLength(43);
    expect(tokenFromHash(`#token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromHash(`token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromHash(`#x=1&token=${TOKEN}`)).toBe(TOKEN);
  });
  it('refuses anything else', () => {
    for (const bad of ['', '#', '#token=', `#token=${TOKEN}x`, `#token=${TOKEN.slice(1)}`, `#token=${TOKEN.slice(1)}=`, `#token=${TOKEN.slice(2)}+/`, `#t=${TOKEN}`]) {
      expect(tokenFromHash(bad)).toBeNull();
    }
  });
});

describe('takeResetToken', () => {
  it('returns the token and takes the fragment off the address, keeping path and query', () => {
    const replaced: string[] = [];
    const token = takeResetToken({ hash: `#token=${TOKEN}`, pathname: '/reset-password.html', search: '?lang=en' }, (u) => replaced.push(u));
    expect(token).toBe(TOKEN);
    expect(replaced).toEqual(['/reset-password.html?lang=en']);
  });
  it('clears a broken fragment too, and leaves a clean address alone', () => {
    const replaced: string[] = [];
    expect(takeResetToken({ hash: '#token=short', pathname: '/reset-password.html', search: '' }, (u) => replaced.push(u))).toBeNull();
    expect(takeResetToken({ hash: '', pathname: '/reset-password.html', search: '' }, (u) => replaced.push(u))).toBeNull();
    expect(replaced).toEqual(['/reset-password.html']);
  });
});

function fake(token: string | null, answer: () => { reset: boolean; message: string } = () => ({ reset: true, message: '密碼已重設' })) {
  const calls: string[] = [];
  const flow = new ResetFlow(
    {
      resetPassword: (t, p) => {
        calls.push(`${t}|${p}`);
        try {
          return Promise.resolve(answer());
        } catch (e) {
          return Promise.reject(e);
        }
      },
    },
    token,
  );
  const states: ResetState[] = [];
  flow.subscribe((s) => states.push(s));
  return { calls, flow, states };
}

describe('ResetFlow', () => {
  it('sends the token and the new password, then says 密碼已重設', async () => {
    const { calls, flow, states } = fake(TOKEN);
    expect(flow.state).toEqual({ kind: 'form' });
    const done = flow.submit(good, POLICY);
    expect(flow.state.kind).toBe('busy');
    await done;
    expect(calls).toEqual([`${TOKEN}|Spring-2026`]);
    expect(states.map((s) => s.kind)).toEqual(['busy', 'done']);
    await flow.submit(good, POLICY);
    expect(calls).toHaveLength(1);
  });

  it('without a token the link is broken from the start, and nothing can be sent', async () => {
    const { calls, flow } = fake(null);
    expect(flow.state).toMatchObject({ kind: 'linkBroken', error: { code: 'RESET_LINK_INVALID' } });
    await flow.submit(good, POLICY);
    expect(calls).toEqual([]);
  });

  it('checks the policy and the confirmation first (no account known: the server checks that rule)', async () => {
    const { calls, flow } = fake(TOKEN);
    await flow.submit({ newPassword: 'abcdefgh', confirmPassword: 'abcdefgh' }, POLICY);
    expect(flow.state).toMatchObject({ kind: 'form', problem: { field: 'newPassword', error: { code: 'PASSWORD_TOO_FEW_CLASSES', params: { min_classes: '3' } } } });
    await flow.submit({ newPassword: 'Spring-2026', confirmPassword: 'spring-2026' }, POLICY);
    expect(flow.state).toEqual({ kind: 'form', problem: { field: 'confirmPassword', note: 'passwordMismatch' } });
    expect(calls).toEqual([]);
  });

  it('explains a used or expired link', async () => {
    for (const [code, status] of [
      ['RESET_LINK_INVALID', 400],
      ['RESET_LINK_EXPIRED', 410],
    ] as const) {
      const { flow } = fake(TOKEN, () => {
        throw new ApiError(code, status);
      });
      await flow.submit(good, POLICY);
      expect(flow.state).toMatchObject({ kind: 'linkBroken', error: { code } });
    }
  });

  it('shows server policy codes at the field and other trouble in the form', async () => {
    const reused = fake(TOKEN, () => {
      throw new ApiError('PASSWORD_CONTAINS_ACCOUNT', 422);
    });
    await reused.flow.submit(good, POLICY);
    expect(reused.flow.state).toMatchObject({ kind: 'form', problem: { field: 'newPassword', error: { code: 'PASSWORD_CONTAINS_ACCOUNT' } } });
    const limited = fake(TOKEN, () => {
      throw new ApiError('RATE_LIMITED', 429, { retry_after: '5' });
    });
    await limited.flow.submit(good, POLICY);
    expect(limited.flow.state).toMatchObject({ kind: 'form', error: { code: 'RATE_LIMITED', params: { retry_after: '5' } } });
  });
});
