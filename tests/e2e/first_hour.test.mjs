// A new user's first hour (issue 21), against the REAL shared system (lib/system.mjs): what the login page
// and the dashboard tell a person who has only the seed guide in hand.

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
    assert((await pad.text()).includes('<title>ecpa-agent 卡片密碼</title>'), 'the PIN window is titled otherwise');
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
    for (const label of ['最新公告', '應用系統', '權限與兼辦管理', '問卷管理', '我的專區']) {
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

export const tests = [
  { name: 'a browser asking for a page that does not exist gets the site\'s 404 page in its language, with a link home; JSON stays for /api/', run: browsersGetPagesNotJson },
  { name: 'each login tab carries its own help links under its 登入 button, as the seed draws them', run: eachTabCarriesItsOwnHelp },
  { name: 'the direct-mode note names the agent window by its title and says what to do if it does not appear', run: directModeSaysWhereThePinGoes },
  { name: 'a pasted ID with a space, a line break or full-width digits is read as meant (maxlength does not cut it)', run: aPastedIdIsReadAsMeant },
  { name: 'dashboard menu items not built yet say so; a help page opened while logged in leads back home', run: unbuiltMenuItemsSaySo },
  { name: 'dates in lists never break in the middle (1280 px)', run: datesInListsDoNotBreak },
];
