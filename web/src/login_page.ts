// Entry point of index.html: wires the DOM to LoginFlow (login.ts) and draws its states. The logic lives
// in the tested modules; this file only finds elements, forwards events and shows state.

import { createApi, type Route } from './api';
import { ComponentError, DEFAULT_MINIMUM_VERSIONS, browserEnv, platformOf, probeDirect, probeListening, timeoutsFrom } from './component';
import { byId } from './dom';
import { showError, type ShowOptions } from './errors_view';
import { describeError, type Lang } from './i18n';
import { applyStrings, safeStorage, setupLangSwitch, storedLang } from './lang';
import { LoginFlow, componentSigner, toShown, type FlowState, type Mode, type ShownError } from './login';
import { t, type DownloadName } from './strings';
import { setupTabs } from './tabs';
import { keepFolded } from './typed_text';
import { leaveReason } from './session_clock';

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
// Every ID or account field shows, checks and sends what the person meant (typed_text.ts).
for (const id of ['national-id', 'fido-id', 'account']) keepFolded(byId<HTMLInputElement>(id));

const env = browserEnv(window);
const meta = (name: string): string | null => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? null;
const timeouts = timeoutsFrom(meta);
// <meta name="ecpa-min-version" content=""> turns the official component's version check off.
const minimumVersion = meta('ecpa-min-version') ?? DEFAULT_MINIMUM_VERSIONS[platformOf(navigator.userAgent)];
// Download addresses per deployment: <meta name="ecpa-url-card-driver|official-component|ecpa-agent">.
const downloadUrl = (name: DownloadName): string | null => meta(`ecpa-url-${name}`);
const api = createApi((url, init) => window.fetch(url, init), () => lang);
const route = (): Route => (certForm.querySelector<HTMLInputElement>('input[name="route"]:checked')?.value === 'agency' ? 'agency' : 'citizen');
const flow = new LoginFlow({
  api,
  signer: componentSigner(env, () => mode, { timeouts, minimumVersion, lang: () => lang }),
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
  // The binding dialog's intro names what this dialog asks for: no PIN field in direct mode.
  const intro = byId('bind-intro');
  intro.dataset['i18n'] = direct ? 'bindIntroDirect' : 'bindIntro';
  intro.textContent = t(direct ? 'bindIntroDirect' : 'bindIntro', lang);
}

let drawn: FlowState['kind'] | null = null;
let probeProblem: ShownError | null = null;

// 重試 after a blocked pop-up submits the same form again from this new click, so the browser sees a
// fresh user gesture and lets the pop-up open once the person has allowed it.
const certOptions = (): ShowOptions => ({ url: downloadUrl, popupMode: mode === 'popup', onRetry: () => certForm.requestSubmit() });
const bindOptions = (): ShowOptions => ({ url: downloadUrl, popupMode: mode === 'popup', onRetry: () => bindForm.requestSubmit() });

/** After a blocked pop-up the 重試 button is the next thing to press; otherwise the usual field. */
function focusAfter(code: string | undefined, usual: HTMLElement, region: HTMLElement): void {
  const retry = code === 'POPUP_BLOCKED' ? region.querySelector<HTMLButtonElement>('.alert__retry') : null;
  (retry ?? usual).focus();
}

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
      if (s.error || !probeProblem) showError(certError, s.error, lang, origin, navigator.userAgent, certOptions());
      // What the component check found before the PIN: its help and downloads, no 重試 (nothing was tried yet).
      else showError(certError, probeProblem, lang, origin, navigator.userAgent, { url: downloadUrl });
      if (changed || s.error) focusAfter(s.error?.code, s.field === 'pin' || !s.error ? (mode === 'direct' ? certSubmit : pin) : certSubmit, certError);
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
      showError(bindError, s.error, lang, origin, navigator.userAgent, bindOptions());
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
  probeProblem = null; // the person tries anyway: from now on the attempt's own outcome speaks
  void flow.login(typed);
  // The PIN lives only as long as this request. A blocked pop-up sent nothing anywhere: the PIN stays in
  // its field so that 重試 can go straight on.
  if (!blockedNow()) pin.value = '';
});
bindForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const typed = bindPin.value;
  void flow.bind(nationalId.value, typed);
  if (!blockedNow()) bindPin.value = '';
});
function blockedNow(): boolean {
  const st = flow.state;
  return (st.kind === 'idle' || st.kind === 'bindForm') && st.error?.code === 'POPUP_BLOCKED';
}
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
  queueMicrotask(drawReason);
  lang = next;
  applyStrings(document, lang);
  drawn = null;
  draw(flow.state);
});
applyStrings(document, lang);
drawMode();

// Sent here by the dashboard: say why (the session ran out, or the person logged out in another tab). The
// reason leaves the address at once, so a reload or a bookmark does not say it again.
const reason = leaveReason(window.location.search);
function drawReason(): void {
  if (!reason) return;
  const region = byId('login-reason');
  if (reason === 'SESSION_EXPIRED') {
    const text = describeError('SESSION_EXPIRED', lang);
    region.textContent = `${text.message} ${text.action}`;
  } else {
    region.textContent = t('signedOutElsewhere', lang);
  }
  region.hidden = false;
}
drawReason();
if (reason) window.history.replaceState(null, '', window.location.pathname);

// Already logged in (e.g. a second tab): go straight to the dashboard; not when the dashboard just sent the
// person here with a reason (its clock ended the session: the page must not bounce back).
api.session().then(
  (s) => {
    if (s.authenticated && !reason) window.location.replace('/dashboard.html');
  },
  () => undefined, // the portal's trouble is reported when the person presses 登入
);

// Before the PIN is asked: prefer the pop-up-free path when ecpa-agent answers (and say at once if it
// has no reader, no card or is too old); otherwise check that something listens on the component's port,
// so "not installed / not running" is said now rather than after a PIN and a pop-up that never answers.
const showProblem = (e: ComponentError): void => {
  probeProblem = toShown(e);
  if (flow.state.kind === 'idle' && !flow.state.error) draw(flow.state);
};
void probeDirect(env, timeouts, minimumVersion).then(async (r) => {
  if (r.direct) {
    if (flow.state.kind !== 'idle') return;
    mode = 'direct';
    drawMode();
    if (r.problem) showProblem(r.problem);
    return;
  }
  if (!(await probeListening(env, timeouts))) showProblem(new ComponentError('COMPONENT_NOT_RUNNING'));
});
