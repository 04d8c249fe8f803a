// National ID / resident number checks on the page, with the same rules as libs/tw (REFERENCE §6), so a
// typo is caught before the card is asked to sign. The server checks again; this only saves a round trip.

import { foldTypedIdentifier } from './typed_text';

export type NationalIdProblem = 'NATIONAL_ID_EMPTY' | 'NATIONAL_ID_FORMAT' | 'NATIONAL_ID_LETTER' | 'NATIONAL_ID_CHECKSUM';

export type NationalIdCheck = { ok: true; value: string } | { ok: false; code: NationalIdProblem };

// Letter values of the first character (A=10 … Z=33, with I, O, W, X, Y, Z out of order).
const LETTER_VALUES: Readonly<Record<string, number>> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};

const WEIGHTS = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1] as const;

/** What was typed or pasted, folded (typed_text.ts): " ａ123456789\n" reads as A123456789. */
export function normaliseNationalId(input: string): string {
  return foldTypedIdentifier(input);
}

/**
 * Accepts a national ID (A1/A2…), a new resident number (A8/A9…, 2021+) or a legacy resident
 * number (two letters, the second A–D). Returns the normalised value or the catalogue code of the problem.
 */
export function checkNationalId(input: string): NationalIdCheck {
  const id = normaliseNationalId(input);
  if (id === '') return { ok: false, code: 'NATIONAL_ID_EMPTY' };
  if (!/^[A-Z]([1289]\d{8}|[A-D]\d{8})$/.test(id)) {
    // Tell "wrong shape" apart from "right shape, wrong letter" so the message points at the right spot.
    return { ok: false, code: /^[A-Z][A-Z0-9]\d{8}$/.test(id) ? 'NATIONAL_ID_LETTER' : 'NATIONAL_ID_FORMAT' };
  }
  const first = LETTER_VALUES[id.charAt(0)] ?? 0;
  const second = /[A-D]/.test(id.charAt(1)) ? (LETTER_VALUES[id.charAt(1)] ?? 0) % 10 : Number(id.charAt(1));
  const digits = [Math.floor(first / 10), first % 10, second, ...id.slice(2).split('').map(Number)];
  const sum = digits.reduce((acc, d, i) => acc + d * (WEIGHTS[i] ?? 0), 0);
  if (sum % 10 !== 0) return { ok: false, code: 'NATIONAL_ID_CHECKSUM' };
  return { ok: true, value: id };
}
