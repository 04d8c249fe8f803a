// Turns the help documents (Markdown, zh-TW and English) into the help pages the portal serves, at build
// time (help_pages_plugin.ts feeds it files). Pure: text in, HTML out, so the tests check every page
// without a browser. The FAQ's error list is generated from the message catalogue so it can never fall
// behind a new code, and the pop-up steps come from browser.ts so the pages and the login page's own
// guidance always say the same thing.

import { Marked } from 'marked';
import { BROWSER_ORDER, browserName, popupSteps } from './browser';
import type { Lang } from './i18n';
import { escapeHtml, indented, siteFooterLines, siteHeaderLines } from './page_layout';

export { escapeHtml };

export interface CatalogueEntry {
  'zh-TW': { message: string; action: string };
  en: { message: string; action: string };
}

export interface HelpSource {
  slug: string;
  /** Markdown per language; the first line is "# Title". */
  markdown: Record<Lang, string>;
}

export interface RenderContext {
  /** Download and help addresses, for {{url:name}}. */
  links: Record<string, string>;
  /** The message catalogue (keys starting with "_" are comments). */
  catalogue: Record<string, unknown>;
}

export interface HelpPage {
  slug: string;
  title: Record<Lang, string>;
  /** The HTML of each language's article body (title included). */
  body: Record<Lang, string>;
}

const LANGS: readonly Lang[] = ['zh-TW', 'en'];

/** The title: the first "# " line. A document without one is a build error, not a page titled "". */
export function titleOf(markdown: string, where: string): string {
  const m = /^# (.+)$/m.exec(markdown);
  if (!m?.[1]) throw new Error(`${where}: no "# Title" line`);
  return m[1].trim();
}

// The origin is not known at build time: help.ts fills every .origin span with the page's own origin.
const ORIGIN_MARK = '\u0000origin\u0000';

/** The steps to allow pop-ups, one section per browser in the seed's order. */
export function popupStepsHtml(lang: Lang, placeholder: string): string {
  const origin = `<span class="origin">${escapeHtml(placeholder)}</span>`;
  return BROWSER_ORDER.map((kind) => {
    const steps = popupSteps(kind, lang, ORIGIN_MARK)
      .map((s) => `<li>${escapeHtml(s).replaceAll(ORIGIN_MARK, origin)}</li>`)
      .join('');
    return `<section class="browser-steps" id="${lang === 'en' ? 'en-' : ''}popups-${kind}"><h3>${escapeHtml(browserName(kind, lang))}</h3><ol>${steps}</ol></section>`;
  }).join('\n');
}

interface Family {
  test: (code: string) => boolean;
  title: Record<Lang, string>;
}

// Families in the order a person meets them: card and component first, server trouble last.
const FAMILIES: readonly Family[] = [
  { test: (c) => /^(CARD_|READER_|PIN_)/.test(c), title: { 'zh-TW': '卡片、讀卡機與 PIN 碼', en: 'Card, reader and PIN' } },
  { test: (c) => /^(COMPONENT_|POPUP_|AGENT_)/.test(c), title: { 'zh-TW': '本機元件與彈出式視窗', en: 'Local component and pop-ups' } },
  { test: (c) => /^(CERT_|OCSP_|CRL_|CMS_|SIGNATURE_|TBS_|PACKAGE_|ALGORITHM_|LOGIN_TEXT_)/.test(c), title: { 'zh-TW': '憑證與簽章檢查', en: 'Certificate and signature checks' } },
  { test: (c) => /^(NATIONAL_ID_|ID_|PERSON_|ACCOUNT_|IDENTITY_)/.test(c), title: { 'zh-TW': '身分與帳號', en: 'Identity and account' } },
  { test: (c) => /^(NONCE_|CSRF_|SESSION_|NOT_LOGGED_IN|ORIGIN_|CHALLENGE_|PORTAL_|RATE_)/.test(c), title: { 'zh-TW': '登入工作階段與連線', en: 'Login session and connection' } },
  { test: () => true, title: { 'zh-TW': '系統與其他', en: 'System and other' } },
];

function isEntry(v: unknown): v is CatalogueEntry {
  const text = (x: unknown): boolean =>
    typeof x === 'object' && x !== null && typeof (x as Record<string, unknown>)['message'] === 'string' && typeof (x as Record<string, unknown>)['action'] === 'string';
  return typeof v === 'object' && v !== null && text((v as Record<string, unknown>)['zh-TW']) && text((v as Record<string, unknown>)['en']);
}

/** Every catalogue code, grouped; each with an anchor (#code-X) the login page's errors can link to. */
export function errorCodesHtml(catalogue: Record<string, unknown>, lang: Lang): string {
  const codes = Object.keys(catalogue).filter((k) => !k.startsWith('_'));
  const groups = FAMILIES.map((f) => ({ f, codes: [] as string[] }));
  for (const code of codes) {
    const entry = catalogue[code];
    if (!isEntry(entry)) throw new Error(`catalogue: ${code} lacks zh-TW/en message and action`);
    groups.find((g) => g.f.test(code))?.codes.push(code);
  }
  const labels = lang === 'en' ? { what: 'What it means', todo: 'What to do' } : { what: '說明', todo: '處理方式' };
  const idPrefix = lang === 'en' ? 'en-code-' : 'code-';
  return groups
    .filter((g) => g.codes.length > 0)
    .map((g) => {
      const items = g.codes
        .map((code) => {
          const text = (catalogue[code] as CatalogueEntry)[lang];
          // Placeholders such as {tries_left} are filled on the login page; here they read as "…".
          const plain = (s: string): string => escapeHtml(s.replace(/\{[a-z_]+\}/g, '…'));
          return (
            `<div class="error-code" id="${idPrefix}${escapeHtml(code)}"><dt><code>${escapeHtml(code)}</code></dt>` +
            `<dd><p><strong>${labels.what}:</strong>${plain(text.message)}</p><p><strong>${labels.todo}:</strong>${plain(text.action)}</p></dd></div>`
          );
        })
        .join('\n');
      return `<section class="error-family"><h3>${escapeHtml(g.f.title[lang])}</h3><dl class="error-codes">${items}</dl></section>`;
    })
    .join('\n');
}

/** Renders one document in one language. Unknown {{…}} directives are build errors, never left in a page. */
export function renderMarkdown(markdown: string, lang: Lang, ctx: RenderContext, where: string): string {
  const originPlaceholder = lang === 'en' ? "this site's address" : '本網站網址';
  const blocks: string[] = [];
  // Generated blocks are kept out of Markdown's reach and put back after rendering.
  const keep = (html: string): string => {
    blocks.push(html);
    return `\n\n<div data-block="${blocks.length - 1}"></div>\n\n`;
  };
  const expanded = markdown.replace(/\{\{([a-z-]+)(?::([a-z-]+))?\}\}/g, (whole: string, name: string, arg: string | undefined) => {
    if (name === 'popup-steps' && arg === undefined) return keep(popupStepsHtml(lang, originPlaceholder));
    if (name === 'error-codes' && arg === undefined) return keep(errorCodesHtml(ctx.catalogue, lang));
    if (name === 'url' && arg !== undefined) {
      const url = ctx.links[arg];
      if (url === undefined) throw new Error(`${where}: unknown link ${arg}`);
      return `[${url}](${url})`;
    }
    throw new Error(`${where}: unknown directive ${whole}`);
  });
  const marked = new Marked({ gfm: true, async: false });
  let html = marked.parse(expanded) as string;
  // "## Heading {#id}" gives a stable anchor; the English article's ids get an "en-" prefix (ids stay unique).
  html = html.replace(/<(h[2-4])>(.*?) \{#([a-z0-9-]+)\}<\/\1>/g, (_w, tag: string, text: string, id: string) => `<${tag} id="${lang === 'en' ? 'en-' : ''}${id}">${text}</${tag}>`);
  html = html.replace(/<div data-block="(\d+)"><\/div>/g, (_w, i: string) => blocks[Number(i)] ?? '');
  if (/\{\{|\{#/.test(html)) throw new Error(`${where}: an unexpanded directive is left`);
  // English links to other help pages stay the same: the page shows the reader's language itself.
  return html;
}

export function renderHelp(src: HelpSource, ctx: RenderContext): HelpPage {
  const title = {} as Record<Lang, string>;
  const body = {} as Record<Lang, string>;
  for (const lang of LANGS) {
    const where = `${src.slug}.${lang}.md`;
    title[lang] = titleOf(src.markdown[lang], where);
    body[lang] = renderMarkdown(src.markdown[lang], lang, ctx, where);
  }
  return { slug: src.slug, title, body };
}

/**
 * The whole page. Both languages are in it: zh-TW shown, English hidden until the reader picks it (help.ts),
 * so every link and bookmark works in either language and the page reads fine without script. The page
 * loads only /src/help.ts and /src/styles.css (Vite bundles them): nothing inline, for the strict CSP.
 */
export function pageHtml(page: HelpPage): string {
  const article = (lang: Lang): string =>
    `<article class="help-article" data-article-lang="${lang}" lang="${lang === 'en' ? 'en' : 'zh-Hant-TW'}" data-title="${escapeHtml(page.title[lang])} - ${lang === 'en' ? 'eCPA Personnel Service Portal' : '人事服務網 eCPA'}"${lang === 'en' ? ' hidden' : ''}>\n${page.body[lang]}\n</article>`;
  return `<!doctype html>
<html lang="zh-Hant-TW">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(page.title['zh-TW'])} - 人事服務網 eCPA</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/src/styles.css" />
    <script type="module" src="/src/help.ts"></script>
  </head>
  <body>
${indented(siteHeaderLines({ home: '/', menu: false }), '    ')}
    <main id="main" class="page help" tabindex="-1" data-help-slug="${escapeHtml(page.slug)}">
      <nav class="help-nav" aria-label="使用說明" data-i18n-aria-label="helpHome">
        <a href="/" class="back-home" data-i18n="backToLogin">回到登入頁</a> · <a href="/help/index.html" data-i18n="helpHome">使用說明</a>
      </nav>
${article('zh-TW')}
${article('en')}
    </main>
${indented(siteFooterLines(), '    ')}
  </body>
</html>
`;
}
