// Entry point of index.html: wires the DOM to LoginFlow (login.ts, the certificate tab) and PasswordFlow
// (password_login.ts, the 帳號密碼登入 tab) and draws their states. The logic lives in the tested modules;
// this file only finds elements, forwards events and shows state.

import { createApi, type Route } from './api';
import { ComponentError, DEFAULT_MINIMUM_VERSIONS, browserEnv, platformOf, probeDirect, probeListening, timeoutsFrom } from './component';
import { byId } from './dom';
import { showError, showProblem, type ShowOptions } from './errors_view';
import { describeError, type Lang } from './i18n';
import { applyStrings, safeStorage, setupLangSwitch, storedLang } from './lang';
import { BIND_ROUTES, LoginFlow, componentSigner, toShown, type FlowState, type Mode, type ShownError } from './login';
import { NewPasswordFields } from './new_password_view';
import { PasswordFlow, type PasswordState } from './password_login';
import { DEFAULT_POLICY, policyFrom, type PasswordPolicy } from './password_policy';
import { t, type DownloadName, type StringKey } from './strings';
import { setupTabs } from './tabs';
import { foldAccountName } from './identifiers';
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
const nationalIdField = byId('national-id-field');
const agencyCode = byId<HTMLInputElement>('agency-code');
const agencyCodeField = byId('agency-code-field');
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
for (const id of ['national-id', 'agency-code', 'fido-id']) keepFolded(byId<HTMLInputElement>(id));
keepFolded(byId<HTMLInputElement>('account'), foldAccountName);

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
  drawBindRoute(bindRoute);
}

// The route the binding dialog is drawn for: the one whose login found the card unbound.
let bindRoute: Route = 'citizen';

/**
 * The binding dialog for a route: 自然人憑證檢測 asks the ID number, 機關憑證檢測 the 機關代碼 (BIND_ROUTES);
 * its intro names what it asks for, without the PIN in direct mode.
 */
function drawBindRoute(r: Route): void {
  bindRoute = r;
  const how = BIND_ROUTES[r];
  nationalIdField.hidden = how.field !== 'nationalId';
  agencyCodeField.hidden = how.field !== 'agencyCode';
  const keyed = (id: string, key: StringKey): void => {
    const node = byId(id);
    node.dataset['i18n'] = key;
    node.textContent = t(key, lang);
  };
  keyed('bind-title', how.keys.title);
  keyed('bind-intro', mode === 'direct' ? how.keys.introDirect : how.keys.intro);
}
const bindInput = (): HTMLInputElement => (BIND_ROUTES[bindRoute].field === 'agencyCode' ? agencyCode : nationalId);

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
      drawBindRoute(s.route);
      showError(bindError, s.error, lang, origin, navigator.userAgent, bindOptions());
      if (changed && !s.error) {
        nationalId.value = '';
        agencyCode.value = '';
        bindPin.value = '';
      }
      open(bindDialog, s.field === 'pin' && mode !== 'direct' ? bindPin : s.field === 'form' ? bindSubmit : bindInput());
      break;
    case 'bindBusy':
      showError(bindError, undefined, lang, origin, navigator.userAgent);
      break;
    case 'bound':
      close(bindDialog);
      boundBody.textContent = s.message !== '' ? s.message : t(BIND_ROUTES[s.route].keys.bound, lang);
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
  void flow.bind(bindInput().value, typed);
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

// --- 帳號密碼登入 ---
const passwordPanel = byId('panel-password');
const passwordForm = byId<HTMLFormElement>('password-form');
const account = byId<HTMLInputElement>('account');
const password = byId<HTMLInputElement>('password');
const passwordError = byId('password-error');
const passwordSubmit = byId<HTMLButtonElement>('password-submit');
const passwordProgress = byId('password-progress');
// The 變更密碼 form lives in index.html's <template> and enters the panel only when the portal asks for it.
const changeParts = document.importNode(byId<HTMLTemplateElement>('password-change-template').content, true);
const changeForm = byId<HTMLFormElement>('password-change-form', changeParts);
const changeReason = byId('password-change-reason', changeParts);
const changeAccount = byId('password-change-account', changeParts);
const changeUsername = byId<HTMLInputElement>('password-change-username', changeParts);
const changeError = byId('change-error', changeParts);
const changeSubmit = byId<HTMLButtonElement>('change-submit', changeParts);
const changeCancel = byId<HTMLButtonElement>('change-cancel', changeParts);
const changeProgress = byId('change-progress', changeParts);
let policy: PasswordPolicy = DEFAULT_POLICY;
let changeFor = '';
const newPassword = new NewPasswordFields(changeParts, () => ({ policy, account: changeFor, lang }));
const passwordFlow = new PasswordFlow(api);

let passwordDrawn: PasswordState['kind'] | null = null;

function showChangeForm(on: boolean): void {
  if (on && !changeForm.isConnected) {
    passwordPanel.append(changeForm);
    applyStrings(changeForm, lang);
  } else if (!on && changeForm.isConnected) {
    changeForm.remove();
  }
  passwordForm.hidden = on;
}

/** The portal's rules for the checklist; until they come (or if they cannot), the ones the help pages state. */
function loadPolicy(): void {
  api.passwordPolicy().then(
    (p) => {
      policy = policyFrom(p);
      newPassword.drawRules();
    },
    () => undefined,
  );
}

function drawPassword(s: PasswordState, focus = true): void {
  const before = passwordDrawn;
  passwordDrawn = s.kind;
  const origin = window.location.origin;
  const loginBusy = s.kind === 'loginBusy';
  passwordSubmit.disabled = loginBusy;
  passwordForm.setAttribute('aria-busy', String(loginBusy));
  passwordProgress.textContent = loginBusy ? t('verifying', lang) : '';
  const changeBusy = s.kind === 'changeBusy';
  changeSubmit.disabled = changeBusy;
  changeCancel.disabled = changeBusy;
  changeForm.setAttribute('aria-busy', String(changeBusy));
  changeProgress.textContent = changeBusy ? t('changing', lang) : '';

  switch (s.kind) {
    case 'login': {
      showChangeForm(false);
      showProblem(passwordError, s, lang, origin, navigator.userAgent);
      // A refused password is typed again; an empty account keeps what was typed in the password field.
      if (s.error) password.value = '';
      if (!focus) break;
      if (s.field === 'account') account.focus();
      else if (s.field === 'password' || before === 'change') password.focus();
      else if (s.error) passwordSubmit.focus();
      break;
    }
    case 'loginBusy':
      showError(passwordError, undefined, lang, origin, navigator.userAgent);
      break;
    case 'change': {
      const entering = before !== 'change' && before !== 'changeBusy' && before !== null;
      // The password just typed is in PasswordFlow's memory only, never in a field of the page.
      password.value = '';
      showError(passwordError, undefined, lang, origin, navigator.userAgent);
      changeFor = s.account;
      changeAccount.textContent = s.account;
      changeUsername.value = s.account;
      changeReason.dataset['i18n'] = s.reason === 'expired' ? 'changeReasonExpired' : 'changeReasonInitial';
      changeReason.textContent = t(s.reason === 'expired' ? 'changeReasonExpired' : 'changeReasonInitial', lang);
      showChangeForm(true);
      if (entering) {
        newPassword.clear();
        loadPolicy();
      }
      newPassword.drawRules();
      newPassword.showProblem(s.problem);
      showError(changeError, s.error, lang, origin, navigator.userAgent);
      if (!focus) break;
      if (s.problem) newPassword.focus(s.problem.field);
      else if (s.error) changeSubmit.focus();
      else if (entering) newPassword.focus('newPassword');
      break;
    }
    case 'changeBusy':
      showError(changeError, undefined, lang, origin, navigator.userAgent);
      break;
    case 'loggedIn':
      window.location.assign(s.redirect);
      break;
  }
}

passwordForm.addEventListener('submit', (e) => {
  e.preventDefault();
  // What is sent is what the field shows, folded as the portal keeps accounts, even when Enter came first.
  account.value = foldAccountName(account.value);
  void passwordFlow.login(account.value, password.value);
});
changeForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void passwordFlow.change(newPassword.values(), policy);
});
changeCancel.addEventListener('click', () => {
  newPassword.clear();
  passwordFlow.cancelChange();
});
passwordFlow.subscribe((s) => drawPassword(s));

const selectTab = setupTabs(byId('main').querySelector<HTMLElement>('[role="tablist"]')!);
selectTab(0);

setupLangSwitch(document, storage, (next) => {
  queueMicrotask(drawReason);
  lang = next;
  applyStrings(document, lang);
  drawn = null;
  draw(flow.state);
  drawPassword(passwordFlow.state, false);
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
const showProbeProblem = (e: ComponentError): void => {
  probeProblem = toShown(e);
  if (flow.state.kind === 'idle' && !flow.state.error) draw(flow.state);
};
void probeDirect(env, timeouts, minimumVersion).then(async (r) => {
  if (r.direct) {
    if (flow.state.kind !== 'idle') return;
    mode = 'direct';
    drawMode();
    if (r.problem) showProbeProblem(r.problem);
    return;
  }
  if (!(await probeListening(env, timeouts))) showProbeProblem(new ComponentError('COMPONENT_NOT_RUNNING'));
});
