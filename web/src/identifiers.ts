// The other things a person types to say who they are, checked on the page with the rules the catalogue
// states (ACCOUNT_NAME_INVALID, AGENCY_CODE_INVALID, EMAIL_INVALID) and the portal applies, after the same
// folding of width and surrounding space as the ID number (typed_text.ts), so a full-width or pasted value
// reads as what was meant. The server checks again; this only saves a round trip and, for the agency code,
// a signature with the card.

import { foldTypedIdentifier, foldTypedWidth } from './typed_text';

export type Checked<C extends string> = { ok: true; value: string } | { ok: false; code: C; empty: boolean };

/**
 * An account as the portal keeps it (libs/store fold_account_name): full width folded, trimmed, A–Z made
 * a–z, as HR's records write account names ("wang.xm"). Only ASCII is lowered: the check refuses the rest.
 */
export function foldAccountName(typed: string): string {
  return foldTypedWidth(typed).replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** An eCPA account: 3 to 32 letters, digits, '.', '_' or '-', starting with a letter (folded: lower case). */
export function checkAccountName(typed: string): Checked<'ACCOUNT_NAME_INVALID'> {
  const value = foldAccountName(typed);
  if (/^[a-z][a-z0-9._-]{2,31}$/.test(value)) return { ok: true, value };
  return { ok: false, code: 'ACCOUNT_NAME_INVALID', empty: value === '' };
}

/** A 機關代碼 as the personnel records write it: 2 to 32 letters and digits (A58000000A), upper case. */
export function checkAgencyCode(typed: string): Checked<'AGENCY_CODE_INVALID'> {
  const value = foldTypedIdentifier(typed);
  if (/^[A-Z0-9]{2,32}$/.test(value)) return { ok: true, value };
  return { ok: false, code: 'AGENCY_CODE_INVALID', empty: value === '' };
}

/**
 * The e-mail address in the personnel record: printable ASCII without spaces, exactly one @ with something on
 * both sides. Full-width ＠ and letters fold to ASCII; the case stays as typed (the portal compares addresses
 * without case).
 */
export function checkEmail(typed: string): Checked<'EMAIL_INVALID'> {
  const value = foldTypedWidth(typed);
  if (value.length <= 254 && /^[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+$/.test(value)) return { ok: true, value };
  return { ok: false, code: 'EMAIL_INVALID', empty: value === '' };
}
