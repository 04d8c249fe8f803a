// What every end-to-end test shares: real Chromium (Debian's /usr/bin/chromium) driven by playwright-core
// from web/node_modules, the real ecpa-portal on 127.0.0.1 (lib/system.mjs), the component's port, and the
// artefacts folder.

import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort } from './fake_component.mjs';
import { startPortalOnly } from './system.mjs';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const WEB = join(REPO, 'web');
export const DIST = join(WEB, 'dist');
export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(REPO, 'build', 'e2e-artifacts');
export const AXE_PATH = join(WEB, 'node_modules', 'axe-core', 'axe.min.js');
export const COMPONENT_ORIGIN = 'http://localhost:61161';

const require = createRequire(join(WEB, 'package.json'));
const { chromium } = require('playwright-core');

export const DESKTOP = { viewport: { width: 1280, height: 800 } };
// iPhone 13/14-size screen.
export const IPHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

export const USER_AGENTS = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'safari-mac': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  'safari-ios': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
};

let browser = null;

export async function launch() {
  browser ??= await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return browser;
}

export async function shutdown() {
  await browser?.close();
  browser = null;
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/**
 * Sends everything the pages ask of http://localhost:61161 to a server of this test on 127.0.0.1:port
 * (a stand-in component, or a released port where nothing listens), so a component or agent someone
 * else runs on this shared machine can never answer our pages. The answer (or the refused connection)
 * is the real one from that port, CORS included.
 */
export async function routeComponent(context, port) {
  await context.route(/^http:\/\/localhost:61161\//, async (route) => {
    const u = new URL(route.request().url());
    // continue (not fetch + fulfill): the browser itself talks to the port, so CORS, refused connections
    // and time-outs behave exactly as they would against localhost:61161 ("not observable by the page").
    await route.continue({ url: `http://127.0.0.1:${port}${u.pathname}${u.search}` });
  });
}

/** A fresh context (own cookies and storage) with the component's port routed; port null = nothing runs. */
export async function newContext(options = {}, componentPort = null) {
  const b = await launch();
  const context = await b.newContext({ locale: 'zh-TW', ...options });
  await routeComponent(context, componentPort ?? (await closedPort()));
  return context;
}

/**
 * A fresh context talking to the REAL component on http://localhost:61161 itself, not routed: the agent's own
 * pages (pop-up, PIN window) load their script and style from 'self', and a rerouted document is no longer
 * the origin its CSP names, so routing would break exactly what is under test. Tests using it start the
 * agent on 61161 (lib/system.mjs), which fails plainly when someone else holds the port.
 */
export async function newRealContext(options = {}) {
  const b = await launch();
  return b.newContext({ locale: 'zh-TW', ...options });
}

/** Starts the real ecpa-portal (pages + API, no trust services) the pages are served by: { url, close }. */
export async function startPortal() {
  return startPortalOnly();
}

let axeSource = null;

/**
 * Runs axe-core on the page; returns the serious and critical violations. axe goes in through the DevTools
 * protocol (page.evaluate), which the page's CSP does not govern, so the audited pages keep their real CSP.
 */
export async function axeViolations(page) {
  axeSource ??= readFileSync(AXE_PATH, 'utf8');
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

export async function waitFor(fn, timeoutMs, what) {
  const start = Date.now();
  for (;;) {
    if (await fn()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
