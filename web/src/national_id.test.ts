import { describe, expect, it } from 'vitest';
import { checkNationalId, normaliseNationalId } from './national_id';
import { knownCodes } from './i18n';

describe('checkNationalId', () => {
  it('accepts the REFERENCE §6 vectors', () => {
    expect(checkNationalId('A123456789')).toEqual({ ok: true, value: 'A123456789' });
    expect(checkNationalId('A800000014')).toEqual({ ok: true, value: 'A800000014' });
    expect(checkNationalId('AC01234567')).toEqual({ ok: true, value: 'AC01234567' });
  });

  it('rejects a wrong check digit', () => {
    expect(checkNationalId('A800000015')).toEqual({ ok: false, code: 'NATIONAL_ID_CHECKSUM' });
    expect(checkNationalId('A123456788')).toEqual({ ok: false, code: 'NATIONAL_ID_CHECKSUM' });
  });

  it('normalises case and surrounding spaces', () => {
    expect(normaliseNationalId('  a123456789 ')).toBe('A123456789');
    expect(checkNationalId(' a123456789')).toEqual({ ok: true, value: 'A123456789' });
  });

  it('names the problem', () => {
    expect(checkNationalId('')).toEqual({ ok: false, code: 'NATIONAL_ID_EMPTY' });
    expect(checkNationalId('   ')).toEqual({ ok: false, code: 'NATIONAL_ID_EMPTY' });
    expect(checkNationalId('A12345678')).toEqual({ ok: false, code: 'NATIONAL_ID_FORMAT' });
    expect(checkNationalId('A1234567890')).toEqual({ ok: false, code: 'NATIONAL_ID_FORMAT' });
    expect(checkNationalId('1123456789')).toEqual({ ok: false, code: 'NATIONAL_ID_FORMAT' });
    expect(checkNationalId('A12345678９')).toEqual({ ok: true, value: 'A123456789' }); // full-width digits are folded (typed_text.ts)
    expect(checkNationalId('A12345678٩')).toEqual({ ok: false, code: 'NATIONAL_ID_FORMAT' }); // other digit scripts are not
    expect(checkNationalId('A323456789')).toEqual({ ok: false, code: 'NATIONAL_ID_LETTER' });
    expect(checkNationalId('AE01234567')).toEqual({ ok: false, code: 'NATIONAL_ID_LETTER' });
  });

  it('checks every first letter with its own value', () => {
    // For each letter, exactly one last digit makes A?23456780-style numbers valid.
    for (const letter of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
      const valid = [...'0123456789'].filter((d) => checkNationalId(`${letter}12345678${d}`).ok);
      expect(valid).toHaveLength(1);
    }
    // I (34) and O (35) are out of order: I123456789 is not valid just because A is.
    expect(checkNationalId('I123456789').ok).toBe(false);
  });

  it('uses only codes the catalogue knows', () => {
    const codes = knownCodes();
    for (const input of ['', 'x', 'A323456789', 'A800000015']) {
      const r = checkNationalId(input);
      if (!r.ok) expect(codes).toContain(r.code);
    }
  });
});
