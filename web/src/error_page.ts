// Entry point of error.html, the page ecpa-portal answers a browser's 404 or 500 with. The server wrote the
// message in the language the request named; this redraws it in the language the person chose here (the
// switch, remembered in localStorage), and leads a logged-in person home rather than to the login page.

import { describeError, type Lang } from './i18n';
import { linkHomeIfLoggedIn } from './home_link';
import { applyStrings, safeStorage, setupLangSwitch, storedLang } from './lang';
import { t } from './strings';

const storage = safeStorage(window);
const code = document.querySelector<HTMLMetaElement>('meta[name="ecpa-error-code"]')?.content ?? 'INTERNAL_ERROR';
const status = document.querySelector<HTMLMetaElement>('meta[name="ecpa-error-status"]')?.content ?? '';

function draw(lang: Lang): void {
  applyStrings(document, lang);
  const text = describeError(code, lang);
  const message = document.getElementById('error-message');
  const action = document.getElementById('error-action');
  if (message) message.textContent = text.message;
  if (action) action.textContent = text.action;
  document.title = `${status} - ${t('siteName', lang)} eCPA`;
}

setupLangSwitch(document, storage, draw);
draw(storedLang(storage));
void linkHomeIfLoggedIn(() => draw(storedLang(storage)));
