import { describe, expect, it } from 'vitest';
import { errorText } from './errors_view';

const shown = (code: string, serverText: { message: string; action: string } | null = null, params: Record<string, string> = {}) => ({
  code,
  params,
  serverText,
  traceId: '',
});

describe('errorText', () => {
  it('prefers the catalogue in the page language, with parameters', () => {
    expect(errorText(shown('CARD_PIN_TRIES_LEFT', { message: 'server words', action: '' }, { tries_left: '2' }), 'zh-TW').message).toBe(
      '卡片密碼(PIN 碼)錯誤,尚可嘗試 2 次。',
    );
    expect(errorText(shown('CARD_PIN_TRIES_LEFT', null, { tries_left: '2' }), 'en').message).toContain('2 tries');
  });

  it("falls back to the server's words for codes the page does not know yet, then to a generic text", () => {
    expect(errorText(shown('SOME_NEW_CODE', { message: '新的錯誤', action: '請稍後' }), 'zh-TW')).toEqual({ message: '新的錯誤', action: '請稍後' });
    expect(errorText(shown('SOME_NEW_CODE'), 'en').message).toContain('Something went wrong');
    expect(errorText(shown('SOME_NEW_CODE', { message: '', action: '' }), 'en').message).toContain('Something went wrong');
  });
});
