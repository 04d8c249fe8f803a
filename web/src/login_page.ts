// Entry point of index.html: wires the DOM to LoginFlow (login.ts) and draws its states. The logic lives
// in the tested modules; this file only finds elements, forwards events and shows state.

import { createApi, type Route } from './api';
import { DEFAULT_MINIMUM_VERSIONS, browserEnv, platformOf, probeDirect, timeoutsFrom } from './component';
import { showError } from './errors_view';
import type { Lang } from './i18n';
import { applyStrings, safeStorage, setupLangSwitch, storedLang } from './lang';
import { LoginFlow, componentSigner, toShown, type FlowState, type Mode } from './login';
import { t } from './strings';
import { setupTabs } from './tabs';

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`missing #${id}`);
  return found as T;
}

const storage = safeStorage(window);
let lang: Lang = storedLang(storage);
let mode: Mode = 'popup';

const certForm = byId<HTMLFormElement>('cert-form');
const pin = byId<HTMLInputElement>('pin');
const pinField = byId('pin-field');
const directHint = byId('direct-hint');
const certError = byId('cert-error');
const certSubmit = byId<HTMLButtonElement>('cert-submit');
const certProgress = byId('cert-progress');
const notBoundDialog = byId<HTMLDialogElement>('not-bound-dialog');
const bindDialog = byId<HTMLDialogElement>('bind-dialog');
const bindForm = byId<HTMLFormElement>('bind-form');
const nationalId = byId<HTMLInputElement>('national-id');
const bindPin = byId<HTMLInputElement>('bind-pin');
const bindPinField = byId('bind-pin-field');
const bindDirectHint = byId('bind-direct-hint');
const bindError = byId('bind-error');
const bindProgress = byId('bind-progress');
const bindSubmit = byId<HTMLButtonElement>('bind-submit');
const bindCancel = byId<HTMLButtonElement>('bind-cancel');
const boundDialog = byId<HTMLDialogElement>('bound-dialog');
const boundBody = byId('bound-body');

const env = browserEnv(window);
const meta = (name: string): string | null => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? null;
const timeouts = timeoutsFrom(meta);
// <meta name="ecpa-min-version" content=""> turns the official component's version check off.
const minimumVersion = meta('ecpa-min-version') ?? DEFAULT_MINIMUM_VERSIONS[platformOf(navigator.userAgent)];
const api = createApi((url, init) => window.fetch(url, init), () => lang);
const route = (): Route => (certForm.querySelector<HTMLInputElement>('input[name="route"]:checked')?.value === 'agency' ? 'agency' : 'citizen');
const flow = new LoginFlow({
  api,
  signer: componentSigner(env, () => mode, { timeouts, minimumVersion }),
  route,
});

function open(dialog: HTMLDialogElement, focus: HTMLElement): void {
  if (!dialog.open) dialog.showModal();
  focus.focus();
}
function close(dialog: HTMLDialogElement): void {
  if (dialog.open) dialog.close();
}

function drawMode(): void {
  // With ecpa-agent the PIN is typed in the agent's own window: the page offers no PIN field at all.
  const direct = mode === 'direct';
  pinField.hidden = direct;
  bindPinField.hidden = direct;
  directHint.hidden = !direct;
  bindDirectHint.hidden = !direct;
}

let drawn: FlowState['kind'] | null = null;

function draw(s: FlowState): void {
  const changed = drawn !== s.kind;
  drawn = s.kind;
  const busy = s.kind === 'busy';
  const bindBusy = s.kind === 'bindBusy';
  certSubmit.disabled = busy;
  certForm.setAttribute('aria-busy', String(busy));
  certProgress.textContent = busy ? t('verifying', lang) : '';
  bindSubmit.disabled = bindBusy;
  bindCancel.disabled = bindBusy;
  bindForm.setAttribute('aria-busy', String(bindBusy));
  bindProgress.textContent = bindBusy ? t('verifying', lang) : '';
  const origin = window.location.origin;

  switch (s.kind) {
    case 'idle':
      close(notBoundDialog);
      close(bindDialog);
      close(boundDialog);
      showError(certError, s.error, lang, origin, navigator.userAgent);
      if (changed || s.error) (s.field === 'pin' || !s.error ? (mode === 'direct' ? certSubmit : pin) : certSubmit).focus();
      break;
    case 'busy':
      showError(certError, undefined, lang, origin, navigator.userAgent);
      break;
    case 'notBound':
      showError(certError, undefined, lang, origin, navigator.userAgent);
      open(notBoundDialog, byId('not-bound-update'));
      break;
    case 'bindForm':
      close(notBoundDialog);
      showError(bindError, s.error, lang, origin, navigator.userAgent);
      if (changed && !s.error) {
        nationalId.value = '';
        bindPin.value = '';
      }
      open(bindDialog, s.field === 'pin' && mode !== 'direct' ? bindPin : s.field === 'form' ? bindSubmit : nationalId);
      break;
    case 'bindBusy':
      showError(bindError, undefined, lang, origin, navigator.userAgent);
      break;
    case 'bound':
      close(bindDialog);
      boundBody.textContent = s.message !== '' ? s.message : t('boundBody', lang);
      open(boundDialog, byId('bound-close'));
      break;
    case 'loggedIn':
      window.location.assign(s.redirect);
      break;
  }
}

certForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const typed = pin.value;
  pin.value = ''; // the PIN lives only as long as this request
  void flow.login(typed);
});
bindForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const typed = bindPin.value;
  bindPin.value = '';
  void flow.bind(nationalId.value, typed);
});
byId('not-bound-cancel').addEventListener('click', () => flow.cancelNotBound());
byId('not-bound-update').addEventListener('click', () => flow.openBind());
bindCancel.addEventListener('click', () => flow.closeBind());
byId('bound-close').addEventListener('click', () => flow.closeBound());
// Escape closes a native dialog; keep the flow in step, and never abandon a signing in progress.
notBoundDialog.addEventListener('cancel', () => flow.cancelNotBound());
bindDialog.addEventListener('cancel', (e) => {
  if (flow.state.kind === 'bindBusy') e.preventDefault();
  else flow.closeBind();
});
boundDialog.addEventListener('cancel', () => flow.closeBound());

flow.subscribe(draw);

const selectTab = setupTabs(byId('main').querySelector<HTMLElement>('[role="tablist"]')!);
selectTab(0);

setupLangSwitch(document, storage, (next) => {
  lang = next;
  applyStrings(document, lang);
  drawn = null;
  draw(flow.state);
});
applyStrings(document, lang);
drawMode();

// Already logged in (e.g. a second tab): go straight to the dashboard.
api.session().then(
  (s) => {
    if (s.authenticated) window.location.replace('/dashboard.html');
  },
  () => undefined, // the portal's trouble is reported when the person presses 登入
);

// Prefer the pop-up-free path when ecpa-agent answers; the official component keeps the pop-up.
void probeDirect(env, timeouts).then((r) => {
  if (r.direct && flow.state.kind === 'idle') {
    mode = 'direct';
    drawMode();
    // No reader or no card yet: say so now rather than after 登入.
    if (r.problem && !flow.state.error) showError(certError, toShown(r.problem), lang, window.location.origin, navigator.userAgent);
  }
});
