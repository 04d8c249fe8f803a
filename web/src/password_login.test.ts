import { describe, expect, it } from 'vitest';
import { ApiError, type LoginDone } from './api';
import { PasswordFlow, passwordFieldOf, taiwanTime, withUnlockTime, type PasswordApi, type PasswordState } from './password_login';
import type { PasswordPolicy } from './password_policy';

const POLICY: PasswordPolicy = { minLength: 8, maxLength: 64, minClasses: 3, history: 3, maxAgeDays: 90, minAgeDays: 0 };
const PERSON = { name: '王小明', agency: '行政院人事行政總處', title: '科員', maskedId: 'A12****789', method: 'password' };
const DONE: LoginDone = { person: PERSON, redirect: '/dashboard.html' };

type Answer = () => LoginDone;
function fake(answers: { login?: Answer[]; change?: Answer[] } = {}) {
  const calls: string[] = [];
  const next = (list: Answer[] | undefined): Promise<LoginDone> => {
    const f = list?.shift();
    try {
      return Promise.resolve(f ? f() : DONE);
    } catch (e) {
      return Promise.reject(e);
    }
  };
  const api: PasswordApi = {
    passwordLogin: (account, password) => {
      calls.push(`login:${account}:${password}`);
      return next(answers.login);
    },
    passwordChange: (account, current, newPassword) => {
      calls.push(`change:${account}:${current}:${newPassword}`);
      return next(answers.change);
    },
  };
  const flow = new PasswordFlow(api);
  const states: PasswordState[] = [];
  flow.subscribe((s) => states.push(s));
  return { calls, flow, states };
}
const refuse = (code: string, status: number, params: Record<string, string> = {}): Answer => () => {
  throw new ApiError(code, status, params, null, 'trace-1');
};
const good = { newPassword: 'Spring-2026', confirmPassword: 'Spring-2026' };

describe('PasswordFlow: 帳號密碼登入', () => {
  it('sends the folded account and the password as typed, then goes to the redirect', async () => {
    const { calls, flow, states } = fake();
    const done = flow.login(' ｗａｎｇ.XM ', ' pass word ');
    expect(flow.state.kind).toBe('loginBusy'); // the progress text shows while Argon2id works
    await done;
    expect(calls).toEqual(['login:wang.xm: pass word ']);
    expect(states.map((s) => s.kind)).toEqual(['loginBusy', 'loggedIn']);
    expect(flow.state).toEqual({ kind: 'loggedIn', redirect: '/dashboard.html' });
  });

  it('follows only same-origin redirects', async () => {
    const { flow } = fake({ login: [() => ({ person: PERSON, redirect: 'https://evil.example/' })] });
    await flow.login('wang.xm', 'x');
    expect(flow.state).toEqual({ kind: 'loggedIn', redirect: '/dashboard.html' });
  });

  it('asks for what is missing or malformed without a request', async () => {
    const { calls, flow } = fake();
    await flow.login('  ', 'secret');
    expect(flow.state).toEqual({ kind: 'login', note: 'accountEmpty', field: 'account' });
    await flow.login('1wang', 'secret');
    expect(flow.state).toMatchObject({ kind: 'login', field: 'account', error: { code: 'ACCOUNT_NAME_INVALID' } });
    await flow.login('wang.xm', '');
    expect(flow.state).toEqual({ kind: 'login', note: 'passwordEmpty', field: 'password' });
    expect(calls).toEqual([]);
  });

  it('shows the refusals with their parameters: wrong password, locked (with the time), rate limited', async () => {
    const { flow } = fake({
      login: [
        refuse('PASSWORD_LOGIN_FAILED', 401),
        refuse('ACCOUNT_LOCKED', 423, { unlock_at: '2026-12-04 21:15', unlockAt: '2026-12-04T13:15:00Z' }),
        refuse('RATE_LIMITED', 429, { retry_after: '30' }),
      ],
    });
    await flow.login('wang.xm', 'wrong');
    expect(flow.state).toEqual({ kind: 'login', field: 'password', error: { code: 'PASSWORD_LOGIN_FAILED', params: {}, serverText: null, traceId: 'trace-1' } });
    await flow.login('wang.xm', 'wrong');
    expect(flow.state).toMatchObject({ kind: 'login', field: 'form', error: { code: 'ACCOUNT_LOCKED', params: { unlock_at: '2026-12-04 21:15' } } });
    await flow.login('wang.xm', 'wrong');
    expect(flow.state).toMatchObject({ kind: 'login', field: 'form', error: { code: 'RATE_LIMITED', params: { retry_after: '30' } } });
  });

  it('ignores a second 登入 while the first is on its way', async () => {
    const { calls, flow } = fake();
    const first = flow.login('wang.xm', 'a');
    await flow.login('wang.xm', 'b');
    await first;
    expect(calls).toEqual(['login:wang.xm:a']);
  });
});

describe('PasswordFlow: the forced change (403 PASSWORD_CHANGE_REQUIRED)', () => {
  it('initial password → 變更密碼 with the typed password held in memory → logged in with the new one', async () => {
    const { calls, flow, states } = fake({ login: [refuse('PASSWORD_CHANGE_REQUIRED', 403, { reason: 'initial' })] });
    await flow.login('wang.xm', 'Initial-1');
    expect(flow.state).toEqual({ kind: 'change', account: 'wang.xm', reason: 'initial' });
    expect(flow.holdsPassword()).toBe(true);
    const done = flow.change(good, POLICY);
    expect(flow.state.kind).toBe('changeBusy');
    await done;
    expect(calls).toEqual(['login:wang.xm:Initial-1', 'change:wang.xm:Initial-1:Spring-2026']);
    expect(flow.state).toEqual({ kind: 'loggedIn', redirect: '/dashboard.html' });
    expect(flow.holdsPassword()).toBe(false);
    expect(states.map((s) => s.kind)).toEqual(['loginBusy', 'change', 'changeBusy', 'loggedIn']);
  });

  it('tells an expired password from an initial one', async () => {
    const { flow } = fake({ login: [refuse('PASSWORD_CHANGE_REQUIRED', 403, { reason: 'expired' })] });
    await flow.login('wang.xm', 'Old-pass-1');
    expect(flow.state).toMatchObject({ kind: 'change', reason: 'expired' });
    const odd = fake({ login: [refuse('PASSWORD_CHANGE_REQUIRED', 403, { reason: 'something' })] });
    await odd.flow.login('wang.xm', 'x');
    expect(odd.flow.state).toMatchObject({ kind: 'change', reason: 'initial' });
  });

  it('checks the policy, the current password and the confirmation on the page first', async () => {
    const { calls, flow } = fake({ login: [refuse('PASSWORD_CHANGE_REQUIRED', 403, { reason: 'initial' })] });
    await flow.login('wang.xm', 'Initial-1');
    calls.length = 0;
    await flow.change({ newPassword: 'short', confirmPassword: 'short' }, POLICY);
    expect(flow.state).toMatchObject({ kind: 'change', problem: { field: 'newPassword', error: { code: 'PASSWORD_TOO_SHORT', params: { min_length: '8' } } } });
    await flow.change({ newPassword: 'my-Wang.Xm-1', confirmPassword: 'my-Wang.Xm-1' }, POLICY);
    expect(flow.state).toMatchObject({ problem: { field: 'newPassword', error: { code: 'PASSWORD_CONTAINS_ACCOUNT' } } });
    await flow.change({ newPassword: 'Initial-1', confirmPassword: 'Initial-1' }, POLICY);
    expect(flow.state).toMatchObject({ problem: { field: 'newPassword', error: { code: 'PASSWORD_SAME_AS_CURRENT' } } });
    await flow.change({ newPassword: 'Spring-2026', confirmPassword: 'Spring-2062' }, POLICY);
    expect(flow.state).toEqual({ kind: 'change', account: 'wang.xm', reason: 'initial', problem: { field: 'confirmPassword', note: 'passwordMismatch' } });
    expect(calls).toEqual([]);
  });

  it('shows the server policy codes next to the new password and stays in the form', async () => {
    const { flow } = fake({
      login: [refuse('PASSWORD_CHANGE_REQUIRED', 403, { reason: 'initial' })],
      change: [refuse('PASSWORD_REUSED', 422, { history: '3' }), refuse('RATE_LIMITED', 429, { retry_after: '10' })],
    });
    await flow.login('wang.xm', 'Initial-1');
    await flow.change(good, POLICY);
    expect(flow.state).toMatchObject({ kind: 'change', problem: { field: 'newPassword', error: { code: 'PASSWORD_REUSED', params: { history: '3' } } } });
    expect(flow.holdsPassword()).toBe(true);
    await flow.change(good, POLICY);
    expect(flow.state).toMatchObject({ kind: 'change', error: { code: 'RATE_LIMITED', params: { retry_after: '10' } } });
    expect(flow.state).not.toHaveProperty('problem');
  });

  it('goes back to the login form when the current password stops working, and forgets it', async () => {
    for (const code of ['PASSWORD_LOGIN_FAILED', 'ACCOUNT_LOCKED']) {
      const { flow } = fake({ login: [refuse('PASSWORD_CHANGE_REQUIRED', 403, { reason: 'initial' })], change: [refuse(code, code === 'ACCOUNT_LOCKED' ? 423 : 401, { unlock_at: '2026-12-04 21:15' })] });
      await flow.login('wang.xm', 'Initial-1');
      await flow.change(good, POLICY);
      expect(flow.state).toMatchObject({ kind: 'login', error: { code } });
      expect(flow.holdsPassword()).toBe(false);
      await flow.change(good, POLICY); // nothing to change any more
      expect(flow.state.kind).toBe('login');
    }
  });

  it('取消 returns to the login form and forgets the password', async () => {
    const { calls, flow } = fake({ login: [refuse('PASSWORD_CHANGE_REQUIRED', 403, { reason: 'initial' })] });
    await flow.login('wang.xm', 'Initial-1');
    flow.cancelChange();
    expect(flow.state).toEqual({ kind: 'login' });
    expect(flow.holdsPassword()).toBe(false);
    await flow.change(good, POLICY);
    expect(calls).toEqual(['login:wang.xm:Initial-1']);
  });
});

describe('helpers', () => {
  it('writes Taiwan time from the ISO instant', () => {
    expect(taiwanTime('2026-12-04T13:15:00Z')).toBe('2026-12-04 21:15');
    expect(taiwanTime('2026-12-31T20:05:59.9Z')).toBe('2027-01-01 04:05');
    expect(taiwanTime('soon')).toBeNull();
    expect(taiwanTime('')).toBeNull();
  });
  it('fills unlock_at from unlockAt only when the text is missing', () => {
    const e = (params: Record<string, string>) => ({ code: 'ACCOUNT_LOCKED', params, serverText: null, traceId: '' });
    expect(withUnlockTime(e({ unlockAt: '2026-12-04T13:15:00Z' })).params['unlock_at']).toBe('2026-12-04 21:15');
    expect(withUnlockTime(e({ unlock_at: '21:15', unlockAt: '2026-12-04T13:15:00Z' })).params['unlock_at']).toBe('21:15');
    expect(withUnlockTime(e({})).params).toEqual({});
    expect(withUnlockTime({ ...e({ unlockAt: '2026-12-04T13:15:00Z' }), code: 'RATE_LIMITED' }).params).not.toHaveProperty('unlock_at');
  });
  it('places login errors by field', () => {
    expect(passwordFieldOf('PASSWORD_LOGIN_FAILED')).toBe('password');
    expect(passwordFieldOf('ACCOUNT_NAME_INVALID')).toBe('account');
    expect(passwordFieldOf('ACCOUNT_LOCKED')).toBe('form');
  });
});
