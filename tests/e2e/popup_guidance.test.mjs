// A blocked pop-up (window.open returns null, simulated by the test as the task allows) shows the steps
// for the browser the user agent names, in the seed's order, with this portal's own origin; 重試 starts
// again from a fresh click and, once the pop-up is allowed, the flow goes on.

import { DESKTOP, IPHONE, USER_AGENTS, artifact, assert, newContext, startPortal } from './lib/harness.mjs';
import { PEOPLE, answerAgentPopup, onLoginPageAsNewVisitor } from './lib/system.mjs';

// A phrase only that browser's steps contain (zh-TW and English).
const MARKERS = {
  chrome: ['已封鎖彈出式視窗', 'Pop-ups blocked'],
  firefox: ['選項', 'Options'],
  edge: ['快顯視窗並重新導向', 'Pop-ups and redirects'],
  'safari-mac': ['Safari >「設定…」', 'Safari > Settings'],
  'safari-ios': ['阻擋彈出式視窗', 'Block Pop-ups'],
};

// Only the first window.open is "blocked", so 重試 can show the pop-up opening once the person allowed it.
const BLOCK_FIRST_POPUP = () => {
  const realOpen = window.open.bind(window);
  let calls = 0;
  window.open = (...args) => (++calls === 1 ? null : realOpen(...args));
};

async function blockedPopup(kind, lang) {
  const portal = await startPortal();
  const context = await newContext({ ...(kind === 'safari-ios' ? IPHONE : DESKTOP), userAgent: USER_AGENTS[kind] });
  try {
    const page = await context.newPage();
    await page.addInitScript(BLOCK_FIRST_POPUP);
    if (lang === 'en') await page.addInitScript(() => localStorage.setItem('ecpa.lang', 'en'));
    await page.goto(`${portal.url}/`);
    await page.fill('#pin', '123456');
    await page.click('#cert-submit');
    const alert = page.locator('#cert-error[data-code="POPUP_BLOCKED"]');
    await alert.waitFor({ timeout: 5000 });
    const steps = alert.locator(`ol.alert__steps[data-browser="${kind}"] li`);
    const texts = await steps.allTextContents();
    assert(texts.length >= 2, `${kind}: expected the browser's steps, got ${JSON.stringify(texts)}`);
    const all = texts.join('\n');
    const marker = MARKERS[kind][lang === 'en' ? 1 : 0];
    assert(all.includes(marker), `${kind}/${lang}: steps lack "${marker}": ${all}`);
    assert(all.includes(portal.url), `${kind}/${lang}: steps do not name this portal's origin ${portal.url}: ${all}`);
    for (const [other, words] of Object.entries(MARKERS)) {
      if (other !== kind && other !== 'chrome' && kind !== 'chrome') assert(!all.includes(words[lang === 'en' ? 1 : 0]), `${kind}: shows ${other}'s steps too`);
    }
    // The 重試 button is where the keyboard is, and the typed PIN waits for it (nothing was sent anywhere).
    assert(await page.evaluate(() => document.activeElement?.classList.contains('alert__retry')), `${kind}: focus is not on 重試`);
    assert((await page.inputValue('#pin')) === '123456', `${kind}: the PIN was dropped although nothing was sent`);
    await page.screenshot({ path: artifact(`popup-blocked-${kind}-${lang}.png`), fullPage: true });
    return { portal, context, page };
  } catch (e) {
    await context.close();
    await portal.close();
    throw e;
  }
}

export const tests = [
  ...Object.keys(USER_AGENTS).map((kind) => ({
    name: `blocked pop-up in ${kind} shows ${kind}'s steps (zh-TW)`,
    run: async () => {
      const { portal, context } = await blockedPopup(kind, 'zh-TW');
      await context.close();
      await portal.close();
    },
  })),
  {
    name: 'blocked pop-up in English shows the English steps',
    run: async () => {
      const { portal, context } = await blockedPopup('firefox', 'en');
      await context.close();
      await portal.close();
    },
  },
  {
    name: '重試 opens the pop-up from a fresh click and the flow goes on (real agent and portal)',
    run: () =>
      onLoginPageAsNewVisitor(
        async ({ page, context, system }) => {
          await page.waitForTimeout(3500); // the component check is over: pop-up mode
          await page.fill('#pin', PEOPLE.wang.pin);
          await page.click('#cert-submit');
          await page.locator('#cert-error[data-code="POPUP_BLOCKED"]').waitFor({ timeout: 5000 });
          const popup = context.waitForEvent('page', { timeout: 5000 });
          await page.keyboard.press('Enter'); // 重試 has the focus: a real key press is a fresh user gesture
          const opened = await popup;
          assert(opened.url().startsWith('http://localhost:61161/popupForm'), 'the retry did not open the component pop-up');
          await answerAgentPopup(opened, system.origin);
          // 王小明's card is not bound yet: the seed's 帳號資訊不存在 dialog.
          await page.locator('#not-bound-dialog[open]').waitFor({ timeout: 15_000 });
          assert((await page.inputValue('#pin')) === '', 'the PIN stayed in the page after it was sent');
        },
        { initScript: BLOCK_FIRST_POPUP },
      ),
  },
  {
    name: 'after a reload the component pop-up still reaches its opener (COOP on the 304 answer)',
    run: async () => {
      // A person reloads the login page; the browser revalidates it (304) and must still run it under
      // same-origin-allow-popups, or the pop-up loses window.opener and can never answer.
      await onLoginPageAsNewVisitor(async ({ page, context, system }) => {
        const reloaded = await page.reload();
        const coop = reloaded.headers()['cross-origin-opener-policy'];
        await page.waitForTimeout(3500); // the component check is over: pop-up mode
        await page.fill('#pin', PEOPLE.wang.pin);
        const popup = context.waitForEvent('page', { timeout: 5000 });
        await page.click('#cert-submit');
        const opened = await popup;
        await opened.waitForLoadState();
        const hasOpener = await opened.evaluate(() => window.opener !== null).catch(() => true); // closed already: it answered
        assert(hasOpener, `the pop-up has no window.opener after a reload (the reloaded page's COOP: ${coop})`);
        await answerAgentPopup(opened, system.origin);
        await page.locator('#not-bound-dialog[open]').waitFor({ timeout: 15_000 });
      });
    },
  },
  {
    name: "the agent's pop-up takes the PIN in its own form when the page sends none (real agent)",
    run: () =>
      onLoginPageAsNewVisitor(async ({ page, context, system }) => {
        // A page that leaves the PIN to the component (as ecpa-agent allows): MakeSignature without "pin".
        const tbs = 'e2e: 由元件視窗輸入 PIN';
        const popup = context.waitForEvent('page', { timeout: 5000 });
        const answer = page.evaluate(
          ({ agent, tbs }) =>
            new Promise((resolve, reject) => {
              const win = window.open(`${agent}/popupForm`, 'ecpa-pin-test');
              window.addEventListener('message', (event) => {
                if (event.origin !== agent || typeof event.data !== 'string') return;
                const message = JSON.parse(event.data);
                if (message.func !== 'getTbs') return resolve(message);
                const pkg = { func: 'MakeSignature', signatureType: 'PKCS7', tbs, tbsEncoding: 'NONE', hashAlgorithm: 'SHA256', withCardSN: 'true' };
                win.postMessage(JSON.stringify(pkg), agent);
              });
              setTimeout(() => reject(new Error('the pop-up never answered')), 30_000);
            }),
          { agent: 'http://localhost:61161', tbs },
        );
        answer.catch(() => {}); // awaited below; a failed check before that must not also crash the runner
        const opened = await popup;
        await opened.click('#approve-yes'); // a new visitor: the agent asks 允許 first
        await opened.locator('#pin-form:not(.hidden)').waitFor({ timeout: 15_000 });
        assert((await opened.locator('#pin-origin').textContent()) === system.origin, 'the PIN form names another site');
        assert((await opened.locator('#pin-preview').textContent()) === tbs, 'the PIN form does not show the text to sign');
        await opened.fill('#pin', PEOPLE.wang.pin);
        await opened.click('#pin-ok');
        const signed = await answer;
        assert(signed.func === 'sign' && signed.ret_code === 0 && signed.signature, `no signature: ${JSON.stringify(signed).slice(0, 200)}`);
      }),
  },
];
