// The front end's view of the one message catalogue (../../messages/catalogue.json), shared with the
// servers so that a code means the same words everywhere. zh-TW first, English second.
import catalogue from '../../messages/catalogue.json';

export type Lang = 'zh-TW' | 'en';

export interface ErrorText {
  message: string;
  action: string;
}

interface Entry {
  status: number;
  'zh-TW': ErrorText;
  en: ErrorText;
}

const entries = catalogue as unknown as Record<string, Entry | string>;

function entryFor(code: string): Entry {
  const found = Object.hasOwn(entries, code) && !code.startsWith('_') ? entries[code] : undefined;
  if (found !== undefined && typeof found !== 'string') return found;
  // An unknown code (a newer server, a typo) reads as a generic failure, never as a raw code.
  return entries['INTERNAL_ERROR'] as Entry;
}

/** Replaces {name} with params[name]; unknown placeholders stay as they are (as the server does). */
export function fillPlaceholders(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole: string, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The person-facing text for an error code in the given language. */
export function describeError(
  code: string,
  lang: Lang,
  params: Record<string, string | number> = {},
): ErrorText {
  const text = entryFor(code)[lang];
  return { message: fillPlaceholders(text.message, params), action: fillPlaceholders(text.action, params) };
}

/** English only when the browser prefers it to Chinese; zh-TW otherwise. */
export function pickLang(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const t = tag.toLowerCase();
    if (t === 'zh' || t.startsWith('zh-')) return 'zh-TW';
    if (t === 'en' || t.startsWith('en-')) return 'en';
  }
  return 'zh-TW';
}

export function knownCodes(): string[] {
  return Object.keys(entries).filter((k) => !k.startsWith('_'));
}
