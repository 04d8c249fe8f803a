// Entry point of forgot-password.html: wires the form to ForgotFlow (forgot_password.ts) and draws its states.
// Whatever the portal knows, a well-formed request always ends in the same neutral confirmation.

import { createApi } from './api';
import { byId } from './dom';
import { showError, showProblem } from './errors_view';
import { ForgotFlow, type ForgotState } from './forgot_password';
import type { Lang } from './i18n';
import { applyStrings, safeStorage, setupLangSwitch, storedLang } from './lang';
import { foldAccountName } from './identifiers';
import { t } from './strings';
import { foldTypedIdentifier, foldTypedWidth, keepFolded } from './typed_text';

const storage = safeStorage(window);
let lang: Lang = storedLang(storage);
const api = createApi((url, init) => window.fetch(url, init), () => lang);
const flow = new ForgotFlow(api);

const form = byId<HTMLFormElement>('forgot-form');
const account = byId<HTMLInputElement>('forgot-account');
const nationalId = byId<HTMLInputElement>('forgot-national-id');
const email = byId<HTMLInputElement>('forgot-email');
const error = byId('forgot-error');
const submit = byId<HTMLButtonElement>('forgot-submit');
const progress = byId('forgot-progress');
const sent = byId('forgot-sent');
keepFolded(account, foldAccountName);
keepFolded(nationalId);
keepFolded(email, foldTypedWidth);

const inputs = { account, nationalId, email } as const;

function draw(s: ForgotState, focus = true): void {
  const busy = s.kind === 'busy';
  submit.disabled = busy;
  form.setAttribute('aria-busy', String(busy));
  progress.textContent = busy ? t('sending', lang) : '';
  form.hidden = s.kind === 'sent';
  sent.hidden = s.kind !== 'sent';
  for (const input of Object.values(inputs)) input.removeAttribute('aria-invalid');
  switch (s.kind) {
    case 'form':
      showProblem(error, s, lang, window.location.origin, navigator.userAgent);
      if (s.field && s.field !== 'form' && (s.error || s.note)) inputs[s.field].setAttribute('aria-invalid', 'true');
      if (!focus) break;
      if (s.field && s.field !== 'form') inputs[s.field].focus();
      else if (s.error) submit.focus();
      break;
    case 'busy':
      showError(error, undefined, lang, window.location.origin, navigator.userAgent);
      break;
    case 'sent':
      // The portal's sentence names the link's lifetime as configured; the page's own (a language switch
      // redraws it) says the default.
      byId('forgot-sent-message').textContent = s.message ?? t('forgotSent', lang);
      if (focus) byId('forgot-sent-message').focus();
      break;
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  // What is sent is what the fields show (typed_text.ts), even when Enter came before the fields were left.
  account.value = foldAccountName(account.value);
  nationalId.value = foldTypedIdentifier(nationalId.value);
  email.value = foldTypedWidth(email.value);
  void flow.submit({ account: account.value, nationalId: nationalId.value, email: email.value });
});
byId('forgot-again').addEventListener('click', () => flow.again());
flow.subscribe((s) => draw(s));

setupLangSwitch(document, storage, (next) => {
  lang = next;
  applyStrings(document, lang);
  draw(flow.state, false);
});
applyStrings(document, lang);
draw(flow.state, false);
