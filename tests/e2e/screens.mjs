#!/usr/bin/env node
// The screen gallery (issue 21, point 9): a screenshot of every page and dialog of the seed flow, and of the
// error screens a person can meet, in zh-TW and English, at 1280×900 and 390×844, with an index.html that
// shows them all on one page. Generated into build/screens/ (`make screens`), never committed.
//
//   node tests/e2e/screens.mjs                       # everything → build/screens/index.html
//   node tests/e2e/screens.mjs --out /tmp/g --lang en --viewport phone --screens login,not-bound
//   node tests/e2e/screens.mjs --list                # the screens it knows
//
// One REAL system (scripts/demo.sh through lib/system.mjs, pop-up mode: the portal is not on the agent's
// allowlist) serves every pass. Each scene puts it in the state it needs, with the same steps and selectors
// the tests use (seed_flow, accessibility, revocation): the agent's approvals file for pop-up / direct mode
// (forgetSites / approveSite), the demo's cards in the reader (useCard, `ecpa-sim card remove` for none).
// The one shortcut: before a scene that needs 王小明's card unbound, the bindings made by earlier scenes are
// retired in the demo's SQLite database (sqlite3), as if his card had never been bound; 陳美玲's binding from
// demo.sh stays. "Component not running" is a context whose http://localhost:61161 goes to a closed port.
//
// Each caption also says what the page itself shows a reviewer should look at: Chinese text on an English
// screen (outside the demo people's names) and a phone page wider than the screen.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO, newContext, newRealContext, shutdown } from './lib/harness.mjs';
import { PEOPLE, approveSite, buildDir, forgetSites, startSystem, useCard } from './lib/system.mjs';

export const DEFAULT_OUT = join(REPO, 'build', 'screens');

export const LANGS = {
  'zh-TW': { locale: 'zh-TW', label: '中文 (zh-TW)' },
  en: { locale: 'en-US', label: 'English' },
};

export const VIEWPORTS = {
  desktop: { label: 'desktop 1280×900', options: { viewport: { width: 1280, height: 900 } } },
  // iPhone 13/14-size screen (harness IPHONE), at 2× to keep the files small.
  phone: { label: 'phone 390×844', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
};

export const GROUPS = {
  login: 'Login page',
  seed: 'Seed flow, pop-up mode (PIN on the page, the agent’s pop-up)',
  direct: 'Direct mode (ecpa-agent: PIN in the agent’s own window)',
  errors: 'Errors a person can meet',
  pages: 'Other pages',
};

/** Every screen, in the order the scenes reach them. `n` is the NN of the file name. */
export const SCREENS = [
  ['login', 'seed', 'login', '登入頁: 自然人憑證 / 機關憑證 tab, pop-up mode (PIN on the page)'],
  ['login-nhi', 'seed', 'login', '健保卡登入 tab'],
  ['login-fido', 'seed', 'login', 'TAIWAN FidO 行動身分識別 tab'],
  ['login-password', 'seed', 'login', '帳號密碼登入 tab'],
  ['agent-allow-site', 'seed', 'seed', 'ecpa-agent’s pop-up: 允許 / 拒絕 a site it does not know (first signature)'],
  ['not-bound', 'seed', 'seed', '帳號資訊不存在 dialog (the card is not bound yet): 取消 / 我要更新憑證'],
  ['bind-form', 'seed', 'seed', '自然人憑證檢測 dialog: ID and PIN filled, before 下一步'],
  ['bind-error-checksum', 'seed', 'errors', '自然人憑證檢測: a mistyped ID (check digit wrong)'],
  ['bind-error-other-id', 'seed', 'errors', '自然人憑證檢測: someone else’s ID (陳美玲’s) with 王小明’s card'],
  ['bound', 'seed', 'seed', 'Binding succeeded (憑證更新成功)'],
  ['dashboard', 'seed', 'seed', 'Dashboard after the second login (王小明)'],
  ['help', 'seed', 'pages', 'A help page (登入說明文件), logged in'],
  ['login-direct', 'direct', 'direct', '登入頁 in direct mode: no PIN field, the direct-mode hint'],
  ['agent-pin-window', 'direct', 'direct', 'ecpa-agent’s own PIN window'],
  ['pin-cancelled', 'direct', 'errors', '取消 in the agent’s PIN window'],
  ['wrong-pin', 'direct', 'errors', 'A wrong PIN (typed in the agent’s PIN window)'],
  ['bind-form-direct', 'direct', 'direct', '自然人憑證檢測 dialog in direct mode: ID only, the direct-mode hint'],
  ['revoked', 'errors', 'errors', 'A revoked card (林志豪)'],
  ['no-card', 'errors', 'errors', 'No card in the reader (direct mode)'],
  ['component-not-running', 'not-running', 'errors', 'The component is not running (nothing on port 61161)'],
  ['not-found', 'pages', 'pages', 'A page that does not exist (/no-such-page)'],
].map(([id, scene, group, title], i) => ({ n: i + 1, id, scene, group, title }));

const screenById = new Map(SCREENS.map((s) => [s.id, s]));
export const fileName = (screen, lang, viewport) => `${String(screen.n).padStart(2, '0')}-${lang}-${viewport}-${screen.id}.png`;

const wang = PEOPLE.wang;
const chen = PEOPLE.chen;
const lin = PEOPLE.lin;
const MISTYPED_ID = 'A123456788'; // 王小明's ID with its last digit wrong (accessibility.test.mjs)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Ends a scene once every screen wanted from it is taken. */
class SceneDone extends Error {}

// --- the system's state ---------------------------------------------------------------------------------

function cardSerial(system, name) {
  const sn = new RegExp(`card for ${name} … ok \\((\\S+)\\)`).exec(system.output())?.[1];
  if (!sn) throw new Error(`demo.sh printed no card serial for ${name}`);
  return sn;
}

function sqlite(system, sql) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', join(system.dir, 'portal', 'portal.db'), sql], { encoding: 'utf8' }).trim();
}

/** Takes every card out of the reader (what use-card does for all but one). */
function noCardInReader(system) {
  const sim = join(system.dir, 'sim');
  const env = { ...process.env, SOFTHSM2_CONF: join(sim, 'softhsm2.conf'), ECPA_CARDMOD_STATE: join(sim, 'cards.json') };
  for (const p of [wang, chen, lin]) {
    execFileSync(join(buildDir(), 'apps', 'sim', 'ecpa-sim'), ['card', 'remove', '--dir', sim, cardSerial(system, p.name)], { env, stdio: 'pipe' });
  }
}

// --- the steps (as seed_flow / accessibility / revocation take them) ----------------------------------------

/** Waits for selector; an error the page shows instead ends the wait at once, named. */
async function expectVisible(page, selector, what, timeout = 20_000) {
  try {
    await page.locator(`${selector}, #cert-error[data-code], #bind-error[data-code]`).first().waitFor({ timeout });
  } catch {
    throw new Error(`${what} never appeared`);
  }
  await page
    .locator(selector)
    .first()
    .waitFor({ timeout: 1000 })
    .catch(async () => {
      const code = (await page.locator('#cert-error').getAttribute('data-code').catch(() => null)) ?? (await page.locator('#bind-error').getAttribute('data-code').catch(() => null));
      throw new Error(`${what} did not appear (the page shows ${code})`);
    });
}

/** Waits until the error region shows a code other than `before`; returns it. */
async function nextError(page, region, before = null, timeout = 30_000) {
  await page.waitForFunction(
    ([sel, prev]) => {
      const code = document.querySelector(sel)?.getAttribute('data-code');
      return code && code !== prev;
    },
    [region, before],
    { timeout },
  );
  return page.locator(region).getAttribute('data-code');
}

/**
 * click() makes the page sign in pop-up mode: the agent's pop-up opens; the first time for a site it asks
 * 允許 (onAsk sees it first); beyond the agent's signing rate it asks for the PIN in its own pad.
 */
async function popupSign(context, click, { pin, onAsk = async () => {} }) {
  const opened = context.waitForEvent('page', { timeout: 15_000 });
  await click();
  const popup = await opened;
  if (!popup.url().startsWith('http://localhost:61161/popupForm')) throw new Error(`pop-up mode opened ${popup.url()}`);
  const deadline = Date.now() + 40_000;
  let asked = false;
  const shown = (sel) => popup.locator(sel).isVisible().catch(() => false);
  while (!popup.isClosed()) {
    if (Date.now() > deadline) throw new Error(`the agent's pop-up did not finish: ${await popup.locator('body').innerText().catch(() => '(gone)')}`);
    if (!asked && (await shown('#approve:not(.hidden)'))) {
      asked = true;
      await onAsk(popup);
      await popup.click('#approve-yes');
    } else if (await shown('#pin-form:not(.hidden)')) {
      await popup.fill('#pin', pin);
      await popup.click('#pin-ok');
    }
    await sleep(100);
  }
}

/** click() makes the page sign in direct mode: the agent's PIN window opens; the PIN is typed there, or 取消. */
async function directSign(context, click, { pin = null, onWindow = async () => {} }) {
  const opened = context.waitForEvent('page', { timeout: 15_000 });
  await click();
  const win = await opened;
  if (!win.url().startsWith('http://localhost:61161/pinpad?req=')) throw new Error(`direct mode opened ${win.url()}`);
  await win.locator('#pin-form:not(.hidden)').waitFor({ timeout: 15_000 });
  await onWindow(win);
  if (pin === null) await win.click('#pin-cancel');
  else {
    await win.fill('#pin', pin);
    await win.click('#pin-ok');
  }
  await win.waitForEvent('close', { timeout: 30_000 }).catch(() => win.close());
}

async function openLoginPopupMode(page, system) {
  await page.goto(`${system.origin}/`);
  await page.waitForTimeout(3500); // both probes (CORS, then no-cors) are over: the pop-up will be used
  if (!(await page.isVisible('#pin'))) throw new Error('pop-up mode has no PIN field on the page');
}

async function openLoginDirectMode(page, system) {
  await page.goto(`${system.origin}/`);
  await expectVisible(page, '#direct-hint:visible', 'the direct-mode hint (ecpa-agent found)', 5000);
}

// --- the scenes ------------------------------------------------------------------------------------------

const SCENES = {
  /** The seed's flow in pop-up mode, as seed_flow.test.mjs takes it, with the login tabs and the ID errors. */
  async seed({ system, context, page, cap, unbindWang }) {
    unbindWang();
    forgetSites(system);
    await useCard(system, wang.name);
    await openLoginPopupMode(page, system);
    await cap(page, 'login');
    for (const tab of ['nhi', 'fido', 'password']) {
      await page.click(`#tab-${tab}`);
      await page.locator(`#panel-${tab}`).waitFor();
      await cap(page, `login-${tab}`);
    }
    await page.click('#tab-cert');

    await page.fill('#pin', wang.pin);
    await popupSign(context, () => page.click('#cert-submit'), { pin: wang.pin, onAsk: (p) => cap(p, 'agent-allow-site') });
    await expectVisible(page, '#not-bound-dialog[open]', '帳號資訊不存在');
    await cap(page, 'not-bound');

    await page.click('#not-bound-update');
    await expectVisible(page, '#bind-dialog[open]', '自然人憑證檢測');
    await page.fill('#national-id', wang.id);
    await page.fill('#bind-pin', wang.pin);
    await cap(page, 'bind-form');

    await page.fill('#national-id', MISTYPED_ID);
    await page.click('#bind-submit'); // checked on the page, the card is not touched
    const checksum = await nextError(page, '#bind-error');
    if (checksum !== 'NATIONAL_ID_CHECKSUM') throw new Error(`a mistyped ID gave ${checksum}`);
    await cap(page, 'bind-error-checksum');

    await page.fill('#national-id', chen.id);
    await page.fill('#bind-pin', wang.pin);
    await popupSign(context, () => page.click('#bind-submit'), { pin: wang.pin });
    await nextError(page, '#bind-error', checksum);
    await cap(page, 'bind-error-other-id');

    await page.fill('#national-id', wang.id);
    await page.fill('#bind-pin', wang.pin);
    await popupSign(context, () => page.click('#bind-submit'), { pin: wang.pin });
    await expectVisible(page, '#bound-dialog[open]', 'the binding success message');
    await cap(page, 'bound');
    await page.click('#bound-close');
    await page.locator('#bound-dialog').waitFor({ state: 'hidden' });

    await page.fill('#pin', wang.pin);
    await popupSign(context, () => page.click('#cert-submit'), { pin: wang.pin });
    await page.waitForURL(/\/dashboard\.html/, { timeout: 20_000 });
    await page.locator('#person-name').filter({ hasText: wang.name }).waitFor({ timeout: 10_000 });
    await page.locator('#today-todos').filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
    await cap(page, 'dashboard');

    await page.goto(`${system.origin}/help/login-guide.html`);
    await page.locator('main h1:visible').first().waitFor({ timeout: 10_000 });
    await cap(page, 'help');
  },

  /** Direct mode (the site approved in the agent, as `make demo` runs it): PIN window, 取消, a wrong PIN, binding. */
  async direct({ system, context, page, cap, unbindWang }) {
    unbindWang();
    approveSite(system);
    await useCard(system, wang.name);
    await openLoginDirectMode(page, system);
    await cap(page, 'login-direct');

    await directSign(context, () => page.click('#cert-submit'), { pin: null, onWindow: (w) => cap(w, 'agent-pin-window') });
    const cancelled = await nextError(page, '#cert-error');
    await cap(page, 'pin-cancelled');

    await directSign(context, () => page.click('#cert-submit'), { pin: '000000' });
    const wrong = await nextError(page, '#cert-error', cancelled);
    if (!/PIN/.test(wrong)) throw new Error(`a wrong PIN gave ${wrong}`);
    await cap(page, 'wrong-pin');

    // The right PIN (which also gives the card its tries back): 帳號資訊不存在 → 我要更新憑證.
    await directSign(context, () => page.click('#cert-submit'), { pin: wang.pin });
    await expectVisible(page, '#not-bound-dialog[open]', '帳號資訊不存在');
    await page.click('#not-bound-update');
    await expectVisible(page, '#bind-dialog[open]', '自然人憑證檢測');
    await page.fill('#national-id', wang.id);
    await cap(page, 'bind-form-direct');
    await page.click('#bind-cancel');
  },

  /** A revoked card and no card at all, in direct mode. */
  async errors({ system, context, page, cap }) {
    approveSite(system);
    try {
      await useCard(system, lin.name);
      await openLoginDirectMode(page, system);
      await directSign(context, () => page.click('#cert-submit'), { pin: lin.pin });
      const revoked = await nextError(page, '#cert-error');
      if (revoked !== 'CERT_REVOKED') throw new Error(`林志豪's card gave ${revoked}`);
      await cap(page, 'revoked');

      // The direct-mode probe should say so before the PIN; if it does not, the person presses 登入.
      noCardInReader(system);
      await openLoginDirectMode(page, system);
      const early = await nextError(page, '#cert-error', null, 3000).catch(() => null);
      const notes = [];
      if (!early) {
        notes.push('nothing said before 登入: shown after pressing 登入');
        const opened = context.waitForEvent('page', { timeout: 10_000 }).catch(() => null);
        await page.click('#cert-submit');
        const said = nextError(page, '#cert-error', null, 30_000);
        const win = await Promise.race([opened, said.then(() => null)]);
        if (win) {
          const asks = await win.locator('#pin-form:not(.hidden)').waitFor({ timeout: 5000 }).then(() => true, () => false);
          notes.push(asks ? 'the agent’s PIN window asked for the PIN although no card is in the reader' : 'the agent opened its PIN window');
          if (asks) {
            await win.fill('#pin', wang.pin);
            await win.click('#pin-ok');
          }
        }
        await said;
      }
      await cap(page, 'no-card', notes);
    } finally {
      await useCard(system, wang.name);
    }
  },

  /** Nothing answers on the component's port (lib/harness.mjs newContext routes it to a closed port). */
  async 'not-running'({ system, page, cap }) {
    await page.goto(`${system.origin}/`);
    const code = await nextError(page, '#cert-error', null, 10_000);
    if (code !== 'COMPONENT_NOT_RUNNING') throw new Error(`nothing on the component port gave ${code}`);
    await cap(page, 'component-not-running');
  },

  async pages({ system, page, cap }) {
    const response = await page.goto(`${system.origin}/no-such-page`);
    await cap(page, 'not-found', [`HTTP ${response?.status()} ${response?.headers()['content-type'] ?? ''}`.trim()]);
  },
};

const SCENE_CONTEXT = { 'not-running': 'routed' };

// --- what a reviewer should notice -------------------------------------------------------------------------

const PERSONAL = new Set(Object.values(PEOPLE).map((p) => p.name).concat(['張雅婷']));

async function notesFor(page, lang, viewport) {
  const notes = [];
  const seen = await page
    .evaluate(() => {
      const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
      const attrs = [...document.querySelectorAll('[placeholder], [aria-label], [title], img[alt]')]
        .filter(visible)
        .map((e) => ['placeholder', 'aria-label', 'title', 'alt'].map((a) => e.getAttribute(a) ?? '').join(' '));
      return {
        text: document.body.innerText,
        attrs: attrs.join('\n'),
        title: document.title,
        scroll: document.documentElement.scrollWidth,
        width: window.innerWidth,
        viewportMeta: document.querySelector('meta[name="viewport"]') !== null,
      };
    })
    .catch(() => null);
  if (!seen) return notes;
  if (lang === 'en') {
    const chinese = (text) =>
      [...new Set(text.match(/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g) ?? [])].filter((s) => !PERSONAL.has(s) && s !== '中文');
    for (const [where, text] of [
      ['text', seen.text],
      ['attributes', seen.attrs],
      ['window title', seen.title],
    ]) {
      const found = chinese(text);
      if (found.length) notes.push(`Chinese on an English screen (${where}): ${found.slice(0, 12).join(' · ')}${found.length > 12 ? ' …' : ''}`);
    }
  }
  if (viewport === 'phone') {
    const screen = VIEWPORTS.phone.options.viewport.width;
    if (!seen.viewportMeta) notes.push(`no <meta name="viewport">: a phone lays it out ${seen.width}px wide and shrinks it onto the ${screen}px screen`);
    else if (seen.scroll > seen.width) notes.push(`wider than the screen: ${seen.scroll}px on ${seen.width}px`);
  }
  return notes;
}

// --- the run --------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { out: DEFAULT_OUT, langs: Object.keys(LANGS), viewports: Object.keys(VIEWPORTS), screens: SCREENS.map((s) => s.id), list: false };
  const list = (v, known, what) => {
    const items = v.split(',').map((s) => s.trim()).filter(Boolean);
    for (const i of items) if (!known.includes(i)) throw new Error(`unknown ${what} ${i} (known: ${known.join(', ')})`);
    return items;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--out') opts.out = resolve(value());
    else if (a === '--lang') opts.langs = list(value(), Object.keys(LANGS), 'language');
    else if (a === '--viewport') opts.viewports = list(value(), Object.keys(VIEWPORTS), 'viewport');
    else if (a === '--screens') opts.screens = list(value(), SCREENS.map((s) => s.id), 'screen');
    else if (a === '--list') opts.list = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown argument ${a} (see --help)`);
  }
  return opts;
}

/** Removes what an earlier run wrote into out (only the gallery's own files). */
function clearOut(out) {
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (/^\d\d-.+\.png$/.test(f) || f === 'index.html') rmSync(join(out, f));
}

/**
 * Makes the gallery: { out, langs, viewports, screens } (ids) → { shots, failures, seconds }. Starts and
 * stops its own real system (the agent on 61161 must be free).
 */
export async function makeGallery({ out = DEFAULT_OUT, langs = Object.keys(LANGS), viewports = Object.keys(VIEWPORTS), screens = SCREENS.map((s) => s.id), log = console.log } = {}) {
  const start = Date.now();
  clearOut(out);
  const wanted = new Set(screens);
  const shots = [];
  const failures = [];
  const system = await startSystem({ allowPortal: false });
  try {
    // 陳美玲's binding (made by demo.sh) stays; whatever a scene binds later is retired by unbindWang.
    const keep = sqlite(system, 'SELECT group_concat(id) FROM cert_bindings WHERE replaced_at IS NULL;') || '0';
    const unbindWang = () => sqlite(system, `UPDATE cert_bindings SET replaced_at = bound_at WHERE replaced_at IS NULL AND id NOT IN (${keep});`);
    for (const lang of langs) {
      for (const viewport of viewports) {
        for (const [scene, run] of Object.entries(SCENES)) {
          const todo = SCREENS.filter((s) => s.scene === scene && wanted.has(s.id)).map((s) => s.id);
          if (todo.length === 0) continue;
          const remaining = new Set(todo);
          const options = { ...VIEWPORTS[viewport].options, locale: LANGS[lang].locale };
          let context = null;
          const cap = async (page, id, extra = []) => {
            const screen = screenById.get(id);
            if (!screen || screen.scene !== scene) throw new Error(`screen ${id} is not in scene ${scene}`);
            if (!remaining.has(id)) return;
            await page.waitForLoadState('networkidle').catch(() => {});
            // The agent's windows open with window.open's size; on a phone they are a full-screen tab.
            const size = VIEWPORTS[viewport].options.viewport;
            if (viewport === 'phone' && page.viewportSize()?.width !== size.width) await page.setViewportSize(size);
            await page.waitForTimeout(200); // let focus rings and dialogs settle
            const file = fileName(screen, lang, viewport);
            // A modal dialog is shown as the person sees it (its backdrop covers the screen, not the page).
            const dialog = (await page.locator('dialog[open]').count()) > 0;
            await page.screenshot({ path: join(out, file), fullPage: !dialog, animations: 'disabled' });
            shots.push({ screen, lang, viewport, file, notes: [...extra, ...(await notesFor(page, lang, viewport))] });
            remaining.delete(id);
            if (remaining.size === 0) throw new SceneDone();
          };
          const t0 = Date.now();
          try {
            context = SCENE_CONTEXT[scene] === 'routed' ? await newContext(options) : await newRealContext(options);
            // The page's 中文 / English switch remembers the choice here (web/src/lang.ts); the agent's
            // windows go by the browser's language (the context's locale).
            await context.addInitScript(
              ([origin, l]) => {
                if (location.origin === origin) localStorage.setItem('ecpa.lang', l);
              },
              [system.origin, lang],
            );
            const page = await context.newPage();
            await run({ system, context, page, cap, unbindWang });
          } catch (e) {
            if (!(e instanceof SceneDone)) {
              failures.push({ scene, lang, viewport, missing: [...remaining], error: String(e?.message ?? e).split('\n').slice(0, 4).join(' ') });
              log(`  FAILED ${lang} ${viewport} ${scene}: ${String(e?.message ?? e).split('\n')[0]}`);
            }
          } finally {
            await context?.close().catch(() => {});
          }
          log(`  ${lang} ${viewport} ${scene}: ${todo.length - remaining.size}/${todo.length} screens (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        }
      }
    }
  } finally {
    await system.stop();
  }
  const seconds = Math.round((Date.now() - start) / 1000);
  writeFileSync(join(out, 'index.html'), indexHtml({ shots, failures, langs, viewports, wanted, seconds }));
  return { shots, failures, seconds, index: join(out, 'index.html') };
}

// --- index.html -------------------------------------------------------------------------------------------

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function gitDescribe() {
  try {
    const head = execFileSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', REPO, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

function indexHtml({ shots, failures, langs, viewports, wanted, seconds }) {
  const byKey = new Map(shots.map((s) => [`${s.screen.id}|${s.lang}|${s.viewport}`, s]));
  const screens = SCREENS.filter((s) => wanted.has(s.id));
  const combos = langs.flatMap((lang) => viewports.map((viewport) => ({ lang, viewport })));
  const expected = screens.length * combos.length;
  const groups = Object.entries(GROUPS)
    .map(([g, title]) => ({ g, title, screens: screens.filter((s) => s.group === g) }))
    .filter((x) => x.screens.length);
  const figure = (screen, { lang, viewport }) => {
    const shot = byKey.get(`${screen.id}|${lang}|${viewport}`);
    const caption = `${esc(screen.id)} · ${esc(LANGS[lang].label)} · ${esc(VIEWPORTS[viewport].label)}`;
    if (!shot) return `<figure class="missing"><div class="none">not captured</div><figcaption>${caption}</figcaption></figure>`;
    const notes = shot.notes.map((n) => `<span class="note">${esc(n)}</span>`).join('');
    return `<figure class="${esc(viewport)}" data-screen="${esc(screen.id)}" data-lang="${esc(lang)}" data-viewport="${esc(viewport)}">
<a href="${esc(shot.file)}"><img src="${esc(shot.file)}" alt="${esc(`${screen.title} (${LANGS[lang].label}, ${VIEWPORTS[viewport].label})`)}" loading="lazy"></a>
<figcaption><b>${caption}</b><br><span class="file">${esc(shot.file)}</span>${notes}</figcaption></figure>`;
  };
  const noted = shots.filter((s) => s.notes.length).length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>openecpa — every screen (${shots.length} screenshots)</title>
<style>
body { font-family: system-ui, "Noto Sans CJK TC", "Noto Sans TC", sans-serif; margin: 1.5rem; color: #1b1b1b; background: #f6f7f9; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #1f4e79; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.5rem 0 .5rem; } h3 .n { color: #666; font-variant-numeric: tabular-nums; }
.summary { color: #333; } .summary b { font-size: 1.1rem; }
nav a { margin-right: 1rem; }
.row { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
figure { margin: 0; background: #fff; border: 1px solid #d0d4da; padding: .4rem; width: 330px; }
figure.phone { width: 170px; }
figure img { display: block; width: 100%; max-height: 640px; object-fit: cover; object-position: top; border: 1px solid #eee; }
figcaption { font-size: .75rem; margin-top: .3rem; line-height: 1.35; word-break: break-word; }
.file { color: #666; font-family: ui-monospace, monospace; }
.note { display: block; margin-top: .2rem; background: #fff4d6; color: #6b4e00; padding: .1rem .3rem; }
.missing .none { height: 120px; display: flex; align-items: center; justify-content: center; background: #fde8e8; color: #a00; }
.failures { background: #fde8e8; border: 1px solid #e0a0a0; padding: .5rem 1rem; }
</style>
</head>
<body>
<h1>openecpa — every screen of the seed flow</h1>
<p class="summary"><b id="count">${shots.length}</b> screenshots of ${expected} expected
(${screens.length} screens × ${esc(langs.map((l) => LANGS[l].label).join(', '))} × ${esc(viewports.map((v) => VIEWPORTS[v].label).join(', '))}),
made by <code>make screens</code> (tests/e2e/screens.mjs) against the real system on ${esc(new Date().toISOString().replace('T', ' ').slice(0, 16))} UTC
from ${esc(gitDescribe())} in ${seconds} s. ${noted ? `${noted} carry a note (yellow) worth a look.` : ''}
Click a picture for the full-size file.</p>
${failures.length ? `<div class="failures"><b>Not everything was captured:</b><ul>${failures.map((f) => `<li>${esc(f.lang)} ${esc(f.viewport)}, scene ${esc(f.scene)} (missing ${esc(f.missing.join(', '))}): ${esc(f.error)}</li>`).join('')}</ul></div>` : ''}
<nav>${groups.map((x) => `<a href="#${esc(x.g)}">${esc(x.title)} (${x.screens.length})</a>`).join('')}</nav>
${groups
  .map(
    (x) => `<section id="${esc(x.g)}"><h2>${esc(x.title)}</h2>
${x.screens
  .map(
    (s) => `<h3 id="screen-${esc(s.id)}"><span class="n">${String(s.n).padStart(2, '0')}</span> ${esc(s.id)} — ${esc(s.title)}</h3>
<div class="row">${combos.map((c) => figure(s, c)).join('\n')}</div>`,
  )
  .join('\n')}
</section>`,
  )
  .join('\n')}
</body>
</html>
`;
}

// --- command line -----------------------------------------------------------------------------------------

const USAGE = `usage: node tests/e2e/screens.mjs [--out DIR] [--lang zh-TW,en] [--viewport desktop,phone] [--screens id,…] [--list]
  default: every screen, both languages, both viewports, into build/screens/ (index.html)
  needs: built binaries (ECPA_BUILD_DIR, default build/release), web/dist, port 61161 free`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let code = 1;
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help) {
      console.log(USAGE);
      code = 0;
    } else if (opts.list) {
      for (const s of SCREENS) console.log(`${String(s.n).padStart(2, '0')} ${s.id.padEnd(22)} ${s.group.padEnd(7)} ${s.title}`);
      code = 0;
    } else {
      if (!existsSync(join(REPO, 'web', 'dist', 'index.html'))) throw new Error('web/dist is not built (cd web && npm run build)');
      console.log(`screens: ${opts.screens.length} screens × ${opts.langs.join(',')} × ${opts.viewports.join(',')} → ${opts.out}`);
      const { shots, failures, seconds, index } = await makeGallery(opts);
      console.log(`screens: ${shots.length} screenshots in ${seconds} s → ${index}${failures.length ? ` (${failures.length} scene(s) FAILED)` : ''}`);
      code = failures.length === 0 && shots.length > 0 ? 0 : 1;
    }
  } catch (e) {
    console.error(`screens: ${e?.stack ?? e}`);
  } finally {
    await shutdown().catch(() => {});
  }
  // Not process.exit() at once: output to a pipe is written asynchronously and would be cut short.
  process.exitCode = code;
  setTimeout(() => process.exit(code), 3000).unref();
}
