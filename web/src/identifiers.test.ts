import { describe, expect, it } from 'vitest';
import { checkAccountName, checkAgencyCode, checkEmail, foldAccountName } from './identifiers';

describe('checkAccountName', () => {
  it('folds what was typed (full width, spaces, case) as the portal keeps accounts, and accepts the catalogue form', () => {
    expect(checkAccountName(' Wang.XM ')).toEqual({ ok: true, value: 'wang.xm' });
    expect(checkAccountName('ｅｃｐａ＿ＵＳＥＲ１\n')).toEqual({ ok: true, value: 'ecpa_user1' });
    expect(checkAccountName('abc')).toEqual({ ok: true, value: 'abc' });
    expect(foldAccountName('\u3000ＷＡＮＧ.Xm ')).toBe('wang.xm');
    expect(foldAccountName('ÄBC')).toBe('Äbc'); // only ASCII is lowered; the check refuses the rest
    expect(checkAccountName('a' + 'b'.repeat(31))).toMatchObject({ ok: true });
  });
  it('refuses the rest, and says whether it was empty', () => {
    expect(checkAccountName('  \u3000')).toEqual({ ok: false, code: 'ACCOUNT_NAME_INVALID', empty: true });
    for (const bad of ['ab', '1abc', '_abc', 'wang xm', '王小明', 'a' + 'b'.repeat(32), 'wang@xm']) {
      expect(checkAccountName(bad)).toEqual({ ok: false, code: 'ACCOUNT_NAME_INVALID', empty: false });
    }
  });
});

describe('checkAgencyCode', () => {
  it('folds and upper-cases letters and digits', () => {
    expect(checkAgencyCode(' a58000000a\n')).toEqual({ ok: true, value: 'A58000000A' });
    expect(checkAgencyCode('Ａ５８００００００Ａ')).toEqual({ ok: true, value: 'A58000000A' });
    expect(checkAgencyCode('376470000A')).toEqual({ ok: true, value: '376470000A' });
  });
  it('refuses anything else', () => {
    expect(checkAgencyCode('')).toEqual({ ok: false, code: 'AGENCY_CODE_INVALID', empty: true });
    for (const bad of ['A', 'A58-000', 'A58 000', '行政院', 'A'.repeat(33), 'A58000000A;']) {
      expect(checkAgencyCode(bad)).toEqual({ ok: false, code: 'AGENCY_CODE_INVALID', empty: false });
    }
  });
});

describe('checkEmail', () => {
  it('folds a full-width ＠ and trims, but keeps the case', () => {
    expect(checkEmail(' Wang.XM@dgpa.gov.tw ')).toEqual({ ok: true, value: 'Wang.XM@dgpa.gov.tw' });
    expect(checkEmail('wang＠dgpa．gov．tw')).toEqual({ ok: true, value: 'wang@dgpa.gov.tw' });
    expect(checkEmail('ops@localhost')).toEqual({ ok: true, value: 'ops@localhost' }); // the portal asks no dot either
  });
  it('refuses what cannot be an address', () => {
    expect(checkEmail(' ')).toEqual({ ok: false, code: 'EMAIL_INVALID', empty: true });
    for (const bad of ['wang', 'wang@', '@dgpa.gov.tw', 'wang@@dgpa.gov.tw', 'wang@dgpa@gov.tw', 'wang xm@dgpa.gov.tw', '王@dgpa.gov.tw', 'wang@dgpa.gov.tw\u0007', `${'a'.repeat(250)}@b.tw`]) {
      expect(checkEmail(bad)).toMatchObject({ ok: false, code: 'EMAIL_INVALID', empty: false });
    }
  });
});
