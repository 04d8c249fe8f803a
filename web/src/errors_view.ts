// Draws an error into its role="alert" region: message, next step, a help link where one fits, the
// trace ID for the help desk, and for a blocked pop-up the steps for this browser. DOM only, text only
// (textContent, never innerHTML): server words can never become markup. Download links come from the
// page's configuration and pass safeUrl, so a bad <meta> value cannot become a javascript: link.

import { el } from './dom';
import { detectBrowser, popupSteps } from './browser';
import { describeError, knownCodes, type Lang } from './i18n';
import type { ShownError } from './login';
import { downloadsFor, faqHref, helpFor, helpHref, safeUrl, t, type DownloadName, type StringKey } from './strings';

/** Between links in a sentence: 、 in Chinese, a comma in English. */
const listSeparator = (lang: Lang): string => (lang === 'en' ? ', ' : '、');

/** The words for an error: the catalogue's in the page language, else the server's, else a generic text. */
export function errorText(e: ShownError, lang: Lang): { message: string; action: string } {
  if (knownCodes().includes(e.code)) return describeError(e.code, lang, e.params);
  if (e.serverText && e.serverText.message !== '') return e.serverText;
  return describeError('INTERNAL_ERROR', lang);
}


export interface ShowOptions {
  /** The configured address of a download, or null when the deployment has none. */
  url?: (name: DownloadName) => string | null;
  /** Offered as a 重試 button after a blocked or silent pop-up; runs inside the click (a fresh gesture). */
  onRetry?: () => void;
  /** The sign-in uses the pop-up protocol: a silent component may really be a blocked window. */
  popupMode?: boolean;
}

function link(text: string, href: string): HTMLAnchorElement {
  const a = el('a', '', text);
  a.href = href;
  return a;
}

export function showError(region: HTMLElement, e: ShownError | undefined, lang: Lang, origin: string, userAgent: string, opts: ShowOptions = {}): void {
  region.replaceChildren();
  region.classList.toggle('alert--shown', e !== undefined);
  delete region.dataset['problem'];
  if (e) region.dataset['code'] = e.code;
  else delete region.dataset['code'];
  if (!e) return;
  const text = errorText(e, lang);
  region.append(el('p', 'alert__message', text.message));
  if (text.action !== '') region.append(el('p', 'alert__action', text.action));
  const steps = (): HTMLOListElement => {
    const list = el('ol', 'alert__steps');
    list.dataset['browser'] = detectBrowser(userAgent);
    for (const step of popupSteps(detectBrowser(userAgent), lang, origin)) list.append(el('li', '', step));
    return list;
  };
  if (e.code === 'POPUP_BLOCKED') {
    region.append(el('p', 'alert__subtitle', t('popupHelpTitle', lang)), steps());
  } else if (e.code === 'COMPONENT_NOT_RUNNING' && opts.popupMode) {
    // A window that never answered may have been blocked without the browser telling the page.
    const details = el('details', 'alert__details');
    details.append(el('summary', '', t('noPopupWindow', lang)), steps());
    region.append(details);
  }
  const downloads = downloadsFor(e.code).flatMap((d) => {
    const href = safeUrl(opts.url?.(d.name));
    return href ? [link(t(d.key, lang), href)] : [];
  });
  if (downloads.length > 0) {
    const p = el('p', 'alert__downloads', t('downloads', lang));
    downloads.forEach((a, i) => p.append(...(i > 0 ? [document.createTextNode(listSeparator(lang)), a] : [a])));
    region.append(p);
  }
  const help = helpFor(e.code);
  const p = el('p', 'alert__help', t('helpSee', lang));
  if (help) p.append(link(t(help.key, lang), helpHref(help.slug)), document.createTextNode(listSeparator(lang)));
  p.append(link(t('errorCodeHelp', lang), faqHref(knownCodes().includes(e.code) ? e.code : 'INTERNAL_ERROR')));
  region.append(p);
  const retryable = e.code === 'POPUP_BLOCKED' || e.code === 'POPUP_CLOSED' || (e.code === 'COMPONENT_NOT_RUNNING' && opts.popupMode === true);
  if (opts.onRetry && retryable) {
    region.append(el('p', 'hint', t('popupRetryHint', lang)));
    const retry = el('button', 'button alert__retry', t('popupRetry', lang));
    retry.type = 'button';
    const run = opts.onRetry;
    retry.addEventListener('click', () => run());
    region.append(retry);
  }
  if (e.traceId !== '') region.append(el('p', 'alert__trace', `${t('traceId', lang)}: ${e.traceId}`));
}

/**
 * What the page found itself before sending anything (an empty field, two entries that differ): its own words
 * from strings.ts, marked data-problem="<key>" instead of a catalogue code, with no help links or trace ID.
 */
export function showNote(region: HTMLElement, key: StringKey, lang: Lang): void {
  region.replaceChildren(el('p', 'alert__message', t(key, lang)));
  region.classList.add('alert--shown');
  delete region.dataset['code'];
  region.dataset['problem'] = key;
}

/** A problem either kind: a catalogue error drawn in full (showError) or the page's own note. */
export function showProblem(
  region: HTMLElement,
  p: { error?: ShownError | undefined; note?: StringKey | undefined },
  lang: Lang,
  origin: string,
  userAgent: string,
  opts: ShowOptions = {},
): void {
  if (p.note !== undefined && p.error === undefined) showNote(region, p.note, lang);
  else showError(region, p.error, lang, origin, userAgent, opts);
}

/**
 * The short message under one input: the catalogue's message and action, or the page's note; the input is
 * marked aria-invalid while it shows one. No help links: the form's own alert carries those for the rest.
 */
export function showFieldProblem(region: HTMLElement, input: HTMLInputElement, p: { error?: ShownError | undefined; note?: StringKey | undefined } | undefined, lang: Lang): void {
  region.replaceChildren();
  delete region.dataset['code'];
  delete region.dataset['problem'];
  const shown = p !== undefined && (p.error !== undefined || p.note !== undefined);
  region.classList.toggle('field-error--shown', shown);
  if (shown) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  if (!p) return;
  if (p.error) {
    const text = errorText(p.error, lang);
    region.dataset['code'] = p.error.code;
    region.append(el('span', 'field-error__message', text.message));
    if (text.action !== '') region.append(document.createTextNode(' '), el('span', 'field-error__action', text.action));
  } else if (p.note !== undefined) {
    region.dataset['problem'] = p.note;
    region.append(el('span', 'field-error__message', t(p.note, lang)));
  }
}
