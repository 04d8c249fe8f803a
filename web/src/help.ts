// Entry point of every help page: the topic list on help/index.html, and on the generated pages
// (help_render.ts) the article in the reader's language, this portal's own origin where the steps name
// it, and anchors that work in either language (the English article's ids carry an "en-" prefix).

import type { Lang } from './i18n';
import { linkHomeIfLoggedIn } from './home_link';
import { applyStrings, safeStorage, setupLangSwitch, storedLang } from './lang';
import { HELP_PAGES, helpHref, t } from './strings';

const storage = safeStorage(window);
const list = document.getElementById('help-topics');

function drawTopics(lang: Lang): void {
  if (!list) return;
  list.replaceChildren(
    ...HELP_PAGES.map((h) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = helpHref(h.slug);
      a.textContent = t(h.key, lang);
      li.append(a);
      return li;
    }),
  );
}

function drawArticle(lang: Lang): void {
  const articles = Array.from(document.querySelectorAll<HTMLElement>('article[data-article-lang]'));
  if (articles.length === 0) return;
  let shown: HTMLElement | undefined;
  for (const a of articles) {
    const mine = a.dataset['articleLang'] === lang;
    a.hidden = !mine;
    if (mine) shown = a;
  }
  if (shown?.dataset['title']) document.title = shown.dataset['title'];
  // A link to #code-X or #ecpa-agent names the zh-TW anchor; in English go to its twin.
  const id = decodeURIComponent(window.location.hash.slice(1));
  if (id !== '') {
    const target = document.getElementById(lang === 'en' && !id.startsWith('en-') ? `en-${id}` : lang === 'zh-TW' ? id.replace(/^en-/, '') : id);
    target?.scrollIntoView();
  }
}

function draw(lang: Lang): void {
  applyStrings(document, lang);
  drawTopics(lang);
  drawArticle(lang);
}

// Steps name this portal's own address, known only here (the pages are built once for any deployment).
document.querySelectorAll<HTMLElement>('.origin').forEach((el) => {
  el.textContent = window.location.origin;
});
setupLangSwitch(document, storage, draw);
draw(storedLang(storage));
void linkHomeIfLoggedIn(() => draw(storedLang(storage)));
