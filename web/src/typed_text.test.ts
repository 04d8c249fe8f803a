import { describe, expect, it } from 'vitest';
import { checkNationalId } from './national_id';
import { foldTypedIdentifier, foldTypedWidth } from './typed_text';

describe('foldTypedIdentifier', () => {
  it('trims spaces and line breaks, folds full-width and upper-cases', () => {
    expect(foldTypedIdentifier(' A123456789')).toBe('A123456789');
    expect(foldTypedIdentifier('A123456789\n')).toBe('A123456789');
    expect(foldTypedIdentifier('\r\n\tA123456789 \r\n')).toBe('A123456789');
    expect(foldTypedIdentifier('ａ１２３４５６７８９')).toBe('A123456789');
    expect(foldTypedIdentifier('\u3000a123456789\u3000')).toBe('A123456789');
    expect(foldTypedIdentifier('\u00a0A123456789\u00a0')).toBe('A123456789');
    expect(foldTypedIdentifier('ｅｃｐａ＿ｕｓｅｒ')).toBe('ECPA_USER');
    expect(foldTypedIdentifier('！～')).toBe('!~');
  });
  it('leaves the rest for the check to refuse', () => {
    expect(foldTypedIdentifier('A12 3456789')).toBe('A12 3456789');
    expect(foldTypedIdentifier('王小明')).toBe('王小明');
    expect(foldTypedIdentifier('｡')).toBe('｡'); // U+FF61 is not in the folded block
  });
  it('is what the ID check reads', () => {
    for (const typed of [' A123456789', 'A123456789\n', 'ａ１２３４５６７８９', '\u3000a123456789\r\n']) {
      expect(checkNationalId(typed)).toEqual({ ok: true, value: 'A123456789' });
    }
  });
});

describe('foldTypedWidth', () => {
  it('folds full width and trims like foldTypedIdentifier, but keeps the case', () => {
    expect(foldTypedWidth(' Wang.XM＠ｄｇｐａ．gov.tw\n')).toBe('Wang.XM@dgpa.gov.tw');
    expect(foldTypedWidth('\u3000ＡｂＣ\u00a0')).toBe('AbC');
    expect(foldTypedIdentifier('ＡｂＣ')).toBe('ABC');
  });
});
