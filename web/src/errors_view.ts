// Draws an error into its role="alert" region: message, next step, a help link where one fits, the
// trace ID for the help desk, and for a blocked pop-up the steps for this browser. DOM only, text only
// (textContent, never innerHTML): server words can never become markup.

import { detectBrowser, popupSteps } from './browser';
import { describeError, knownCodes, type Lang } from './i18n';
import type { ShownError } from './login';
import { helpFor, helpHref, t } from './strings';

/** The words for an error: the catalogue's in the page language, else the server's, else a generic text. */
export function errorText(e: ShownError, lang: Lang): { message: string; action: string } {
  if (knownCodes().includes(e.code)) return describeError(e.code, lang, e.params);
  if (e.serverText && e.serverText.message !== '') return e.serverText;
  return describeError('INTERNAL_ERROR', lang);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== '') node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function showError(region: HTMLElement, e: ShownError | undefined, lang: Lang, origin: string, userAgent: string): void {
  region.replaceChildren();
  region.classList.toggle('alert--shown', e !== undefined);
  if (!e) return;
  const text = errorText(e, lang);
  region.append(el('p', 'alert__message', text.message));
  if (text.action !== '') region.append(el('p', 'alert__action', text.action));
  if (e.code === 'POPUP_BLOCKED') {
    region.append(el('p', 'alert__subtitle', t('popupHelpTitle', lang)));
    const list = el('ol', 'alert__steps');
    for (const step of popupSteps(detectBrowser(userAgent), lang, origin)) list.append(el('li', '', step));
    region.append(list);
  }
  const help = helpFor(e.code);
  if (help) {
    const p = el('p', 'alert__help', t('helpSee', lang));
    const a = el('a', '', t(help.key, lang));
    a.href = helpHref(help.slug);
    p.append(a);
    region.append(p);
  }
  if (e.traceId !== '') region.append(el('p', 'alert__trace', `${t('traceId', lang)}: ${e.traceId}`));
}
