// Entry point of the header's public pages (最新公告, 下載專區, 機關組織): what anyone may read before logging
// in. Everything from the server is drawn with textContent only.

import { ApiError } from './api';
import { byId, el } from './dom';
import { showError } from './errors_view';
import { linkHomeIfLoggedIn } from './home_link';
import type { Lang } from './i18n';
import { applyStrings, safeStorage, setupLangSwitch, storedLang } from './lang';
import { toShown } from './login';
import { dateFromIso } from './roc_date';
import { t } from './strings';

const storage = safeStorage(window);
let lang: Lang = storedLang(storage);
const page = document.body.dataset['page'] ?? '';


async function getJson(path: string): Promise<Record<string, unknown>> {
  let r: Response;
  try {
    r = await fetch(path, { headers: { Accept: 'application/json', 'Accept-Language': lang }, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError('PORTAL_UNREACHABLE', 0);
  }
  const body = (await r.json().catch(() => null)) as Record<string, unknown> | null;
  if (!r.ok || body === null) throw new ApiError(typeof body?.['code'] === 'string' ? body['code'] : 'INTERNAL_ERROR', r.status);
  return body;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const failed = (e: unknown): void => showError(byId('load-error'), toShown(e), lang, window.location.origin, navigator.userAgent);

// --- 最新公告 ---
let annPage = 1;
let announcements: Record<string, unknown> | null = null;

function drawAnnouncements(): void {
  if (!announcements) return;
  const list = Array.isArray(announcements['announcements']) ? (announcements['announcements'] as Record<string, unknown>[]) : [];
  byId('announcement-list').replaceChildren(
    ...(list.length === 0
      ? [el('li', 'announcement announcement--none', t('announcementsNone', lang))]
      : list.map((a) => {
          const li = el('li', 'announcement');
          li.append(el('h2', '', text(a['title'])));
          const when = el('p', 'announcement__date', `${t('published', lang)}: `);
          const time = el('time', '', dateFromIso(text(a['published']), lang) ?? text(a['published']));
          time.dateTime = text(a['published']);
          when.append(time);
          li.append(when, el('p', 'announcement__body', text(a['body'])));
          return li;
        })),
  );
  byId('older').hidden = announcements['more'] !== true;
  byId('newer').hidden = annPage <= 1;
}

async function loadAnnouncements(n: number): Promise<void> {
  try {
    announcements = await getJson(`/api/announcements?page=${n}`);
    annPage = n;
    drawAnnouncements();
  } catch (e) {
    failed(e);
  }
}

// --- 機關組織 ---
let agencies: Record<string, unknown>[] = [];

function drawOrganization(): void {
  const name = (a: Record<string, unknown>): string => (lang === 'en' && text(a['nameEn']) !== '' ? text(a['nameEn']) : text(a['name']));
  const children = (parent: string): HTMLLIElement[] =>
    agencies
      .filter((a) => text(a['parent']) === parent)
      .map((a) => {
        const li = el('li', '', name(a));
        const below = children(text(a['code']));
        if (below.length > 0) {
          const ul = el('ul', '');
          ul.append(...below);
          li.append(ul);
        }
        return li;
      });
  const top = children('');
  byId('org-tree').replaceChildren(...(top.length > 0 ? top : [el('li', '', t('organizationNone', lang))]));
}

// --- 下載專區: the packages this deployment offers (downloads/downloads.json, written where it is built) ---
let packages: Record<string, unknown>[] | null = null;

function drawDownloads(): void {
  if (packages === null) return;
  byId('agent-downloads').hidden = packages.length === 0;
  byId('agent-downloads-none').hidden = packages.length > 0;
  byId('agent-downloads-rows').replaceChildren(
    ...packages.map((p) => {
      const tr = el('tr', '');
      const link = el('a', '', text(p['file']));
      link.href = `/downloads/${encodeURIComponent(text(p['file']))}`;
      link.setAttribute('download', '');
      const file = el('td', '');
      file.append(link);
      const size = typeof p['size'] === 'number' ? `${(p['size'] / 1024 / 1024).toFixed(1)} MB` : '';
      tr.append(el('td', '', text(p['platform'])), file, el('td', '', size), el('td', 'checksum', text(p['sha256'])));
      return tr;
    }),
  );
}

async function loadDownloads(): Promise<void> {
  try {
    const r = await fetch('/downloads/downloads.json', { cache: 'no-store' });
    const body = r.ok ? ((await r.json()) as Record<string, unknown>) : {};
    packages = Array.isArray(body['packages']) ? (body['packages'] as Record<string, unknown>[]) : [];
  } catch {
    packages = [];
  }
  drawDownloads();
}

function draw(): void {
  applyStrings(document, lang);
  if (page === 'announcements') drawAnnouncements();
  if (page === 'organization') drawOrganization();
  if (page === 'downloads') drawDownloads();
}

setupLangSwitch(document, storage, (next) => {
  lang = next;
  draw();
});
draw();
void linkHomeIfLoggedIn(draw);

if (page === 'announcements') {
  byId('older').addEventListener('click', () => void loadAnnouncements(annPage + 1));
  byId('newer').addEventListener('click', () => void loadAnnouncements(annPage - 1));
  void loadAnnouncements(1);
}
if (page === 'organization') {
  getJson('/api/organization').then((body) => {
    agencies = Array.isArray(body['agencies']) ? (body['agencies'] as Record<string, unknown>[]) : [];
    drawOrganization();
  }, failed);
}
if (page === 'downloads') void loadDownloads();
