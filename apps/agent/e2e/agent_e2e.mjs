// End-to-end in real Chromium: a page on an allowed origin and the same page on a disallowed origin
// talk to a running ecpa-agent through the popup protocol and through direct fetch.
// Environment: AGENT_URL, ALLOWED_PORT, OTHER_PORT, SLOT, PIN, OUT_DIR, PLAYWRIGHT_CORE (path).
// Writes OUT_DIR/popup-signature.b64 and OUT_DIR/direct-signature.b64 for the caller to verify with
// openssl; prints one line per check and exits non-zero on the first failure.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
const here = path.dirname(new URL(import.meta.url).pathname);
const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`missing ${name}`);
  return value;
};
const agent = env('AGENT_URL');
const pin = env('PIN');
const outDir = env('OUT_DIR');

function serve(port) {
  const files = { '/caller_page.html': 'text/html', '/caller_page.js': 'text/javascript' };
  const server = http.createServer((req, res) => {
    const type = files[req.url];
    if (!type) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' });
    res.end(fs.readFileSync(path.join(here, req.url)));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

function check(condition, what, detail) {
  if (!condition) {
    console.error(`FAIL ${what}: ${JSON.stringify(detail)}`);
    process.exit(1);
  }
  console.log(`ok ${what}`);
}

const signPackage = (extra = {}) => ({
  func: 'MakeSignature', signatureType: 'PKCS7', tbs: '登入 e2e nonce', tbsEncoding: 'NONE',
  hashAlgorithm: 'SHA256', withCardSN: 'true', nonce: 'e2e-nonce', slotDescription: env('SLOT'), ...extra,
});

async function run(page, button, pkg, inPopup) {
  await page.evaluate(([a, p]) => { window.__agent = a; window.__pkg = p; window.__result = undefined; }, [agent, pkg]);
  const popupEvent = inPopup ? page.waitForEvent('popup') : null;
  await page.click(button);
  if (inPopup) await inPopup(await popupEvent);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 20000 });
  return page.evaluate(() => window.__result);
}

const typePin = (value) => async (popup) => {
  await popup.waitForSelector('#pin-form:not(.hidden)', { timeout: 15000 });
  await popup.fill('#pin', value);
  await popup.click('#pin-ok');
};
const pressCancel = async (popup) => {
  await popup.waitForSelector('#pin-form:not(.hidden)', { timeout: 15000 });
  await popup.click('#pin-cancel');
};
const deny = async (popup) => {
  await popup.waitForSelector('#approve:not(.hidden)', { timeout: 15000 });
  await popup.click('#approve-no');
};

const allowed = await serve(Number(env('ALLOWED_PORT')));
const other = await serve(Number(env('OTHER_PORT')));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://127.0.0.1:${env('ALLOWED_PORT')}/caller_page.html`);

  let r = await run(page, '#popup', signPackage({ pin }), async () => {});
  check(r.func === 'sign' && r.ret_code === 0 && r.signature && r.cardSN, 'popup sign from an allowed origin', r);
  fs.writeFileSync(path.join(outDir, 'popup-signature.b64'), r.signature);

  r = await run(page, '#popup', signPackage(), typePin(pin));
  check(r.ret_code === 0 && r.signature, 'popup sign with the PIN typed in the agent popup', r);

  // The agent runs with signatures_per_minute = 3 here: the site's own PIN signs twice more this minute,
  // then the person is asked in the popup, which says why, and the site's (wrong) PIN is never tried.
  for (let i = 0; i < 2; i++) {
    r = await run(page, '#popup', signPackage({ pin }), async () => {});
    check(r.ret_code === 0 && r.signature, `popup sign with the site's PIN within the rate (${i + 2} of 3)`, r);
  }
  let reasonShown = false;
  const confirmOverRate = async (popup) => {
    await popup.waitForSelector('#pin-form:not(.hidden)', { timeout: 15000 });
    reasonShown = await popup.isVisible('#pin-reason');
    await popup.fill('#pin', pin);
    await popup.click('#pin-ok');
  };
  r = await run(page, '#popup', signPackage({ pin: '000000' }), confirmOverRate);
  check(r.ret_code === 0 && r.signature && reasonShown,
        'over the signing rate the popup asks the person, saying why, and signs with the PIN typed there', { r, reasonShown });

  r = await run(page, '#popup', signPackage(), pressCancel);
  check(r.ret_code === 0x76000999, 'popup 取消 gives 0x76000999', r);

  r = await run(page, '#popup', { func: 'GetUserCert' }, async () => {});
  check(r.func === 'pkcs11info' && r.ret_code === 0 && r.slots.some((s) => s.token && s.token.certs),
        'popup GetUserCert', r.ret_code);

  r = await run(page, '#direct', signPackage({ pin }), null);
  check(r.ret_code === 0x7600000c && r.code === 'AGENT_PIN_FROM_PAGE_REFUSED' && !r.signature,
        'direct fetch carrying a PIN is refused (direct mode never takes the PIN from the page)', r);

  r = await run(page, '#direct-pinpad', signPackage(), typePin(pin));
  check(r.ret_code === 0 && r.signature, 'direct fetch with the agent PIN pad', r);
  fs.writeFileSync(path.join(outDir, 'direct-signature.b64'), r.signature);

  // The person closes the PIN pad with the window's own close button: the agent hears it at once and
  // answers 取消 (a time-out would be 0x7600000D, and only after pin_timeout_seconds).
  const closeWindow = async (popup) => {
    await popup.waitForSelector('#pin-form:not(.hidden)', { timeout: 15000 });
    await popup.close({ runBeforeUnload: true });
  };
  r = await run(page, '#direct-pinpad', signPackage(), closeWindow);
  check(r.ret_code === 0x76000999 && r.code === 'AGENT_CANCELLED' && !r.signature,
        'closing the PIN pad window cancels the request', r);

  const evil = await (await browser.newContext()).newPage();
  await evil.goto(`http://127.0.0.1:${env('OTHER_PORT')}/caller_page.html`);
  r = await run(evil, '#popup', signPackage({ pin }), deny);
  check(r.ret_code === 0x76000031 && !r.signature, 'popup from a disallowed origin gives 0x76000031', r);

  r = await run(evil, '#direct', signPackage({ pin }), null);
  check(r.blocked && !r.signature, 'direct fetch from a disallowed origin is blocked by the browser', r);

  // The person approves the other site once in the agent's popup; from then on it may call directly.
  const approve = async (popup) => {
    await popup.waitForSelector('#approve:not(.hidden)', { timeout: 15000 });
    const shown = await popup.textContent('#approve-origin');
    if (shown !== `http://127.0.0.1:${env('OTHER_PORT')}`) throw new Error(`approval shows ${shown}`);
    await popup.click('#approve-yes');
  };
  r = await run(evil, '#popup', signPackage({ pin }), approve);
  check(r.ret_code === 0 && r.signature, 'popup 允許 approves the site and signs', r);
  r = await run(evil, '#direct-pinpad', signPackage(), typePin(pin));
  check(r.ret_code === 0 && r.signature, 'direct fetch works once the site is approved', r);

  // The agent's own self-test page: the card is listed, and the approval can be taken back there.
  const selfTest = await (await browser.newContext()).newPage();
  const pageErrors = [];
  selfTest.on('pageerror', (e) => pageErrors.push(String(e)));
  selfTest.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await selfTest.goto(`${agent}/selfTest.htm`);
  await selfTest.waitForFunction(() => document.getElementById('result').textContent === '元件正常。', null,
                                 { timeout: 15000 });
  const table = await selfTest.textContent('#slots');
  check(table.includes(env('SLOT')) && table.includes('digitalSignature'), 'selfTest.htm lists the card', table);
  await selfTest.click('#approved button');
  await selfTest.waitForFunction(() => document.querySelectorAll('#approved li').length === 0, null,
                                 { timeout: 15000 });
  r = await run(evil, '#direct', signPackage({ pin }), null);
  check(r.blocked && !r.signature, 'revoked in selfTest.htm: direct fetch is blocked again', r);
  check(pageErrors.length === 0, 'agent pages run under their CSP without errors', pageErrors);
} finally {
  await browser.close();
  allowed.close();
  other.close();
}
console.log('all e2e checks passed');
