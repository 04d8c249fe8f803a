// A new user's first hour (issue 21), against the REAL shared system (lib/system.mjs): what the login page
// and the dashboard tell a person who has only the seed guide in hand.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { assert, DESKTOP, newRealContext } from './lib/harness.mjs';
import { PEOPLE, approveSite, forgetSites, loggedInAs, onLoginPageAsNewVisitor, sharedSystem, useCard } from './lib/system.mjs';

// What the seed shows under each tab's 登入 button.
const TAB_HELP = {
  'panel-cert': ['忘記密碼', '登入說明文件', '機關憑證GCA、XCA 首次登入與瀏覽器設定', '自然人或機關憑證驅動程式', 'MAC及Linux跨平台網站元件'],
  'panel-nhi': ['忘記密碼', '登入說明文件', '安裝健保卡元件'],
  'panel-fido': ['如何使用自然人憑證註冊?', '如何使用行動身分識別?', '有其他使用問題?'],
  'panel-password': ['首次登入說明', '忘記密碼'],
};

async function eachTabCarriesItsOwnHelp() {
  await onLoginPageAsNewVisitor(async ({ page, system }) => {
    for (const [panel, expected] of Object.entries(TAB_HELP)) {
      const tab = await page.getAttribute(`#${panel}`, 'aria-labelledby');
      await page.click(`#${tab}`);
      const links = page.locator(`#${panel} .tab-help a`);
      await links.first().waitFor({ state: 'visible', timeout: 5000 });
      const texts = (await links.allInnerTexts()).map((t) => t.trim());
      assert(JSON.stringify(texts) === JSON.stringify(expected), `${panel} help links: ${JSON.stringify(texts)}`);
      // Under the tab's own 登入 button, as the seed draws them.
      const button = await page.locator(`#${panel} button[type="submit"]`).boundingBox();
      const list = await page.locator(`#${panel} .tab-help`).boundingBox();
      assert(button && list && list.y >= button.y + button.height, `${panel}: the help links are not under 登入`);
      for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        const r = await page.request.get(`${system.origin}${href}`);
        assert(r.status() === 200, `${panel}: ${href} answers ${r.status()}`);
      }
    }
  });
}

async function directModeSaysWhereThePinGoes() {
  const system = await sharedSystem();
  await useCard(system, PEOPLE.wang.name);
  approveSite(system); // the agent answers this site directly: direct mode
  const context = await newRealContext(DESKTOP);
  try {
    const page = await context.newPage();
    await page.goto(`${system.origin}/`);
    const hint = page.locator('#direct-hint');
    await hint.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await hint.innerText();
    assert(text.includes('「ecpa-agent 卡片密碼」') && text.includes('登入'), `the direct-mode hint does not name the window: ${text}`);
    assert(/沒有出現/.test(text), `the hint does not say what to do when the window does not appear: ${text}`);
    // The agent's PIN window is titled as the hint says.
    const pad = await page.request.get(`${system.agentUrl}/pinpad?req=${'0'.repeat(32)}`);
    assert(/<title[^>]*>ecpa-agent 卡片密碼<\/title>/.test(await pad.text()), 'the PIN window is titled otherwise');
    // The binding dialog names its own button: 下一步.
    const bindHint = await page.evaluate(() => document.getElementById('bind-direct-hint')?.textContent ?? '');
    assert(bindHint.includes('「下一步」') && !bindHint.includes('「登入」'), `the binding dialog's hint: ${bindHint}`);
  } finally {
    forgetSites(system);
    await context.close();
  }
}

async function aPastedIdIsReadAsMeant() {
  await onLoginPageAsNewVisitor(async ({ page }) => {
    // The binding dialog's ID field, reached as the seed does it, then a paste with a space in front and a
    // line break behind: maxlength must not cut it, and it is folded when the person leaves the field.
    await page.evaluate(() => document.getElementById('bind-dialog').showModal());
    const field = page.locator('#national-id');
    await field.focus();
    await page.keyboard.insertText(' A123456789');
    const typed = await field.inputValue();
    assert(typed === ' A123456789', `the field kept ${JSON.stringify(typed)} of the pasted value`);
    await page.locator('#bind-pin').focus();
    assert((await field.inputValue()) === 'A123456789', `left as ${JSON.stringify(await field.inputValue())}`);
    await field.fill('');
    await field.focus();
    await page.keyboard.insertText('ａ１２３４５６７８９');
    await page.locator('#bind-pin').focus();
    assert((await field.inputValue()) === 'A123456789', `full-width left as ${JSON.stringify(await field.inputValue())}`);
  });
}

async function unbuiltMenuItemsSaySo() {
  const system = await sharedSystem();
  const context = await newRealContext(DESKTOP);
  try {
    await loggedInAs(context, system, PEOPLE.chen);
    const page = await context.newPage();
    await page.goto(`${system.origin}/dashboard.html`);
    await page.locator('#content:not([hidden])').waitFor({ timeout: 10_000 });
    for (const label of ['應用系統', '權限與兼辦管理', '問卷管理', '我的專區']) {
      await page.locator('#menu a', { hasText: label }).click();
      const notice = page.locator('#menu-notice');
      await notice.waitFor({ state: 'visible', timeout: 3000 });
      const text = await notice.innerText();
      assert(text.includes(`「${label}」`) && text.includes('尚未開放'), `${label}: ${text}`);
      assert(page.url().endsWith('/dashboard.html'), `${label} went to ${page.url()}`);
    }
    // 新手上路 is a real page, and a help page opened while logged in leads back home.
    await page.locator('#menu a', { hasText: '新手上路' }).click();
    await page.waitForURL(/\/help\/getting-started\.html/);
    const back = page.locator('a.back-home');
    await page.waitForFunction(() => document.querySelector('a.back-home')?.getAttribute('href') === '/dashboard.html', null, { timeout: 5000 });
    assert((await back.innerText()).includes('回到首頁'), `the way back reads ${await back.innerText()}`);
    assert((await page.getAttribute('a.brand', 'href')) === '/dashboard.html', 'the brand still leads to the login page');
  } finally {
    await context.close();
  }
}

async function datesInListsDoNotBreak() {
  const system = await sharedSystem();
  const context = await newRealContext({ viewport: { width: 1280, height: 900 } });
  try {
    await loggedInAs(context, system, PEOPLE.chen);
    const page = await context.newPage();
    await page.goto(`${system.origin}/dashboard.html`);
    await page.locator('#content:not([hidden])').waitFor({ timeout: 10_000 });
    const dates = await page.locator('#main time').evaluateAll((ts) => ts.map((t) => ({ text: t.textContent, lines: t.getClientRects().length })));
    assert(dates.length > 0, 'no dates on the dashboard');
    const broken = dates.filter((d) => d.lines !== 1);
    assert(broken.length === 0, `dates broken across lines: ${JSON.stringify(broken)}`);
  } finally {
    await context.close();
  }
}

async function browsersGetPagesNotJson() {
  const system = await sharedSystem();
  const context = await newRealContext(DESKTOP);
  try {
    const page = await context.newPage();
    const answer = await page.goto(`${system.origin}/no-such-page`);
    assert(answer.status() === 404, `a missing page answers ${answer.status()}`);
    assert((answer.headers()['content-type'] ?? '').startsWith('text/html'), `a missing page is ${answer.headers()['content-type']}`);
    await page.locator('#error-message').waitFor({ timeout: 5000 });
    assert((await page.innerText('#error-message')).includes('找不到您要的頁面'), `zh-TW: ${await page.innerText('#error-message')}`);
    assert((await page.getAttribute('a.back-home', 'href')) === '/', 'no link home');
    assert(await page.locator('.site-header').isVisible(), 'not in the site\'s look (no header)');
    // The person's language: English chosen with the switch.
    await page.click('button[data-lang="en"]');
    assert((await page.innerText('#error-message')).includes('The page or item was not found.'), `en: ${await page.innerText('#error-message')}`);
    assert(!/[\u4e00-\u9fff]/.test(await page.innerText('#main')), `Chinese left on the English error page: ${await page.innerText('#main')}`);
    // JSON stays for the API and for clients that ask for it.
    const api = await page.request.get(`${system.origin}/api/no-such-thing`, { headers: { Accept: 'text/html' } });
    assert(api.status() === 404 && (api.headers()['content-type'] ?? '').startsWith('application/json'), '/api/ answers HTML');
    const client = await page.request.get(`${system.origin}/no-such-page`, { headers: { Accept: 'application/json' } });
    assert((client.headers()['content-type'] ?? '').startsWith('application/json'), 'a JSON client got HTML');
  } finally {
    await context.close();
  }
}

async function theSessionsClock() {
  // The page's clock is Playwright's (page.clock), so minutes pass in an instant on the page; the server's
  // session stays as real time has it (its own timeouts are tested in apps/portal's tests).
  const system = await sharedSystem();
  const context = await newRealContext(DESKTOP);
  try {
    await loggedInAs(context, system, PEOPLE.chen);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${system.origin}/dashboard.html`);
    await page.locator('#content:not([hidden])').waitFor({ timeout: 10_000 });
    const timer = page.locator('[role="timer"]');
    await page.waitForFunction(() => /^1[45]:\d\d$/.test(document.getElementById('session-timer')?.textContent ?? ''), null, { timeout: 5000 });
    assert((await timer.getAttribute('id')) === 'session-timer', 'no role=timer element');
    assert(await page.locator('#session-warning').isHidden(), 'a warning before its time');
    // Two minutes before the end: the warning, with 延長登入 focused.
    await page.clock.fastForward('13:05');
    await page.locator('#session-warning').waitFor({ state: 'visible', timeout: 5000 });
    assert(/1:5\d/.test(await page.innerText('#session-warning-text')), `warning text: ${await page.innerText('#session-warning-text')}`);
    assert(await page.evaluate(() => document.activeElement?.id === 'session-extend'), '延長登入 is not focused');
    // 延長登入 is a real server call.
    const extend = page.waitForResponse((r) => r.url().endsWith('/api/session/extend'));
    await page.click('#session-extend');
    assert((await extend).status() === 200, 'the extension was refused');
    await page.locator('#session-warning').waitFor({ state: 'hidden', timeout: 5000 });
    assert(/^1[45]:\d\d$/.test(await timer.innerText()), `after 延長登入 the timer reads ${await timer.innerText()}`);
    // At the end: the page's count is over and so is the server's (its sessions timed out: set in the
    // demo's database, since real minutes cannot pass here) — the login page, saying why.
    execFileSync('sqlite3', ['-cmd', '.timeout 5000', join(system.dir, 'portal', 'portal.db'), 'UPDATE sessions SET idle_expires_at = 0']);
    await page.clock.fastForward('15:10');
    await page.waitForURL((u) => u.pathname === '/', { timeout: 10_000 });
    const reason = page.locator('#login-reason');
    await reason.waitFor({ state: 'visible', timeout: 5000 });
    assert((await reason.innerText()).includes('您的連線已逾時'), `the login page says: ${await reason.innerText()}`);
    assert(!page.url().includes('reason='), 'the reason stays in the address');
    await page.click('button[data-lang="en"]');
    assert((await reason.innerText()).includes('Your session has expired.'), `in English: ${await reason.innerText()}`);
    await page.click('button[data-lang="zh-TW"]');
  } finally {
    await context.close();
  }
}

async function loggingOutInOneTabEndsTheOthers() {
  const system = await sharedSystem();
  const context = await newRealContext(DESKTOP);
  try {
    await loggedInAs(context, system, PEOPLE.chen);
    const first = await context.newPage();
    const second = await context.newPage();
    for (const p of [first, second]) {
      await p.goto(`${system.origin}/dashboard.html`);
      await p.locator('#content:not([hidden])').waitFor({ timeout: 10_000 });
    }
    await first.bringToFront();
    await first.click('#logout');
    await first.waitForURL((u) => u.pathname === '/', { timeout: 10_000 });
    // The other tab's next action takes it to the login page, which says why.
    await second.bringToFront();
    // (Bringing it to the front may already count as one: then it is on its way before the click.)
    await second.locator('#menu a').nth(1).click({ timeout: 3000 }).catch(() => {});
    await second.waitForURL((u) => u.pathname === '/', { timeout: 10_000 });
    const reason = second.locator('#login-reason');
    await reason.waitFor({ state: 'visible', timeout: 5000 });
    assert((await reason.innerText()).includes('您已登出'), `the other tab says: ${await reason.innerText()}`);
  } finally {
    await context.close();
  }
}

async function theHappyPathIsQuiet() {
  // A bound card logs in through the page (direct mode: the PIN in the agent's own window), the dashboard
  // loads, a help page opens, the person logs out: no console error, no failed request, no 4xx/5xx, in any
  // window of the context, the agent's included.
  const system = await sharedSystem();
  await useCard(system, PEOPLE.chen.name);
  approveSite(system);
  const context = await newRealContext(DESKTOP);
  const noise = [];
  context.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') noise.push(`console ${m.type()} on ${m.page()?.url()}: ${m.text()}`);
  });
  context.on('weberror', (e) => noise.push(`page error: ${e.error()}`));
  context.on('requestfailed', (r) => noise.push(`failed request: ${r.url()} (${r.failure()?.errorText})`));
  context.on('response', (r) => {
    if (r.status() >= 400) noise.push(`${r.status()} for ${r.url()}`);
  });
  try {
    const page = await context.newPage();
    await page.goto(`${system.origin}/`);
    await page.locator('#direct-hint').waitFor({ state: 'visible', timeout: 10_000 });
    const pinWindow = context.waitForEvent('page', { timeout: 15_000 });
    await page.click('#cert-submit');
    const pad = await pinWindow;
    await pad.locator('#pin-form:not(.hidden)').waitFor({ timeout: 15_000 });
    await pad.fill('#pin', PEOPLE.chen.pin);
    await pad.click('#pin-ok');
    await page.waitForURL(/\/dashboard\.html/, { timeout: 20_000 });
    await page.locator('#content:not([hidden])').waitFor({ timeout: 10_000 });
    await page.locator('#menu a', { hasText: '使用手冊' }).click();
    await page.waitForURL(/\/help\/manual\.html/);
    await page.waitForFunction(() => document.querySelector('a.back-home')?.getAttribute('href') === '/dashboard.html', null, { timeout: 5000 });
    await page.click('a.back-home');
    await page.locator('#content:not([hidden])').waitFor({ timeout: 10_000 });
    await page.click('#logout');
    await page.waitForURL((u) => u.pathname === '/', { timeout: 10_000 });
    await page.locator('#direct-hint').waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(500); // late requests of the last page
    assert(noise.length === 0, `the happy path was not quiet:\n${noise.join('\n')}`);
  } finally {
    forgetSites(system);
    await context.close();
  }
}

// Text a person reads, with what is personal data or written by people (names, titles, to-dos, announcements)
// and the 中文 switch (which names itself in its own language) left out.
async function chineseOn(page) {
  return page.evaluate(() => {
    // Data people wrote (names, titles, to-dos, announcements), not the portal's own words.
    const skip = '#person-name, #person-title, .todo, .announcement h2, .announcement__body, button[data-lang="zh-TW"], script, style';
    const clone = document.body.cloneNode(true);
    // innerText needs layout: measure on the live page, hiding the skipped parts meanwhile.
    const hidden = [...document.querySelectorAll(skip)].map((el) => [el, el.style.visibility]);
    hidden.forEach(([el]) => (el.style.visibility = 'hidden'));
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip) || !el.checkVisibility?.() || !/[\u3400-\u9fff]/.test(n.textContent ?? '')) continue;
      found.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className}: ${n.textContent.trim().slice(0, 80)}`);
    }
    hidden.forEach(([el, v]) => (el.style.visibility = v));
    void clone;
    const attrs = [...document.querySelectorAll('[placeholder], [aria-label], [title]')]
      .filter((el) => !el.closest(skip))
      .flatMap((el) => ['placeholder', 'aria-label', 'title'].map((a) => el.getAttribute(a) ?? ''))
      .filter((v) => /[\u3400-\u9fff]/.test(v));
    // The dashboard's title names the person (personal data); the rest of it must be English.
    const title = document.title.replace(document.getElementById('person-name')?.textContent || '\u0000', '');
    if (/[\u3400-\u9fff]/.test(title)) found.push(`<title>: ${document.title}`);
    if (document.documentElement.lang !== 'en') found.push(`<html lang="${document.documentElement.lang}">`);
    return [...found, ...attrs.map((a) => `attribute: ${a}`)];
  });
}

async function everyPageInEnglish() {
  const system = await sharedSystem();
  const context = await newRealContext(DESKTOP);
  await context.addInitScript(() => window.localStorage.setItem('ecpa.lang', 'en'));
  const problems = [];
  const check = async (page, where) => {
    for (const c of await chineseOn(page)) problems.push(`${where}: ${c}`);
  };
  try {
    const page = await context.newPage();
    await page.goto(`${system.origin}/`);
    await page.locator('#cert-submit').waitFor();
    for (const tab of ['tab-cert', 'tab-nhi', 'tab-fido', 'tab-password']) {
      await page.click(`#${tab}`);
      await check(page, `login page, ${tab}`);
    }
    await page.click('#tab-cert');
    for (const dialog of ['not-bound-dialog', 'bind-dialog', 'bound-dialog']) {
      await page.evaluate((id) => document.getElementById(id).showModal(), dialog);
      await check(page, dialog);
      await page.evaluate((id) => document.getElementById(id).close(), dialog);
    }
    const helpIndex = await context.newPage();
    await helpIndex.goto(`${system.origin}/help/index.html`);
    await helpIndex.locator('#help-topics a').first().waitFor();
    await check(helpIndex, 'help index');
    const helpPages = await helpIndex.locator('#help-topics a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of helpPages) {
      await helpIndex.goto(`${system.origin}${href}`);
      await helpIndex.locator('article[data-article-lang="en"]:not([hidden])').waitFor({ timeout: 5000 });
      await check(helpIndex, href);
    }
    for (const [path, ready] of [['/announcements.html', '#announcement-list .announcement'], ['/downloads.html', '#agent-downloads:not([hidden])'], ['/organization.html', '#org-tree > li']]) {
      await helpIndex.goto(`${system.origin}${path}`);
      await helpIndex.locator(ready).first().waitFor({ timeout: 5000 });
      await check(helpIndex, path);
    }
    await helpIndex.goto(`${system.origin}/no-such-page`);
    await helpIndex.locator('#error-message').waitFor();
    await check(helpIndex, 'the 404 page');
    await loggedInAs(context, system, PEOPLE.chen);
    await page.goto(`${system.origin}/dashboard.html`);
    await page.locator('#content:not([hidden])').waitFor({ timeout: 10_000 });
    await check(page, 'dashboard');
    assert((await page.innerText('#person-agency')).startsWith('Directorate-General'), `agency: ${await page.innerText('#person-agency')}`);
    assert(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4} \(ROC \d+\)/.test(await page.innerText('#days')), `dates: ${await page.innerText('#days')}`);
    await page.locator('#menu a').nth(1).click();
    await check(page, 'dashboard, a menu item not built yet');
    assert(problems.length === 0, `Chinese on English pages:\n${problems.join('\n')}`);
  } finally {
    await context.close();
  }
}

async function theHeaderAsTheSeedDrawsIt() {
  const system = await sharedSystem();
  const context = await newRealContext(DESKTOP);
  try {
    const page = await context.newPage();
    await page.goto(`${system.origin}/`);
    const links = page.locator('.site-header .site-links a');
    const texts = (await links.allInnerTexts()).map((x) => x.trim());
    assert(JSON.stringify(texts) === JSON.stringify(['最新公告', '下載專區', '機關組織']), `header links: ${JSON.stringify(texts)}`);

    // 最新公告: the demo's public announcements, from the portal's store, newest first, with their date.
    await links.nth(0).click();
    await page.waitForURL(/\/announcements\.html/);
    await page.locator('#announcement-list .announcement h2').first().waitFor({ timeout: 5000 });
    const titles = await page.locator('#announcement-list .announcement h2').allInnerTexts();
    assert(titles.includes('歡迎使用人事服務網示範環境') && titles.includes('示範資料說明'), `announcements: ${titles}`);
    assert(/\d+年\d+月\d+日/.test(await page.locator('.announcement__date').first().innerText()), 'no ROC date on an announcement');
    assert(await page.locator('.site-header').isVisible(), 'not in the site\'s look');

    // 下載專區: ecpa-agent with its checksum, which is the file's; the official pages; the card-driver page.
    await page.click('.site-links a[href="/downloads.html"]');
    await page.locator('#agent-downloads:not([hidden])').waitFor({ timeout: 5000 });
    const row = page.locator('#agent-downloads-rows tr').first();
    const shown = (await row.locator('.checksum').innerText()).trim();
    assert(/^[0-9a-f]{64}$/.test(shown), `checksum shown: ${shown}`);
    const href = await row.locator('a').getAttribute('href');
    const file = await page.request.get(`${system.origin}${href}`);
    assert(file.status() === 200, `the package answers ${file.status()}`);
    const { createHash } = await import('node:crypto');
    const actual = createHash('sha256').update(await file.body()).digest('hex');
    assert(actual === shown, `the package's SHA-256 is ${actual}, the page says ${shown}`);
    const hrefs = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert(hrefs.includes('/help/card-driver.html') && hrefs.some((h) => h?.startsWith('https://moica.nat.gov.tw/')), `download links: ${hrefs}`);

    // 機關組織: the agencies and their units from HR's data (the demo's two agencies, one with three units).
    await page.click('.site-links a[href="/organization.html"]');
    await page.locator('#org-tree > li').first().waitFor({ timeout: 5000 });
    const tops = await page.locator('#org-tree > li').allInnerTexts();
    assert(tops.length === 2 && tops.some((t) => t.startsWith('行政院人事行政總處')) && tops.some((t) => t.startsWith('臺北市政府人事處')),
      `top of the tree: ${JSON.stringify(tops)}`);
    const dgpa = page.locator('#org-tree > li').filter({ hasText: '行政院人事行政總處' });
    const units = await dgpa.locator(':scope > ul > li').allInnerTexts();
    assert(units.length === 3 && units.includes('人事室'), `units: ${units}`);
    await page.click('button[data-lang="en"]');
    const english = await page.locator('#org-tree > li').allInnerTexts();
    assert(english.some((t) => t.startsWith('Directorate-General of Personnel Administration')), `the English names: ${JSON.stringify(english)}`);
    await page.click('button[data-lang="zh-TW"]');
  } finally {
    await context.close();
  }
}

export const tests = [
  { name: 'the header carries 最新公告, 下載專區 and 機關組織, each a real page: the store\'s announcements, the agent with a checksum that matches, the agency and its units', run: theHeaderAsTheSeedDrawsIt },
  { name: 'every reachable page in English: no Chinese outside personal data; English dates with the ROC year; the agency\'s English name', run: everyPageInEnglish },
  { name: 'the happy path raises no console error, failed request or 404, the agent\'s windows included', run: theHappyPathIsQuiet },
  { name: 'the dashboard shows the time left (role=timer), warns two minutes before with a working 延長登入, and ends on the login page saying why', run: theSessionsClock },
  { name: 'logging out in one tab takes the other tabs to the login page at their next action, saying so', run: loggingOutInOneTabEndsTheOthers },
  { name: 'a browser asking for a page that does not exist gets the site\'s 404 page in its language, with a link home; JSON stays for /api/', run: browsersGetPagesNotJson },
  { name: 'each login tab carries its own help links under its 登入 button, as the seed draws them', run: eachTabCarriesItsOwnHelp },
  { name: 'the direct-mode note names the agent window by its title and says what to do if it does not appear', run: directModeSaysWhereThePinGoes },
  { name: 'a pasted ID with a space, a line break or full-width digits is read as meant (maxlength does not cut it)', run: aPastedIdIsReadAsMeant },
  { name: 'dashboard menu items not built yet say so; a help page opened while logged in leads back home', run: unbuiltMenuItemsSaySo },
  { name: 'dates in lists never break in the middle (1280 px)', run: datesInListsDoNotBreak },
];
