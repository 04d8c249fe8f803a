// Entry point of dashboard.html: who is logged in, the menu, and the three-day to-do calendar. The
// content comes from dashboard_view.ts; this file draws it with textContent only.

import { ApiError, createApi, type Dashboard } from './api';
import { dashboardView, type TodoView } from './dashboard_view';
import { byId } from './dom';
import { showError } from './errors_view';
import type { Lang } from './i18n';
import { applyStrings, safeStorage, setupLangSwitch, storedLang } from './lang';
import { toShown } from './login';
import { t } from './strings';

const storage = safeStorage(window);
let lang: Lang = storedLang(storage);
let data: Dashboard | null = null;
const api = createApi((url, init) => window.fetch(url, init), () => lang);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== '') node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

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
  document.title = `${v.name} - ${t('siteName', lang)} eCPA`;
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

function toLogin(): void {
  window.location.replace('/');
}

async function load(): Promise<void> {
  const loading = byId('loading');
  try {
    data = await api.dashboard();
    loading.hidden = true;
    draw();
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.code === 'SESSION_EXPIRED')) return toLogin();
    loading.hidden = true;
    showError(byId('load-error'), toShown(e), lang, window.location.origin, navigator.userAgent);
  }
}

byId('logout').addEventListener('click', () => {
  byId<HTMLButtonElement>('logout').disabled = true;
  // Whatever the portal says (already expired, unreachable), the person asked to leave: go to the login page.
  api.logout().then(toLogin, toLogin);
});

setupLangSwitch(document, storage, (next) => {
  lang = next;
  draw();
});
applyStrings(document, lang);
void load();
