// The markup every portal page shares: the skip link and site header, the personal-data notice and the
// footer. Written once here and put into the pages at build time: help_pages_plugin.ts expands the
// <!-- ecpa:NAME … --> lines of the hand-written pages (index.html, dashboard.html, help/index.html) and
// help_render.ts calls these functions for the generated help pages. The zh-TW words come from strings.ts,
// the same table lang.ts uses when the reader switches language, so the two can never disagree.
// Pure: text in, text out; nothing here touches the DOM.

import { t, type StringKey } from './strings';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const zh = (key: StringKey): string => escapeHtml(t(key, 'zh-TW'));

/** Indents every line of a block by `indent` (the placeholder's own indentation). */
export function indented(lines: readonly string[], indent: string): string {
  return lines.map((line) => indent + line).join('\n');
}

export interface HeaderOptions {
  /** Where the brand links to: the login page, or the dashboard once logged in. */
  home: string;
  /** The dashboard's main menu (filled by dashboard.ts into #menu). */
  menu: boolean;
}

/** The skip link (first in the tab order) and the site header: brand and language switch. */
export function siteHeaderLines(options: HeaderOptions): string[] {
  const menu = options.menu
    ? [
        `  <nav class="main-menu" aria-label="${zh('menu')}" data-i18n-aria-label="menu">`,
        '    <ul id="menu"></ul>',
        '  </nav>',
      ]
    : [];
  return [
    `<a class="skip-link" href="#main" data-i18n="skip">${zh('skip')}</a>`,
    '<header class="site-header">',
    '  <div class="site-header__inner">',
    `    <a class="brand" href="${escapeHtml(options.home)}">`,
    '      <svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">',
    '        <rect width="32" height="32" rx="6" fill="currentColor" />',
    '        <path d="M8 10h16v3H8zm0 5h11v3H8zm0 5h16v3H8z" fill="#fff" />',
    '      </svg>',
    `      <span class="brand__name" data-i18n="siteName">${zh('siteName')}</span>`,
    '      <span class="brand__latin">eCPA</span>',
    '    </a>',
    // The seed's header links on every page outside the dashboard (which has its menu instead).
    ...(options.menu
      ? []
      : [
          `    <nav class="site-links" aria-label="${zh('siteLinks')}" data-i18n-aria-label="siteLinks">`,
          `      <a href="/announcements.html" data-i18n="navAnnouncements">${zh('navAnnouncements')}</a>`,
          `      <a href="/downloads.html" data-i18n="navDownloads">${zh('navDownloads')}</a>`,
          `      <a href="/organization.html" data-i18n="navOrganization">${zh('navOrganization')}</a>`,
          '    </nav>',
        ]),
    `    <div class="lang-switch" role="group" aria-label="${zh('langSwitch')}" data-i18n-aria-label="langSwitch">`,
    '      <button type="button" data-lang="zh-TW" lang="zh-Hant-TW">中文</button>',
    '      <button type="button" data-lang="en" lang="en">English</button>',
    '    </div>',
    '  </div>',
    ...menu,
    '</header>',
  ];
}

/** The personal-data notice the seed shows above the login methods and the dashboard. */
export function noticeLines(): string[] {
  return [
    '<p class="notice" role="note">',
    `  <strong data-i18n="noticeLabel">${zh('noticeLabel')}</strong><span data-i18n="notice">${zh('notice')}</span>`,
    '</p>',
  ];
}

export function siteFooterLines(): string[] {
  return ['<footer class="site-footer">', `  <p data-i18n="agencyName">${zh('agencyName')}</p>`, '</footer>'];
}

// One placeholder per line: "<!-- ecpa:header home="/" menu -->". Attributes are name="value" or a bare name.
const PLACEHOLDER = /^([ \t]*)<!-- ecpa:([a-z-]+)((?: [a-z-]+(?:="[^"]*")?)*) -->[ \t]*$/gm;
const ATTRIBUTE = / ([a-z-]+)(?:="([^"]*)")?/g;

function attributesOf(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of text.matchAll(ATTRIBUTE)) found.set(m[1] ?? '', m[2] ?? '');
  return found;
}

function blockFor(name: string, attrs: Map<string, string>, where: string): string[] {
  const known = (allowed: readonly string[]): void => {
    for (const a of attrs.keys()) if (!allowed.includes(a)) throw new Error(`${where}: ecpa:${name} has no attribute ${a}`);
  };
  switch (name) {
    case 'header': {
      known(['home', 'menu']);
      const home = attrs.get('home');
      if (home === undefined || !home.startsWith('/')) throw new Error(`${where}: ecpa:header needs home="/…"`);
      return siteHeaderLines({ home, menu: attrs.has('menu') });
    }
    case 'notice':
      known([]);
      return noticeLines();
    case 'footer':
      known([]);
      return siteFooterLines();
    default:
      throw new Error(`${where}: unknown placeholder ecpa:${name}`);
  }
}

/**
 * Replaces every layout placeholder of a page with its markup, indented like the placeholder. A placeholder
 * it does not know, or one left inside a line, stops the build: a page never ships without its header.
 */
export function expandLayout(html: string, where: string): string {
  const out = html.replace(PLACEHOLDER, (_whole, indent: string, name: string, attrs: string) =>
    indented(blockFor(name, attributesOf(attrs), where), indent),
  );
  if (out.includes('<!-- ecpa:')) throw new Error(`${where}: a layout placeholder is not on a line of its own`);
  return out;
}
