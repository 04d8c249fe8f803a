// The seed's flow, literally, in real Chromium against the REAL system (scripts/demo.sh in a temporary folder:
// ecpa-portal, ecpa-sim's OCSP and ICSC, ecpa-agent over cardmod/SoftHSM2 — nothing stands in):
//   PIN → 帳號資訊不存在 (取消 / 我要更新憑證) → 我要更新憑證 → 自然人憑證檢測: ID + PIN → 下一步 → success → back →
//   PIN → dashboard with today's ROC date and 王小明.
// Once through the pop-up protocol (the agent's pop-up; the portal is not on its allowlist, so the pop-up asks
// once to allow the site, as for any new site) and once through direct mode (the PIN typed in the agent's own
// PIN window). Screenshots of each screen go to build/e2e-artifacts/seed-<mode>-NN-<screen>.png.

import { DESKTOP, artifact, assert, newRealContext } from './lib/harness.mjs';
import { PEOPLE, expectVisible, pageError, signWithComponent, startSystem } from './lib/system.mjs';

const wang = PEOPLE.wang;

/** Today in Taiwan (UTC+8) as the seed writes it: 民國 year = Gregorian − 1911, e.g. 110年12月14日. */
export function rocToday(now = new Date()) {
  const tw = new Date(now.getTime() + 8 * 3600_000);
  return `${tw.getUTCFullYear() - 1911}年${tw.getUTCMonth() + 1}月${tw.getUTCDate()}日`;
}

async function shot(page, mode, n, screen) {
  await page.screenshot({ path: artifact(`seed-${mode}-${String(n).padStart(2, '0')}-${screen}.png`), fullPage: true });
}

async function seedFlow(mode) {
  const system = await startSystem({ allowPortal: mode === 'direct' });
  const context = await newRealContext(DESKTOP);
  let n = 0;
  const shots = (p, screen) => shot(p, mode, ++n, screen);
  try {
    const page = await context.newPage();
    await page.goto(`${system.origin}/`);
    // The component check decides the mode: direct when the agent answers CORS for this portal.
    if (mode === 'direct') {
      await expectVisible(page, '#direct-hint:visible', 'the direct-mode hint (ecpa-agent found)', 5000);
      assert(!(await page.isVisible('#pin')), 'direct mode still asks for the PIN on the page');
    } else {
      await page.waitForTimeout(3500); // both probes (CORS, then no-cors) are over: the pop-up will be used
      assert(await page.isVisible('#pin'), 'pop-up mode has no PIN field on the page');
      assert(!(await page.isVisible('#direct-hint')), 'pop-up mode shows the direct-mode hint');
    }
    await shots(page, 'login');

    // 1. PIN → 登入: the card is not bound yet → 帳號資訊不存在 with 取消 / 我要更新憑證.
    if (mode === 'popup') await page.fill('#pin', wang.pin);
    const askedFirst = await signWithComponent(context, mode, page, () => page.click('#cert-submit'), wang.pin, shots);
    // The agent asks about a new site once (pop-up mode), and remembers the answer for the later signatures.
    if (mode === 'popup') assert(askedFirst === true, 'the agent did not ask to allow a site it does not know');
    await expectVisible(page, '#not-bound-dialog[open]', '帳號資訊不存在');
    const notBound = await page.locator('#not-bound-dialog').textContent();
    assert(notBound.includes('帳號資訊不存在'), `the dialog says: ${notBound}`);
    assert(notBound.includes('若是您最近更新卡片'), `the dialog lacks the seed's guidance: ${notBound}`);
    assert((await page.textContent('#not-bound-cancel')).includes('取消'), 'no 取消');
    assert((await page.textContent('#not-bound-update')).includes('我要更新憑證'), 'no 我要更新憑證');
    await shots(page, 'not-bound');

    // 2. 我要更新憑證 → 自然人憑證檢測: 身分證字號 + PIN → 下一步.
    await page.click('#not-bound-update');
    await expectVisible(page, '#bind-dialog[open]', '自然人憑證檢測');
    assert((await page.locator('#bind-dialog').textContent()).includes('自然人憑證檢測'), 'the binding dialog is not 自然人憑證檢測');
    await page.fill('#national-id', wang.id);
    if (mode === 'popup') await page.fill('#bind-pin', wang.pin);
    else assert(!(await page.isVisible('#bind-pin')), 'direct mode asks for the PIN in the page');
    await shots(page, 'bind-form');
    assert((await page.textContent('#bind-submit')).includes('下一步'), 'the button is not 下一步');
    const askedAgain = await signWithComponent(context, mode, page, () => page.click('#bind-submit'), wang.pin, shots);
    if (mode === 'popup') assert(askedAgain === false, 'the agent asked again about a site already allowed');

    // 3. Success (the CA checked the certificate and the ID; the card is now bound) → back to the login.
    await expectVisible(page, '#bound-dialog[open]', 'the binding success message');
    await shots(page, 'bound');
    await page.click('#bound-close');
    await page.locator('#bound-dialog').waitFor({ state: 'hidden' });

    // 4. PIN again → the dashboard.
    if (mode === 'popup') await page.fill('#pin', wang.pin);
    await signWithComponent(context, mode, page, () => page.click('#cert-submit'), wang.pin, shots);
    try {
      await page.waitForURL(/\/dashboard\.html/, { timeout: 20_000 });
    } catch {
      throw new Error(`no dashboard after the second login${await pageError(page)}`);
    }
    await page.locator('#person-name').filter({ hasText: wang.name }).waitFor({ timeout: 10_000 });
    const today = rocToday();
    const days = await page.locator('#days').textContent();
    assert(days.includes(today), `the calendar does not show today's ROC date ${today}: ${days}`);
    const todos = await page.locator('#today-todos').textContent();
    assert(todos.includes('年度考績評定'), `today's to-dos lack the demo's 年度考績評定: ${todos}`);
    // Due dates read like the calendar's days (ROC), never as the API's YYYY-MM-DD.
    assert(todos.includes(`期限: ${today}`) && !/\d{4}-\d{2}-\d{2}/.test(todos), `today's to-dos do not show their due date as ${today}: ${todos}`);
    assert((await page.locator('#person-method').textContent()).trim() !== '', 'the login method is not shown');
    await shots(page, 'dashboard');
  } catch (e) {
    const log = system.output().split('\n').slice(-5).join('\n');
    throw new Error(`${e.message}\n--- demo.sh said ---\n${log}`);
  } finally {
    await context.close();
    await system.stop();
  }
}

export const tests = [
  { name: 'seed flow in the real system through the pop-up protocol', run: () => seedFlow('popup') },
  { name: 'seed flow in the real system through direct mode (PIN in the agent window)', run: () => seedFlow('direct') },
];
