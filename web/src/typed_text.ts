// What a person types or pastes into an ID or account field, made into what they meant, before any length or
// checksum check: spaces and line breaks around it removed, full-width letters and digits (ＡＢＣ１２３, from a
// Chinese input method in full-width mode) folded to ASCII, lower case made upper. The same rules as
// libs/tw's fold_typed_identifier, so the page and the server read a pasted value the same way.

/**
 * Folds U+FF01–U+FF5E to ASCII and U+3000 and U+00A0 to spaces, trims surrounding whitespace, keeps the case:
 * for text whose case is the person's own (an e-mail address), where ＠ from a full-width input method still
 * has to read as @.
 */
export function foldTypedWidth(typed: string): string {
  let out = '';
  for (const ch of typed) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000 || code === 0x00a0) out += ' ';
    else out += ch;
  }
  return out.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
}

/** Folds U+FF01–U+FF5E to ASCII, U+3000 and U+00A0 to spaces, upper-cases a–z, trims surrounding whitespace. */
export function foldTypedIdentifier(typed: string): string {
  return foldTypedWidth(typed).replace(/[a-z]/g, (c) => c.toUpperCase());
}

/**
 * Keeps an ID or account input folded as the person leaves it or pastes into it, so what the field shows is
 * what will be checked and sent. Pasted text is taken whole (the field's maxlength is generous on purpose:
 * a pasted " A123456789" must not lose its last digit to the leading space). An e-mail field passes
 * foldTypedWidth, which keeps the case.
 */
export function keepFolded(input: HTMLInputElement, foldFn: (typed: string) => string = foldTypedIdentifier): void {
  const fold = (): void => {
    const folded = foldFn(input.value);
    if (folded !== input.value) input.value = folded;
  };
  input.addEventListener('change', fold);
  input.addEventListener('paste', () => setTimeout(fold, 0));
}
