// Entry point of dashboard.html: who is logged in, the menu, and the three-day to-do calendar. The
// content comes from dashboard_view.ts; this file draws it with textContent only.

import { ApiError, createApi, type Dashboard } from './api';
import { dashboardView, type TodoView } from './dashboard_view';
import { byId, el } from './dom';
import { showError } from './errors_view';
import type { Lang } from './i18n';
import { applyStrings, safeStorage, setupLangSwitch, storedLang } from './lang';
import { toShown } from './login';
import { SessionClock, type LeaveReason } from './session_clock';
import { t } from './strings';

const storage = safeStorage(window);
let lang: Lang = storedLang(storage);
let data: Dashboard | null = null;
const api = createApi((url, init) => window.fetch(url, init), () => lang);


function todoItem(todo: TodoView): HTMLLIElement {
  const li = el('li', 'todo', todo.title);
  if (todo.due === '') return li;
  const due = el('span', 'todo__due', ` ${t('due', lang)}: `);
  const date = el('time', '', todo.due);
  if (todo.dueDate !== '') date.dateTime = todo.dueDate;
  due.append(date);
  li.append(due);
  return li;
}

function draw(): void {
  applyStrings(document, lang);
  if (!data) return;
  const v = dashboardView(data, lang);
  document.title = `${v.name} - ${t('siteTitle', lang)}`;
  byId('person-name').textContent = v.name;
  byId('person-agency').textContent = v.agency;
  byId('person-title').textContent = v.title;
  byId('person-method').textContent = v.method;
  byId('menu').replaceChildren(
    ...v.menu.map((m) => {
      const li = el('li', '');
      const a = el('a', '', m.label);
      a.href = m.href;
      if (m.soon) {
        // A service not built yet says so, rather than a link that silently goes nowhere.
        a.setAttribute('aria-describedby', 'menu-notice');
        a.addEventListener('click', (event) => {
          event.preventDefault();
          const notice = byId('menu-notice');
          notice.textContent = t('menuSoon', lang).replace('{name}', m.label);
          notice.hidden = false;
        });
      }
      li.append(a);
      return li;
    }),
  );
  const today = v.days[0];
  const todayList = byId('today-todos');
  todayList.replaceChildren(...(today && today.todos.length > 0 ? today.todos.map(todoItem) : [el('li', 'todo todo--empty', t('noTodos', lang))]));
  byId('days').replaceChildren(
    ...v.days.map((d) => {
      const card = el('section', 'day');
      const heading = el('h3', 'day__heading');
      const date = el('time', 'day__date', d.rocDate);
      date.dateTime = d.date;
      heading.append(el('span', 'day__label', d.label), date);
      card.append(heading);
      const list = el('ul', 'todo-list');
      list.append(...(d.empty !== null ? [el('li', 'todo todo--empty', d.empty)] : d.todos.map(todoItem)));
      card.append(list);
      return card;
    }),
  );
  byId('content').hidden = false;
}

function toLogin(reason?: LeaveReason): void {
  window.location.replace(reason ? `/?reason=${reason}` : '/');
}

/** Where a refused API call leaves the person: the login page, saying why. */
function leaveIfEnded(e: unknown): boolean {
  if (!(e instanceof ApiError) || e.status !== 401) return false;
  toLogin(e.code === 'SESSION_EXPIRED' ? 'SESSION_EXPIRED' : 'signed-out');
  return true;
}

// --- The session's clock (session_clock.ts): a timer, a warning two minutes before the end with 延長登入,
// the login page at the end. ---
let clock: SessionClock | null = null;
let ticker: number | undefined;

function drawClock(): void {
  if (!clock) return;
  const v = clock.view(Date.now());
  byId('session-timer').textContent = v.text;
  const warning = byId('session-warning');
  if (v.expired) {
    // This tab's count is over; the server's may not be (the person was busy in another tab, or an
    // extension answered late). Ask it, without moving its timeout, and believe it.
    window.clearInterval(ticker);
    checkWithServer();
    return;
  }
  if (v.warn) byId('session-warning-text').textContent = t('sessionWarning', lang).replace('{time}', v.text);
  if (warning.hidden === v.warn) {
    warning.hidden = !v.warn;
    if (v.warn) byId('session-extend').focus();
  }
}

/** The session as the server has it now: go on with its time left, or leave saying why. */
function checkWithServer(): void {
  api.sessionStatus().then(
    (st) => {
      if (st.authenticated && typeof st.expiresInSeconds === 'number' && st.expiresInSeconds > 0) {
        if (!clock) return;
        clock.reset(st.expiresInSeconds, Date.now());
        window.clearInterval(ticker);
        ticker = window.setInterval(drawClock, 1000);
        drawClock();
      } else {
        toLogin(st.ended ? 'SESSION_EXPIRED' : 'signed-out');
      }
    },
    (e: unknown) => {
      if (!leaveIfEnded(e)) toLogin('SESSION_EXPIRED');
    },
  );
}

async function startClock(): Promise<void> {
  const s = await api.session();
  if (!s.authenticated || typeof s.expiresInSeconds !== 'number') return toLogin('signed-out');
  clock = new SessionClock(s.expiresInSeconds, Date.now());
  drawClock();
  ticker = window.setInterval(drawClock, 1000);
}

byId('session-extend').addEventListener('click', () => {
  const button = byId<HTMLButtonElement>('session-extend');
  button.disabled = true;
  showError(byId('session-extend-error'), undefined, lang, window.location.origin, navigator.userAgent);
  api
    .extendSession()
    .then((seconds) => {
      clock?.reset(seconds, Date.now());
      drawClock();
    })
    .catch((e: unknown) => {
      if (leaveIfEnded(e)) return;
      showError(byId('session-extend-error'), toShown(e), lang, window.location.origin, navigator.userAgent);
      checkWithServer(); // the count follows the server's, extended or not
    })
    .finally(() => {
      button.disabled = false;
    });
});

// Logging out in one tab ends the others at their next action: the tab that logs out tells the others
// (BroadcastChannel); they leave, saying why, as soon as the person touches them. Without the message (an
// older browser, another window of the same profile) the next API call's 401 does the same.
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('ecpa-session') : null;
let endedElsewhere = false;
channel?.addEventListener('message', (event: MessageEvent) => {
  if (event.data === 'logout') endedElsewhere = true;
});
const onAction = (): void => {
  if (endedElsewhere) toLogin('signed-out');
};
for (const type of ['pointerdown', 'keydown', 'focus']) window.addEventListener(type, onAction, true);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible') return;
  if (endedElsewhere) return toLogin('signed-out');
  // Back to this tab after a while: the session may have ended meanwhile (elsewhere or by time), or been
  // kept alive from another tab.
  checkWithServer();
});

async function load(): Promise<void> {
  const loading = byId('loading');
  try {
    data = await api.dashboard();
    loading.hidden = true;
    draw();
    await startClock();
  } catch (e) {
    if (leaveIfEnded(e)) return;
    loading.hidden = true;
    showError(byId('load-error'), toShown(e), lang, window.location.origin, navigator.userAgent);
  }
}

byId('logout').addEventListener('click', () => {
  byId<HTMLButtonElement>('logout').disabled = true;
  channel?.postMessage('logout');
  // Whatever the portal says (already expired, unreachable), the person asked to leave: go to the login page.
  api.logout().then(() => toLogin(), () => toLogin());
});

setupLangSwitch(document, storage, (next) => {
  lang = next;
  draw();
});
applyStrings(document, lang);
void load();
