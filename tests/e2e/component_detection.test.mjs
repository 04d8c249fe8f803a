// Component detection before the PIN is asked, against real servers on 127.0.0.1: nothing running, an
// official-style component that is too old (pop-up protocol), an agent-style one that is too old (direct
// probe), and the pop-up that opens but never answers (past the configured ready time).

import { DESKTOP, IPHONE, artifact, assert, newContext, startPortal, waitFor } from './lib/harness.mjs';
import { onLoginPageAsNewVisitor } from './lib/system.mjs';
import { startFakeComponent } from './lib/fake_component.mjs';

// web/src/component.ts DEFAULT_TIMEOUTS (the pages carry no <meta> override): a probe is 1.5 s, the
// pop-up's ready signal 10 s. Detection runs two probes back to back (CORS, then no-cors).
const PROBE_MS = 1500;
const READY_MS = 10_000;
const SLACK_MS = 1500;

async function withPage(componentPort, options, fn) {
  const portal = await startPortal();
  const context = await newContext(options, componentPort);
  try {
    const page = await context.newPage();
    await fn(page, portal);
  } finally {
    await context.close();
    await portal.close();
  }
}

async function helpLinks(region) {
  return region.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
}

export const tests = [
  {
    name: 'component not running: install help and downloads before the PIN, within the probe time',
    run: async () => {
      for (const [label, options] of [
        ['desktop', DESKTOP],
        ['iphone', IPHONE],
      ]) {
        await withPage(null, options, async (page, portal) => {
          const start = Date.now();
          await page.goto(`${portal.url}/`);
          const region = page.locator('#cert-error[data-code="COMPONENT_NOT_RUNNING"]');
          await region.waitFor({ timeout: 2 * PROBE_MS + SLACK_MS });
          const elapsed = Date.now() - start;
          assert(elapsed <= 2 * PROBE_MS + SLACK_MS + 1000, `notice took ${elapsed} ms`);
          const links = await helpLinks(region);
          assert(links.includes('/help/cross-platform-component.html'), `no install help link: ${links}`);
          assert(links.includes('https://moica.nat.gov.tw/download_1.html'), `no official download link: ${links}`);
          assert(links.includes('/help/cross-platform-component.html#ecpa-agent'), `no ecpa-agent link: ${links}`);
          assert(links.includes('/help/faq.html#code-COMPONENT_NOT_RUNNING'), `no FAQ entry link: ${links}`);
          assert((await region.locator('.alert__retry').count()) === 0, 'a 重試 button before anything was tried');
          assert(await page.isVisible('#pin'), 'the PIN field must stay usable in pop-up mode');
          await page.screenshot({ path: artifact(`component-not-running-${label}.png`), fullPage: true });
        });
      }
    },
  },
  {
    name: 'official component too old: upgrade help after its pop-up answers',
    run: async () => {
      // Chromium on Linux: the oldest accepted official component is 1.3.4.3 (REFERENCE §1).
      const component = await startFakeComponent({ version: '1.3.4.1' });
      try {
        await withPage(component.port, DESKTOP, async (page, portal) => {
          await page.goto(`${portal.url}/`);
          await page.waitForTimeout(2 * PROBE_MS); // no notice: something listens, so the pop-up will be used
          assert((await page.locator('#cert-error').getAttribute('data-code')) === null, 'a running component was reported as a problem');
          await page.fill('#pin', '123456');
          await page.click('#cert-submit');
          const region = page.locator('#cert-error[data-code="COMPONENT_TOO_OLD"]');
          await region.waitFor({ timeout: 10_000 });
          const text = await region.textContent();
          assert(text.includes('1.3.4.1'), `the old version is not named: ${text}`);
          const links = await helpLinks(region);
          assert(links.includes('https://moica.nat.gov.tw/download_1.html'), `no upgrade download: ${links}`);
          assert(links.includes('/help/cross-platform-component.html'), `no upgrade help: ${links}`);
          assert(component.requests.includes('GET /popupForm'), 'the pop-up never reached the component');
          await page.screenshot({ path: artifact('component-too-old-popup.png'), fullPage: true });
        });
      } finally {
        await component.close();
      }
    },
  },
  {
    name: 'agent-style component too old: upgrade help before the PIN (direct probe)',
    run: async () => {
      const portal = await startPortal();
      const component = await startFakeComponent({ version: '1.3.4.1', cors: true, allowOrigin: portal.url });
      const context = await newContext(DESKTOP, component.port);
      try {
        const page = await context.newPage();
        await page.goto(`${portal.url}/`);
        const region = page.locator('#cert-error[data-code="COMPONENT_TOO_OLD"]');
        await region.waitFor({ timeout: PROBE_MS + SLACK_MS });
        assert((await helpLinks(region)).includes('https://moica.nat.gov.tw/download_1.html'), 'no upgrade download');
        await page.screenshot({ path: artifact('component-too-old-probe.png'), fullPage: true });
      } finally {
        await context.close();
        await portal.close();
        await component.close();
      }
    },
  },
  {
    name: 'pop-up that never answers: not-running help with the pop-up steps and 重試, after the ready time',
    run: async () => {
      await withPage(null, DESKTOP, async (page, portal) => {
        await page.goto(`${portal.url}/`);
        await page.locator('#cert-error[data-code="COMPONENT_NOT_RUNNING"]').waitFor({ timeout: 2 * PROBE_MS + SLACK_MS });
        await page.fill('#pin', '123456');
        const start = Date.now();
        await page.click('#cert-submit');
        const region = page.locator('#cert-error[data-code="COMPONENT_NOT_RUNNING"] .alert__retry');
        await waitFor(async () => (await page.locator('#cert-progress').textContent()) !== '', 2000, 'the attempt to start');
        await region.waitFor({ timeout: READY_MS + SLACK_MS });
        const elapsed = Date.now() - start;
        assert(elapsed >= READY_MS - 500 && elapsed <= READY_MS + SLACK_MS + 1000, `answered after ${elapsed} ms, not the configured ${READY_MS}`);
        const steps = await page.locator('#cert-error details ol.alert__steps li').count();
        assert(steps >= 2, 'no pop-up steps for a silent pop-up');
      });
    },
  },
  {
    name: 'real ecpa-agent running, site not on its allowlist: no component notice, pop-up mode with the PIN on the page',
    run: async () => {
      // What a person meets the first time with our agent: it runs, but does not know the site yet (CORS refused),
      // so the page must fall back to the pop-up quietly — the agent is there and its pop-up will ask 允許.
      await onLoginPageAsNewVisitor(async ({ page }) => {
        await page.waitForTimeout(2 * PROBE_MS + SLACK_MS);
        const code = await page.locator('#cert-error').getAttribute('data-code');
        await page.screenshot({ path: artifact('component-agent-site-unknown.png'), fullPage: true });
        assert(code === null, `a running agent was reported as ${code}`);
        assert(await page.isVisible('#pin'), 'no PIN field in pop-up mode');
      });
    },
  },
];
