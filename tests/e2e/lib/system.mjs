// The REAL system for end-to-end tests: scripts/demo.sh run in a temporary folder (the very steps of
// `make demo`: ecpa-sim PKI and cards on SoftHSM2 behind cardmod, ICSC client, people, to-dos, ecpa-sim serve,
// ecpa-agent, ecpa-portal, 陳美玲's card bound through the API), then stopped with SIGTERM to its process group.
//
// Binaries come from ECPA_BUILD_DIR (default: build/release, else build/debug, whichever has ecpa-portal).
// The agent listens on 127.0.0.1:61161 — the address the pages call; tests route http://localhost:61161 to
// it (127.0.0.1 so that "localhost" resolving to ::1 cannot matter). The portal and ecpa-sim take free ports.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { DESKTOP, DIST, REPO, assert, newRealContext } from './harness.mjs';

export const AGENT_PORT = 61161;

/** The demo people (scripts/demo.sh). */
export const PEOPLE = {
  wang: { name: '王小明', id: 'A123456789', pin: '123456' },
  chen: { name: '陳美玲', id: 'B223456782', pin: '222333' },
  lin: { name: '林志豪', id: 'F135792464', pin: '333444' },
};

/** The demo's accounts (帳號密碼登入): every one starts with this initial password, to be changed at first login. */
export const ACCOUNTS = {
  wang: { account: 'wang.ming', name: '王小明', id: 'A123456789', email: 'wang@example.gov.tw' },
  chang: { account: 'chang.yating', name: '張雅婷', id: 'E202468132', email: 'chang@example.gov.tw' },
};
export const INITIAL_PASSWORD = 'Demo-Initial-2026';

/** The demo's agency card (機關憑證) and the personnel officer it binds to. */
export const AGENCY = { card: '臺北市政府人事處', code: '376430000A', pin: '444555', officer: '李建宏' };

export function buildDir() {
  const candidates = process.env.ECPA_BUILD_DIR ? [process.env.ECPA_BUILD_DIR] : ['build/release', 'build/debug'];
  for (const c of candidates) {
    const dir = c.startsWith('/') ? c : join(REPO, c);
    if (existsSync(join(dir, 'apps', 'portal', 'ecpa-portal'))) return dir;
  }
  throw new Error(`no built ecpa-portal in ${candidates.join(' or ')} (set ECPA_BUILD_DIR to your build folder)`);
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the whole system. allowPortal: the portal's origin on the agent's allowlist (direct mode) or not
 * (pop-up mode). Returns { origin, agentUrl, simUrl, dir, mailUrl (ecpa-sim's received mail, JSON), output(),
 * stop() }.
 */
export async function startSystem({ allowPortal = true, smoke = false, timeoutMs = 90_000 } = {}) {
  await stopSharedSystem(); // one agent on 61161 at a time
  const dir = mkdtempSync(join(tmpdir(), 'ecpa-e2e-'));
  const env = {
    ...process.env,
    DEMO_DIR: join(dir, 'demo'),
    DEMO_PORTAL_PORT: String(await freePort()),
    DEMO_SIM_PORT: String(await freePort()),
    DEMO_AGENT_PORT: String(AGENT_PORT),
    DEMO_SMTP_PORT: String(await freePort()),
    DEMO_AGENT_ALLOW_PORTAL: allowPortal ? '1' : '0',
    DEMO_SMOKE: smoke ? '1' : '0',
  };
  // Its own process group, so stop() reaches every service even if the script itself were gone.
  const child = spawn('bash', [join(REPO, 'scripts', 'demo.sh'), buildDir()], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  // signal: SIGTERM to the whole group by default; { signal: 'SIGINT' } is a terminal's Ctrl-C;
  // { group: false } signals the script alone, as the printed `kill -TERM <pid>` does.
  const stop = async ({ signal = 'SIGTERM', group = true } = {}) => {
    try {
      process.kill(group ? -child.pid : child.pid, signal);
    } catch {
      /* already gone */
    }
    const result = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 15_000))]);
    if (result === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    return result;
  };

  const ready = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    const check = () => {
      const m = /^DEMO_READY origin=(\S+) agent=(\S+) sim=(\S+) dir=(\S+) mail=(\S+)$/m.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: m[1], agentUrl: m[2], simUrl: m[3], dir: m[4], mailUrl: m[5] });
      }
    };
    child.stdout.on('data', check);
    exited.then(() => {
      check();
      clearTimeout(timer);
      resolve(null);
    });
  });
  if (!ready) {
    const text = output;
    await stop();
    throw new Error(`the system did not start:\n${text.split('\n').slice(-15).join('\n')}`);
  }
  return { ...ready, output: () => output, exited, stop };
}

/**
 * The real ecpa-portal alone (no trust services): serves web/dist and the API with its own headers, on a
 * free 127.0.0.1 port, plain HTTP (behind_proxy, as in the demo). Enough for every test that only needs
 * the pages, the session and the challenge. Returns { url, close() }.
 */
export async function startPortalOnly() {
  const dir = mkdtempSync(join(tmpdir(), 'ecpa-e2e-portal-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(dir, 'portal.toml');
  writeFileSync(
    config,
    [
      '[portal]',
      `listen = "127.0.0.1:${port}"`,
      `public_origin = "${url}"`,
      'behind_proxy = true',
      'handler_threads = 2',
      `web_root = "${DIST}"`,
      '[database]',
      `url = "sqlite://${join(dir, 'portal.db')}"`,
      'id_key_file = "id.key"',
      '[log]',
      `file = "${join(dir, 'portal.log')}"`,
      '',
    ].join('\n'),
  );
  const child = spawn(join(buildDir(), 'apps', 'portal', 'ecpa-portal'), ['serve', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const up = await Promise.race([
    new Promise((resolve) => {
      const check = () => /ecpa-portal listening on/.test(output) && resolve(true);
      child.stdout.on('data', check);
    }),
    exited.then(() => false),
    new Promise((resolve) => setTimeout(() => resolve(false), 15_000)),
  ]);
  const close = async () => {
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    rmSync(dir, { recursive: true, force: true });
  };
  if (!up) {
    await close();
    throw new Error(`ecpa-portal did not start: ${output.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return { url, close };
}

/**
 * Logs a demo person in through the real API inside a browser context: session → login challenge → the
 * agent's /sign as its pop-up sends a package carrying the PIN (from the agent's own origin, relaying the
 * portal's, which the agent must allow: on its allowlist or approved, see approveSite; the agent refuses a
 * PIN a site's page sends directly) → POST /api/auth/certificate. The session cookie lands in the
 * context, so its pages are logged in. The page's own login is what seed_flow tests.
 */
export async function loginThroughApi(context, system, person) {
  const api = context.request;
  const session = await (await api.get(`${system.origin}/api/session`)).json();
  const headers = { Origin: system.origin, 'X-CSRF-Token': session.csrfToken, 'Content-Type': 'application/json' };
  const challenge = await api.post(`${system.origin}/api/auth/challenge`, { headers, data: { purpose: 'login', route: 'citizen' } });
  if (!challenge.ok()) throw new Error(`challenge: ${challenge.status()} ${await challenge.text()}`);
  const { tbs, nonce } = await challenge.json();
  const pkg = { func: 'MakeSignature', signatureType: 'PKCS7', tbs, tbsEncoding: 'NONE', hashAlgorithm: 'SHA256', withCardSN: 'true', nonce, pin: person.pin };
  const agentOrigin = new URL(system.agentUrl).origin;
  const signed = await (await api.post(`${system.agentUrl}/sign`, { headers: { Origin: agentOrigin }, form: { tbsPackage: JSON.stringify(pkg), origin: system.origin } })).json();
  if (signed.ret_code !== 0) throw new Error(`the agent did not sign: ${JSON.stringify({ ...signed, signature: undefined, certb64: undefined })}`);
  const login = await api.post(`${system.origin}/api/auth/certificate`, { headers, data: { route: 'citizen', signature: signed.signature, certb64: signed.certb64, cardSN: signed.cardSN } });
  if (!login.ok()) throw new Error(`login: ${login.status()} ${await login.text()}`);
  return login.json();
}

/** Puts one person's card in the reader and takes the others out (the demo's use-card script). */
export async function useCard(system, name) {
  const { execFileSync } = await import('node:child_process');
  execFileSync(join(system.dir, 'use-card'), [name], { stdio: 'pipe' });
}

let shared = null;

/**
 * One system shared by the tests that need the real portal and agent but not a fresh database: pop-up mode
 * (the portal is not on the agent's allowlist), 王小明's unbound card in the reader. Tests put it in the state
 * they need with useCard / approveSite / forgetSites and leave it as they found it (see popupModeReady and
 * loggedInAs). Started on first use; stopped by stopSharedSystem() (run.mjs) or by the next startSystem().
 */
export async function sharedSystem() {
  shared ??= startSystem({ allowPortal: false });
  return shared;
}

export async function stopSharedSystem() {
  const s = shared;
  shared = null;
  if (s) await (await s.catch(() => null))?.stop();
}

// The agent's approvals file (docs/agent-protocol.md §2: one origin per line, the person may edit it; the agent
// reads it on every call). Writing it is what 允許 in the pop-up does; emptying it is revoking in selfTest.htm.
const approvalsFile = (system) => join(system.dir, 'agent', 'approved-origins.txt');
export function approveSite(system) {
  writeFileSync(approvalsFile(system), `${system.origin}\n`);
}
export function forgetSites(system) {
  writeFileSync(approvalsFile(system), '');
}

/** The shared system as a new visitor with 王小明's card meets it: unknown site (pop-up mode), card unbound. */
export async function popupModeReady(system) {
  forgetSites(system);
  await useCard(system, PEOPLE.wang.name);
}

/**
 * Runs test({ page, context, system }) on the shared system's login page as a new visitor meets it (see
 * popupModeReady), in a fresh real-browser context of the given size that is closed whatever happens.
 * `initScript` runs in the page before the page's own scripts (e.g. to make window.open fail).
 */
export async function onLoginPageAsNewVisitor(test, { size = DESKTOP, initScript = null } = {}) {
  const system = await sharedSystem();
  await popupModeReady(system);
  const context = await newRealContext(size);
  try {
    const page = await context.newPage();
    if (initScript) await page.addInitScript(initScript);
    await page.goto(`${system.origin}/`);
    return await test({ page, context, system });
  } finally {
    await context.close();
  }
}

/** Logs person in through the API in this context (their card in the reader, the site approved meanwhile). */
export async function loggedInAs(context, system, person) {
  await useCard(system, person.name);
  approveSite(system);
  try {
    return await loginThroughApi(context, system, person);
  } finally {
    forgetSites(system);
  }
}

/**
 * Answers the agent's pop-up (popupForm) the way a person does the first time a site asks: 允許 when it asks
 * whether to allow the site; then waits for it to finish and close. Returns whether it asked.
 */
export async function answerAgentPopup(popup, expectedOrigin, onAsk = async () => {}) {
  const closed = popup.waitForEvent('close', { timeout: 30_000 });
  const asked = await popup.locator('#approve:not(.hidden)').waitFor({ timeout: 5000 }).then(() => true, () => false);
  if (asked) {
    const named = await popup.locator('#approve-origin').textContent();
    if (named !== expectedOrigin) throw new Error(`the agent's pop-up asks about ${named}, not ${expectedOrigin}`);
    await onAsk(popup);
    await popup.click('#approve-yes');
  }
  await closed.catch(async (e) => {
    const said = await popup.locator('body').innerText().catch(() => '(gone)');
    throw new Error(`the agent's pop-up did not finish (${e.message.split('\n')[0]}); it shows: ${said.replace(/\s+/g, ' ').slice(0, 300)}`);
  });
  return asked;
}

/** Errors the page shows instead of the next screen: name them in the failure. */
export async function pageError(page) {
  const code = await page.locator('#cert-error').getAttribute('data-code');
  const bind = await page.locator('#bind-error').getAttribute('data-code').catch(() => null);
  return code || bind ? ` (page shows ${code ?? ''} ${bind ?? ''}: ${(await page.locator('#cert-error').textContent())?.trim()})` : '';
}

/** Waits for the next screen; an error the page shows instead ends the wait at once, named. */
export async function expectVisible(page, selector, what, timeout = 20_000) {
  try {
    await page.locator(`${selector}, #cert-error[data-code], #bind-error[data-code]`).first().waitFor({ timeout });
  } catch {
    throw new Error(`${what} never appeared${await pageError(page)}`);
  }
  // An error region may be drawn in the same turn as the screen itself: give the screen a moment.
  await page.locator(selector).first().waitFor({ timeout: 1000 }).catch(async () => {
    throw new Error(`${what} did not appear${await pageError(page)}`);
  });
}

/**
 * Signs through the component: in pop-up mode the agent's pop-up opens (and, the first time, asks to allow
 * the site); in direct mode the agent's PIN window opens and the PIN is typed there.
 */
export async function signWithComponent(context, mode, page, click, pin, shots = async () => {}) {
  const popupEvent = context.waitForEvent('page', { timeout: 15_000 });
  await click();
  const popup = await popupEvent.catch(async () => {
    throw new Error(`no ${mode === 'popup' ? 'component pop-up' : 'agent PIN window'} opened${await pageError(page)}`);
  });
  assert(popup.url().startsWith('http://localhost:61161/'), `the component window is ${popup.url()}`);
  if (mode === 'popup') {
    assert(popup.url().startsWith('http://localhost:61161/popupForm'), `pop-up mode opened ${popup.url()}`);
    // The first signature for a site the agent does not know: 允許 / 拒絕 in the agent's own pop-up.
    return answerAgentPopup(popup, new URL(page.url()).origin, (p) => shots(p, 'agent-allow-site'));
  }
  assert(popup.url().startsWith('http://localhost:61161/pinpad?req='), `direct mode opened ${popup.url()}`);
  await popup.locator('#pin-form:not(.hidden)').waitFor({ timeout: 15_000 });
  // The agent says who asks and what is signed: this portal, and a text naming it.
  assert((await popup.locator('#pin-origin').textContent()) === new URL(page.url()).origin, 'the PIN window names another site');
  await shots(popup, 'agent-pin-window');
  await popup.fill('#pin', pin);
  await popup.click('#pin-ok');
  await popup.waitForEvent('close', { timeout: 30_000 }).catch(() => popup.close());
}
