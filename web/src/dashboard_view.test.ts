import { describe, expect, it } from 'vitest';
import type { Dashboard } from './api';
import { dashboardView } from './dashboard_view';

const DATA: Dashboard = {
  person: { name: '王小明', agency: '行政院人事行政總處', title: '科員', maskedId: 'A12****789', method: 'citizen' },
  today: '2021-12-14',
  days: [
    { date: '2021-12-14', rocDate: '110年12月14日', weekday: '星期二', label: '今天', todos: [] },
    { date: '2021-12-15', rocDate: '110年12月15日', weekday: '星期三', label: '明天', todos: [{ title: '填寫問卷', due: '2021-12-15' }] },
    { date: '2021-12-16', rocDate: '110年12月16日', weekday: '星期四', label: '後天', todos: [] },
  ],
  menu: [],
};

describe('dashboardView', () => {
  it('shows the seed dashboard: three days with ROC dates, empty days say so', () => {
    const v = dashboardView(DATA, 'zh-TW');
    expect(v.name).toBe('王小明');
    expect(v.method).toBe('自然人憑證');
    expect(v.days.map((d) => `${d.label} ${d.rocDate}`)).toEqual(['今天 110年12月14日', '明天 110年12月15日', '後天 110年12月16日']);
    expect(v.days[0]!.empty).toBe('本日無待辦事項');
    expect(v.days[1]!.empty).toBeNull();
    // The API sends YYYY-MM-DD; the page shows the ROC date like the calendar's own days.
    expect(v.days[1]!.todos).toEqual([{ title: '填寫問卷', due: '110年12月15日', dueDate: '2021-12-15' }]);
    expect(v.menu.map((m) => m.label)).toEqual(['最新公告', '應用系統', '權限與兼辦管理', '問卷管理', '我的專區', '新手上路', '使用手冊']);
    // The services not built yet say so when chosen; 最新公告 and the help pages are real.
    expect(v.menu.filter((m) => m.soon).map((m) => m.label)).toEqual(['應用系統', '權限與兼辦管理', '問卷管理', '我的專區']);
  });

  it('follows the language switch', () => {
    const v = dashboardView({ ...DATA, person: { ...DATA.person, method: 'agency' } }, 'en');
    expect(v.method).toBe('Agency certificate');
    expect(v.days[0]!.label).toBe('Today');
    expect(v.days[2]!.empty).toBe('Nothing to do on this day');
  });

  it('names every login method in both languages: 帳號密碼 / Password, 機關憑證 / Agency certificate', () => {
    const method = (m: string, lang: 'zh-TW' | 'en'): string => dashboardView({ ...DATA, person: { ...DATA.person, method: m } }, lang).method;
    expect(method('password', 'zh-TW')).toBe('帳號密碼');
    expect(method('password', 'en')).toBe('Password');
    expect(method('agency', 'zh-TW')).toBe('機關憑證');
    expect(method('agency', 'en')).toBe('Agency certificate');
    expect(method('citizen', 'en')).toBe('Citizen Digital Certificate');
  });

  it('takes the server menu but only same-origin links', () => {
    const v = dashboardView(
      {
        ...DATA,
        menu: [
          { key: 'announcements', label: 'x', href: '/announcements.html' },
          { key: 'new-thing', label: '新功能', href: 'javascript:alert(1)' },
          { key: 'my', label: 'My area', href: '/dashboard.html#my', available: false },
        ],
      },
      'zh-TW',
    );
    expect(v.menu).toEqual([
      { label: '最新公告', href: '/announcements.html', soon: false },
      { label: '新功能', href: '#', soon: true },
      { label: '我的專區', href: '/dashboard.html#my', soon: true }, // our words, in the page's language
    ]);
  });

  it('shows every due date as the language writes it (ROC date / English with the ROC year), and an odd one as it came', () => {
    const day = (due: unknown): Dashboard['days'][number] => ({ date: '2026-12-01', rocDate: '115年12月1日', label: '今天', todos: [{ title: 't', due } as { title: string; due: string }] });
    const dues = (lang: 'zh-TW' | 'en', ...values: unknown[]): { due: string; dueDate: string }[] =>
      dashboardView({ ...DATA, days: values.map(day) }, lang).days.map((d) => ({ due: d.todos[0]!.due, dueDate: d.todos[0]!.dueDate }));
    expect(dues('zh-TW', '2026-12-01', '2027-01-09')).toEqual([
      { due: '115年12月1日', dueDate: '2026-12-01' },
      { due: '116年1月9日', dueDate: '2027-01-09' },
    ]);
    expect(dues('en', '2026-12-01')).toEqual([{ due: 'Tue 1 Dec 2026 (ROC 115)', dueDate: '2026-12-01' }]);
    // The day headings too: no 年/月/日 in English.
    const en = dashboardView({ ...DATA, days: [day('2026-12-01')] }, 'en');
    expect(en.days[0]!.rocDate).toBe('Tue 1 Dec 2026 (ROC 115)');
    expect(dues('zh-TW', '2026-02-30', '月底', undefined)).toEqual([
      { due: '2026-02-30', dueDate: '' },
      { due: '月底', dueDate: '' },
      { due: '', dueDate: '' },
    ]);
  });

  it('tolerates missing fields without crashing', () => {
    const odd = { person: { name: 7 }, today: '', days: [{ rocDate: null, todos: null }, {}, {}, {}], menu: null } as unknown as Dashboard;
    const v = dashboardView(odd, 'zh-TW');
    expect(v.name).toBe('');
    expect(v.days).toHaveLength(3);
    expect(v.days[0]!.empty).toBe('本日無待辦事項');
  });

  it('shows the agency by its English name in English when HR gave one', () => {
    const withEn = { ...DATA, person: { ...DATA.person, agency: '行政院人事行政總處', agencyEn: 'DGPA' } };
    expect(dashboardView(withEn, 'en').agency).toBe('DGPA');
    expect(dashboardView(withEn, 'zh-TW').agency).toBe('行政院人事行政總處');
    expect(dashboardView({ ...withEn, person: { ...withEn.person, agencyEn: '' } }, 'en').agency).toBe('行政院人事行政總處');
  });
});
