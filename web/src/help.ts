// Entry point of help/index.html: the list of help topics (their content arrives with issue 7).

import type { Lang } from './i18n';
import { applyStrings, safeStorage, setupLangSwitch, storedLang } from './lang';
import { HELP_TOPICS, helpHref, t } from './strings';

const storage = safeStorage(window);
const list = document.getElementById('help-topics');

function draw(lang: Lang): void {
  applyStrings(document, lang);
  if (!list) return;
  list.replaceChildren(
    ...HELP_TOPICS.map((h) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = helpHref(h.slug);
      a.textContent = t(h.key, lang);
      li.append(a);
      return li;
    }),
  );
}

setupLangSwitch(document, storage, draw);
draw(storedLang(storage));
