// axe-core finds no serious or critical violation on the login page, the binding dialog (自然人憑證檢測) and
// the dashboard, at desktop and iPhone sizes; nothing overflows sideways on the phone; the login works by
// keyboard alone. All against the real system (lib/system.mjs: portal, agent, ecpa-sim, SoftHSM2 cards).
// Screenshots of each screen go to build/e2e-artifacts/.
//
// axe goes in through page.evaluate (the DevTools protocol, not a <script>), so every page keeps its real CSP.

import { DESKTOP, IPHONE, artifact, assert, axeViolations, newContext } from './lib/harness.mjs';
import { PEOPLE, answerAgentPopup, loggedInAs, onLoginPageAsNewVisitor, sharedSystem } from './lib/system.mjs';

const SIZES = [
  ['desktop', DESKTOP],
  ['iphone', IPHONE],
];

async function audit(page, what) {
  const bad = await axeViolations(page);
  assert(bad.length === 0, `${what}: ${bad.map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`).join('; ')}`);
}

async function noSidewaysScroll(page, what) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert(scroll <= width, `${what}: page is ${scroll}px wide on a ${width}px screen`);
}

/**
 * Drives the login page to 自然人憑證檢測 in the real system (pop-up mode, 王小明's unbound card): PIN → 登入 →
 * the agent's pop-up (允許 the first time) → 帳號資訊不存在 → 我要更新憑證.
 */
async function openBindDialog(page, system) {
  await page.waitForTimeout(3500); // the component check is over: pop-up mode
  await page.fill('#pin', PEOPLE.wang.pin);
  const popup = page.context().waitForEvent('page', { timeout: 15_000 });
  await page.click('#cert-submit');
  await answerAgentPopup(await popup, system.origin);
  await page.locator('#not-bound-dialog[open]').waitFor({ timeout: 15_000 });
  await page.click('#not-bound-update');
  await page.locator('#bind-dialog[open]').waitFor();
}

export const tests = [
  ...SIZES.map(([label, size]) => ({
    name: `login page and binding dialog pass axe (${label})`,
    run: () =>
      onLoginPageAsNewVisitor(
        async ({ page, system }) => {
          await page.waitForTimeout(500);
          await audit(page, `login page (${label})`);
          await noSidewaysScroll(page, `login page (${label})`);
          await page.screenshot({ path: artifact(`login-${label}.png`), fullPage: true });
          for (const tab of ['nhi', 'fido', 'password']) {
            await page.click(`#tab-${tab}`);
            await audit(page, `login tab ${tab} (${label})`);
          }
          await page.click('#tab-cert');
          await openBindDialog(page, system);
          await page.screenshot({ path: artifact(`not-bound-then-bind-${label}.png`), fullPage: true });
          await audit(page, `binding dialog (${label})`);
          await noSidewaysScroll(page, `binding dialog (${label})`);
          // A rejected ID number shows its message next to the field; still no violation.
          await page.fill('#national-id', 'A123456788');
          await page.click('#bind-submit');
          await page.locator('#bind-error[data-code]').waitFor();
          await audit(page, `binding dialog with an error (${label})`);
          await page.screenshot({ path: artifact(`bind-error-${label}.png`), fullPage: true });
        },
        { size },
      ),
  })),
  ...SIZES.map(([label, size]) => ({
    name: `dashboard passes axe (${label})`,
    run: async () => {
      // The real system: 陳美玲 (bound card) logged in through the portal's API.
      const system = await sharedSystem();
      const portal = { url: system.origin };
      const context = await newContext(size);
      try {
        await loggedInAs(context, system, PEOPLE.chen);
        const page = await context.newPage();
        await page.goto(`${portal.url}/dashboard.html`);
        await page.locator('#person-name').filter({ hasText: PEOPLE.chen.name }).waitFor();
        await audit(page, `dashboard (${label})`);
        await noSidewaysScroll(page, `dashboard (${label})`);
        await page.screenshot({ path: artifact(`dashboard-${label}.png`), fullPage: true });
        await page.goto(`${portal.url}/help/cross-platform-component.html`);
        await audit(page, `help page (${label})`);
        await noSidewaysScroll(page, `help page (${label})`);
        await page.screenshot({ path: artifact(`help-component-${label}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    },
  })),
  {
    name: 'keyboard alone: skip link, tabs by arrow keys, PIN and 登入 by Enter',
    run: () =>
      onLoginPageAsNewVisitor(async ({ page, context, system }) => {
        await page.keyboard.press('Tab');
        assert(await page.evaluate(() => document.activeElement?.classList.contains('skip-link')), 'the first Tab does not reach the skip link');
        await page.keyboard.press('Enter');
        assert(await page.evaluate(() => document.activeElement?.id === 'main'), 'the skip link does not move focus to the content');
        const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
        let seen = '';
        for (let i = 0; i < 10 && seen !== 'tab-cert'; i++) {
          await page.keyboard.press('Tab');
          seen = await focused();
        }
        assert(seen === 'tab-cert', 'Tab never reaches the first login tab');
        await page.keyboard.press('ArrowRight');
        assert((await focused()) === 'tab-nhi' && (await page.getAttribute('#tab-nhi', 'aria-selected')) === 'true', 'ArrowRight does not select the next tab');
        await page.keyboard.press('ArrowLeft');
        assert((await page.getAttribute('#tab-cert', 'aria-selected')) === 'true', 'ArrowLeft does not come back');
        for (let i = 0; i < 10 && seen !== 'pin'; i++) {
          await page.keyboard.press('Tab');
          seen = await focused();
        }
        assert(seen === 'pin', 'Tab never reaches the PIN field');
        await page.waitForTimeout(3500); // the component check is over: pop-up mode, PIN on the page
        await page.keyboard.type(PEOPLE.wang.pin);
        const popup = context.waitForEvent('page', { timeout: 15_000 });
        await page.keyboard.press('Enter');
        await answerAgentPopup(await popup, system.origin); // the agent's own pop-up: 允許 the first time
        await page.bringToFront();
        await page.locator('#not-bound-dialog[open]').waitFor({ timeout: 15_000 });
        assert((await focused()) === 'not-bound-update', 'the dialog does not put focus on 我要更新憑證');
        await page.keyboard.press('Enter');
        await page.locator('#bind-dialog[open]').waitFor();
        assert((await focused()) === 'national-id', 'the binding dialog does not start at the ID field');
        await page.keyboard.press('Escape');
        await page.locator('#bind-dialog').waitFor({ state: 'hidden' });
        assert((await focused()) === 'pin', 'after Escape focus is not back on the PIN');
      }),
  },
];
