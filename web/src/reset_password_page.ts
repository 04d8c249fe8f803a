// Entry point of reset-password.html: the token leaves the address bar before anything else happens and is
// kept in ResetFlow's memory (reset_password.ts); the new-password fields are the ones the forced change
// uses (new_password_view.ts), with the portal's policy as a checklist.

import { createApi } from './api';
import { byId } from './dom';
import { showError } from './errors_view';
import type { Lang } from './i18n';
import { applyStrings, safeStorage, setupLangSwitch, storedLang } from './lang';
import { NewPasswordFields } from './new_password_view';
import { DEFAULT_POLICY, policyFrom, type PasswordPolicy } from './password_policy';
import { ResetFlow, takeResetToken, type ResetState } from './reset_password';
import { t } from './strings';

const token = takeResetToken(window.location, (url) => window.history.replaceState(null, '', url));

const storage = safeStorage(window);
let lang: Lang = storedLang(storage);
const api = createApi((url, init) => window.fetch(url, init), () => lang);
const flow = new ResetFlow(api, token);
let policy: PasswordPolicy = DEFAULT_POLICY;

const form = byId<HTMLFormElement>('reset-form');
const error = byId('reset-error');
const submit = byId<HTMLButtonElement>('reset-submit');
const progress = byId('reset-progress');
const done = byId('reset-done');
const broken = byId('reset-broken');
const fields = new NewPasswordFields(document, () => ({ policy, account: null, lang }));

function draw(s: ResetState, focus = true): void {
  const busy = s.kind === 'busy';
  submit.disabled = busy;
  form.setAttribute('aria-busy', String(busy));
  progress.textContent = busy ? t('resetting', lang) : '';
  form.hidden = s.kind === 'done' || s.kind === 'linkBroken';
  done.hidden = s.kind !== 'done';
  broken.hidden = s.kind !== 'linkBroken';
  const origin = window.location.origin;
  switch (s.kind) {
    case 'form':
      fields.drawRules();
      fields.showProblem(s.problem);
      showError(error, s.error, lang, origin, navigator.userAgent);
      if (!focus) break;
      if (s.problem) fields.focus(s.problem.field);
      else if (s.error) submit.focus();
      break;
    case 'busy':
      showError(error, undefined, lang, origin, navigator.userAgent);
      break;
    case 'done':
      // Nothing typed stays in the page once it is used.
      fields.clear();
      if (focus) byId('reset-login').focus();
      break;
    case 'linkBroken':
      fields.clear();
      showError(byId('reset-link-error'), s.error, lang, origin, navigator.userAgent);
      if (focus) byId('reset-request-again').focus();
      break;
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  void flow.submit(fields.values(), policy);
});
flow.subscribe((s) => draw(s));

setupLangSwitch(document, storage, (next) => {
  lang = next;
  applyStrings(document, lang);
  draw(flow.state, false);
});
applyStrings(document, lang);
draw(flow.state, false);
if (flow.state.kind === 'form') {
  fields.focus('newPassword');
  api.passwordPolicy().then(
    (p) => {
      policy = policyFrom(p);
      fields.drawRules();
    },
    () => undefined, // the defaults stand; the portal checks its own rules on 重設密碼 anyway
  );
}
