// What the dashboard shows, computed from GET /api/dashboard without touching the DOM (dashboard.ts draws it).

import { safeLocalPath, type Dashboard } from './api';
import type { Lang } from './i18n';
import { dateFromIso, parseIsoDate } from './roc_date';
import { t, type StringKey } from './strings';

export interface TodoView {
  title: string;
  /** The due date as shown: a ROC date like the calendar's days ("" when there is none). */
  due: string;
  /** The same day as YYYY-MM-DD for <time datetime>, or "" when the server's value is not a day. */
  dueDate: string;
}

export interface DayView {
  label: string;
  rocDate: string;
  date: string;
  todos: TodoView[];
  empty: string | null;
}

export interface DashboardView {
  name: string;
  agency: string;
  title: string;
  method: string;
  /** soon: the service is not built yet; choosing it says so instead of going nowhere. */
  menu: { label: string; href: string; soon: boolean }[];
  days: DayView[];
}

const METHOD_KEYS: Record<string, StringKey> = {
  citizen: 'methodCitizen',
  agency: 'methodAgency',
  nhi: 'methodNhi',
  fido: 'methodFido',
  password: 'methodPassword',
};

// 新手上路 and 使用手冊 are help pages that exist now; the other entries arrive with their features.
const DEFAULT_MENU: readonly { key: string; label: StringKey; href: string }[] = [
  { key: 'announcements', label: 'menuAnnouncements', href: '/announcements.html' },
  { key: 'applications', label: 'menuApplications', href: '#' },
  { key: 'roles', label: 'menuRoles', href: '#' },
  { key: 'questionnaires', label: 'menuSurveys', href: '#' },
  { key: 'my', label: 'menuMine', href: '#' },
  { key: 'getting-started', label: 'menuGettingStarted', href: '/help/getting-started.html' },
  { key: 'manual', label: 'menuManual', href: '/help/manual.html' },
];

const DAY_LABELS: readonly StringKey[] = ['today', 'tomorrow', 'dayAfter'];

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

// The server sends due dates as YYYY-MM-DD; anything else it might send is shown as it came.
function todoView(raw: { title?: unknown; due?: unknown }, lang: Lang): TodoView {
  const due = text(raw.due);
  return { title: text(raw.title), due: dateFromIso(due, lang) ?? due, dueDate: parseIsoDate(due) ? due : '' };
}

export function dashboardView(data: Dashboard, lang: Lang): DashboardView {
  const methodKey = METHOD_KEYS[text(data.person.method)];
  const ours = new Map(DEFAULT_MENU.map((m) => [m.key, m.label]));
  const serverMenu = Array.isArray(data.menu) ? data.menu : [];
  const menu =
    serverMenu.length > 0
      ? serverMenu.map((m) => {
          // Our own words for the entries we know keep the language switch consistent; others are the server's.
          const key = ours.get(text(m.key));
          const href = safeLocalPath(m.href, '#');
          return { label: key ? t(key, lang) : text(m.label), href, soon: m.available === false || href === '#' };
        })
      : DEFAULT_MENU.map((m) => ({ label: t(m.label, lang), href: m.href, soon: m.href === '#' }));
  const days = data.days.slice(0, 3).map((d, i): DayView => {
    const todos = (Array.isArray(d.todos) ? d.todos : []).map((t) => todoView(t, lang));
    const labelKey = DAY_LABELS[i];
    return {
      label: labelKey ? t(labelKey, lang) : text(d.label),
      // The day as the page's language writes it; the server's ROC text if its date cannot be read.
      rocDate: dateFromIso(text(d.date), lang) ?? text(d.rocDate),
      date: text(d.date),
      todos,
      empty: todos.length === 0 ? t('noTodos', lang) : null,
    };
  });
  return {
    name: text(data.person.name),
    // HR data that has an English form shows it in English; else as HR wrote it.
    agency: lang === 'en' && text(data.person.agencyEn) !== '' ? text(data.person.agencyEn) : text(data.person.agency),
    title: text(data.person.title),
    method: methodKey ? t(methodKey, lang) : text(data.person.method),
    menu,
    days,
  };
}
