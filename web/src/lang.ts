// The page language: zh-TW unless the person chose English with the switch (remembered in localStorage).

import type { Lang } from './i18n';
import { isStringKey, t } from './strings';

const KEY = 'ecpa.lang';

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function storedLang(storage: StorageLike | null): Lang {
  try {
    return storage?.getItem(KEY) === 'en' ? 'en' : 'zh-TW';
  } catch {
    return 'zh-TW'; // storage disabled (private mode, policy): the default is fine
  }
}

export function saveLang(storage: StorageLike | null, lang: Lang): void {
  try {
    storage?.setItem(KEY, lang);
  } catch {
    /* the choice just is not remembered */
  }
}

export function safeStorage(w: Window): StorageLike | null {
  try {
    return w.localStorage;
  } catch {
    return null;
  }
}

/** Fills every data-i18n* attribute below root with the words for lang. */
export function applyStrings(root: ParentNode, lang: Lang): void {
  const each = (attr: string, fn: (el: HTMLElement, text: string) => void): void => {
    root.querySelectorAll<HTMLElement>(`[${attr}]`).forEach((el) => {
      const key = el.getAttribute(attr) ?? '';
      if (isStringKey(key)) fn(el, t(key, lang));
    });
  };
  each('data-i18n', (el, text) => {
    el.textContent = text;
  });
  each('data-i18n-placeholder', (el, text) => el.setAttribute('placeholder', text));
  each('data-i18n-aria-label', (el, text) => el.setAttribute('aria-label', text));
  each('data-i18n-title', (el, text) => el.setAttribute('title', text));
  if (root instanceof Document) {
    root.documentElement.lang = lang === 'en' ? 'en' : 'zh-Hant-TW';
  }
}

/** Wires the 中文 / English buttons: remember the choice and redraw. */
export function setupLangSwitch(root: Document, storage: StorageLike | null, onChange: (lang: Lang) => void): void {
  const buttons = Array.from(root.querySelectorAll<HTMLButtonElement>('[data-lang]'));
  const mark = (lang: Lang): void => buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset['lang'] === lang)));
  mark(storedLang(storage));
  for (const b of buttons) {
    b.addEventListener('click', () => {
      const lang: Lang = b.dataset['lang'] === 'en' ? 'en' : 'zh-TW';
      saveLang(storage, lang);
      mark(lang);
      onChange(lang);
    });
  }
}
