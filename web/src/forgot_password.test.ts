import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { ForgotFlow, checkForgotInput, forgotFieldOf, type ForgotState } from './forgot_password';

function fake(answer: () => { sent: boolean; message: string } = () => ({ sent: true, message: '若資料正確…' })) {
  const calls: string[] = [];
  const flow = new ForgotFlow({
    forgotPassword: (account, nationalId, email) => {
      calls.push(`${account}|${nationalId}|${email}`);
      try {
        return Promise.resolve(answer());
      } catch (e) {
        return Promise.reject(e);
      }
    },
  });
  const states: ForgotState[] = [];
  flow.subscribe((s) => states.push(s));
  return { calls, flow, states };
}
const GOOD = { account: ' ｗａｎｇ.XM', nationalId: 'a123456789 ', email: ' Wang.XM＠dgpa.gov.tw ' };

describe('checkForgotInput', () => {
  it('folds the three as they will be sent', () => {
    expect(checkForgotInput(GOOD)).toEqual({ ok: true, value: { account: 'wang.xm', nationalId: 'A123456789', email: 'Wang.XM@dgpa.gov.tw' } });
  });
  it('names the first wrong field, in the form order', () => {
    expect(checkForgotInput({ ...GOOD, account: '' })).toEqual({ ok: false, field: 'account', note: 'accountEmpty' });
    expect(checkForgotInput({ ...GOOD, account: '9x' })).toMatchObject({ ok: false, field: 'account', error: { code: 'ACCOUNT_NAME_INVALID' } });
    expect(checkForgotInput({ ...GOOD, nationalId: '' })).toMatchObject({ ok: false, field: 'nationalId', error: { code: 'NATIONAL_ID_EMPTY' } });
    expect(checkForgotInput({ ...GOOD, nationalId: 'A123456788' })).toMatchObject({ ok: false, field: 'nationalId', error: { code: 'NATIONAL_ID_CHECKSUM' } });
    expect(checkForgotInput({ ...GOOD, email: '' })).toEqual({ ok: false, field: 'email', note: 'emailEmpty' });
    expect(checkForgotInput({ ...GOOD, email: 'wang.dgpa.gov.tw' })).toMatchObject({ ok: false, field: 'email', error: { code: 'EMAIL_INVALID' } });
    expect(checkForgotInput({ account: '', nationalId: '', email: '' })).toMatchObject({ field: 'account' });
  });
});

describe('ForgotFlow', () => {
  it('sends the folded values and always shows the one neutral confirmation', async () => {
    const { calls, flow, states } = fake();
    const done = flow.submit(GOOD);
    expect(flow.state.kind).toBe('busy');
    await done;
    expect(calls).toEqual(['wang.xm|A123456789|Wang.XM@dgpa.gov.tw']);
    // The portal's own sentence is kept: it names the link's lifetime as configured.
    expect(flow.state).toEqual({ kind: 'sent', message: '若資料正確…' });
    expect(states.map((s) => s.kind)).toEqual(['busy', 'sent']);
    flow.again();
    expect(flow.state).toEqual({ kind: 'form' });
  });

  it('without a sentence from the portal the page says its own', async () => {
    const { flow } = fake(() => ({ sent: true, message: ' ' }));
    await flow.submit(GOOD);
    expect(flow.state).toEqual({ kind: 'sent' });
  });

  it('sends nothing for malformed input', async () => {
    const { calls, flow } = fake();
    await flow.submit({ ...GOOD, nationalId: 'A12345' });
    expect(flow.state).toMatchObject({ kind: 'form', field: 'nationalId', error: { code: 'NATIONAL_ID_FORMAT' } });
    expect(calls).toEqual([]);
  });

  it('shows the server refusals at their fields, the rest in the form', async () => {
    for (const [code, status, field] of [
      ['EMAIL_INVALID', 400, 'email'],
      ['NATIONAL_ID_LETTER', 400, 'nationalId'],
      ['ACCOUNT_NAME_INVALID', 400, 'account'],
      ['RATE_LIMITED', 429, 'form'],
      ['PORTAL_UNREACHABLE', 0, 'form'],
    ] as const) {
      const { flow } = fake(() => {
        throw new ApiError(code, status, code === 'RATE_LIMITED' ? { retry_after: '60' } : {});
      });
      await flow.submit(GOOD);
      expect(flow.state).toMatchObject({ kind: 'form', field, error: { code } });
    }
    expect(forgotFieldOf('NATIONAL_ID_CHECKSUM')).toBe('nationalId');
  });

  it('ignores a second click while busy and again() outside the confirmation', async () => {
    const { calls, flow } = fake();
    flow.again();
    expect(flow.state).toEqual({ kind: 'form' });
    const first = flow.submit(GOOD);
    await flow.submit(GOOD);
    await first;
    expect(calls).toHaveLength(1);
  });
});
