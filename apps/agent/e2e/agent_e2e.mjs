// End-to-end in real Chromium: a page on an allowed origin and the same page on a disallowed origin
// talk to a running ecpa-agent through the popup protocol and through direct fetch. The agent's windows
// speak the language the site asks for (?lang=) or else the browser's, zh-TW or English.
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

async function run(page, button, pkg, inPopup, lang = '') {
  await page.evaluate(([a, p, l]) => { window.__agent = a; window.__pkg = p; window.__lang = l; window.__result = undefined; },
                      [agent, pkg, lang]);
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

// Chinese characters and full-width punctuation: none may show in an English agent window.
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/**
 * What an agent window says: its title, <html lang>, viewport, and all the text of its body (hidden parts
 * too, which show later) without the site's own text to sign and without the card's own data.
 */
const windowText = (win) => win.evaluate(() => {
  const body = document.body.cloneNode(true);
  for (const node of body.querySelectorAll('#pin-preview, #slots td:nth-child(1), #slots td:nth-child(3)')) node.remove();
  const preview = document.getElementById('pin-preview');
  const viewport = document.querySelector('meta[name=viewport]');
  return {
    title: document.title,
    lang: document.documentElement.lang,
    viewport: viewport ? viewport.content : null,
    text: document.title + '\n' + body.textContent,
    ok: document.getElementById('pin-ok')?.textContent,
    cancel: document.getElementById('pin-cancel')?.textContent,
    reason: document.getElementById('pin-reason')?.textContent,
    yes: document.getElementById('approve-yes')?.textContent,
    no: document.getElementById('approve-no')?.textContent,
    // The preview wraps: nothing runs off its right edge.
    previewFits: preview && !preview.classList.contains('hidden') ? preview.scrollWidth <= preview.clientWidth : null,
    // The page is laid out at the window's width (a viewport meta), not 980 px, and nothing is wider.
    width: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
  };
});

/** Reads the PIN window once its form shows, then goes on with `then`. */
const readPinWindow = (seen, then) => async (popup) => {
  await popup.waitForSelector('#pin-form:not(.hidden)', { timeout: 15000 });
  Object.assign(seen, await windowText(popup));
  await then(popup);
};

const english = (seen) => seen.lang === 'en' && !CJK.test(seen.text);
const viewportMeta = 'width=device-width, initial-scale=1';
const longNonce = 'e2e-nonce-' + '0123456789abcdef'.repeat(8);

const allowed = await serve(Number(env('ALLOWED_PORT')));
const other = await serve(Number(env('OTHER_PORT')));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
// Every agent window and page (pop-ups included) must run under its CSP without an error or a failed load;
// the caller pages' own errors (a blocked fetch is expected there) do not count.
const pageErrors = [];
const watch = (context) => context.on('page', (p) => {
  const record = (what) => { if (p.url().startsWith(agent)) pageErrors.push(`${p.url()}: ${what}`); };
  p.on('pageerror', (e) => record(String(e)));
  p.on('console', (m) => { if (m.type() === 'error') record(m.text()); });
});
// A browser in Chinese (zh-TW) and one in English (en-US); the agent's windows follow it unless the site asks.
const zhContext = async (options = {}) => { const c = await browser.newContext({ locale: 'zh-TW', ...options }); watch(c); return c; };
const enContext = async (options = {}) => { const c = await browser.newContext({ locale: 'en-US', ...options }); watch(c); return c; };
try {
  const page = await (await zhContext()).newPage();
  await page.goto(`http://127.0.0.1:${env('ALLOWED_PORT')}/caller_page.html`);

  let r = await run(page, '#popup', signPackage({ pin }), async () => {});
  check(r.func === 'sign' && r.ret_code === 0 && r.signature && r.cardSN, 'popup sign from an allowed origin', r);
  fs.writeFileSync(path.join(outDir, 'popup-signature.b64'), r.signature);

  let seen = {};
  r = await run(page, '#popup', signPackage(), readPinWindow(seen, typePin(pin)));
  check(r.ret_code === 0 && r.signature, 'popup sign with the PIN typed in the agent popup', r);
  check(seen.lang === 'zh-Hant-TW' && seen.title === 'ecpa-agent 憑證元件' && seen.ok === '確定' && seen.cancel === '取消' &&
        seen.viewport === viewportMeta, 'the popup in a Chinese browser speaks zh-TW', seen);

  // The agent runs with signatures_per_minute = 3 here: the site's own PIN signs twice more this minute,
  // then the person is asked in the popup, which says why, and the site's (wrong) PIN is never tried.
  for (let i = 0; i < 2; i++) {
    r = await run(page, '#popup', signPackage({ pin }), async () => {});
    check(r.ret_code === 0 && r.signature, `popup sign with the site's PIN within the rate (${i + 2} of 3)`, r);
  }
  let reasonShown = false;
  const confirmOverRate = async (popup) => {
    await popup.waitForSelector('#pin-form:not(.hidden)', { timeout: 15000 });
    reasonShown = (await popup.isVisible('#pin-reason')) && (await popup.textContent('#pin-reason')).includes('一分鐘內');
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

  seen = {};
  r = await run(page, '#direct-pinpad', signPackage(), readPinWindow(seen, typePin(pin)));
  check(r.ret_code === 0 && r.signature, 'direct fetch with the agent PIN pad', r);
  fs.writeFileSync(path.join(outDir, 'direct-signature.b64'), r.signature);
  check(seen.lang === 'zh-Hant-TW' && seen.title === 'ecpa-agent 卡片密碼' && seen.ok === '確定' && seen.cancel === '取消' &&
        seen.viewport === viewportMeta, 'the PIN window in a Chinese browser speaks zh-TW', seen);

  // The site asks for English (&lang=en, as the portal in English does): the PIN window speaks English,
  // whatever the browser's language, and a long nonce in the text to sign wraps inside the window.
  seen = {};
  r = await run(page, '#direct-pinpad', signPackage({ tbs: `登入 nonce=${longNonce}` }), readPinWindow(seen, typePin(pin)), 'en');
  check(r.ret_code === 0 && r.signature, 'direct fetch with the PIN window in English', r);
  check(english(seen) && seen.title === 'ecpa-agent Card PIN' && seen.ok === 'OK' && seen.cancel === 'Cancel' &&
        /several times within a minute/.test(seen.reason) && seen.viewport === viewportMeta,
        'a PIN window opened with &lang=en is all English (the site\'s own text aside)', seen);
  check(seen.previewFits === true, 'the PIN window\'s text preview wraps a long nonce', seen);

  // A browser in English: the agent's windows speak English unless the site asks for zh-TW.
  const enPage = await (await enContext()).newPage();
  await enPage.goto(`http://127.0.0.1:${env('ALLOWED_PORT')}/caller_page.html`);
  seen = {};
  r = await run(enPage, '#popup', signPackage(), readPinWindow(seen, typePin(pin)));
  check(r.ret_code === 0 && r.signature, 'popup sign from an English browser', r);
  check(english(seen) && seen.title === 'ecpa-agent Card component' && seen.ok === 'OK' && seen.cancel === 'Cancel',
        'the popup in an English browser is all English', seen);
  seen = {};
  r = await run(enPage, '#direct-pinpad', signPackage(), readPinWindow(seen, typePin(pin)), 'zh-TW');
  check(r.ret_code === 0 && r.signature && seen.lang === 'zh-Hant-TW' && seen.title === 'ecpa-agent 卡片密碼' && seen.ok === '確定',
        'a PIN window opened with &lang=zh-TW speaks zh-TW in an English browser', { r: r.ret_code, seen });

  // The person closes the PIN pad with the window's own close button: the agent hears it at once and
  // answers 取消 (a time-out would be 0x7600000D, and only after pin_timeout_seconds).
  const closeWindow = async (popup) => {
    await popup.waitForSelector('#pin-form:not(.hidden)', { timeout: 15000 });
    await popup.close({ runBeforeUnload: true });
  };
  r = await run(page, '#direct-pinpad', signPackage(), closeWindow);
  check(r.ret_code === 0x76000999 && r.code === 'AGENT_CANCELLED' && !r.signature,
        'closing the PIN pad window cancels the request', r);

  const evil = await (await zhContext()).newPage();
  await evil.goto(`http://127.0.0.1:${env('OTHER_PORT')}/caller_page.html`);
  const readApproval = (into) => async (popup) => {
    await popup.waitForSelector('#approve:not(.hidden)', { timeout: 15000 });
    Object.assign(into, await windowText(popup), { settings: await popup.getAttribute('#approve-settings', 'href') });
    await deny(popup);
  };
  seen = {};
  r = await run(evil, '#popup', signPackage({ pin }), readApproval(seen));
  check(r.ret_code === 0x76000031 && !r.signature, 'popup from a disallowed origin gives 0x76000031', r);
  check(seen.lang === 'zh-Hant-TW' && seen.yes === '允許' && seen.no === '拒絕' && seen.text.includes('要求使用您的憑證卡片'),
        'the approval in a Chinese browser speaks zh-TW', seen);

  // The same site in an English browser: the approval is in English, and its settings link too.
  const evilEn = await (await enContext()).newPage();
  await evilEn.goto(`http://127.0.0.1:${env('OTHER_PORT')}/caller_page.html`);
  seen = {};
  r = await run(evilEn, '#popup', signPackage({ pin }), readApproval(seen));
  check(r.ret_code === 0x76000031 && !r.signature, 'Deny in the English popup gives 0x76000031', r);
  check(english(seen) && seen.yes === 'Allow' && seen.no === 'Deny' && seen.text.includes('asks to use your certificate card') &&
        seen.settings === '/selfTest.htm?lang=en' && seen.viewport === viewportMeta,
        'the approval in an English browser is all English', seen);

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

  // The agent's pages on a phone, in English: laid out at the phone's width, nothing wider, no Chinese
  // (the card's own data aside). Opened by hand they also say what is wrong, in English.
  const phone = await enContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const onPhone = await phone.newPage();
  await onPhone.goto(`${agent}/selfTest.htm`);
  await onPhone.waitForFunction(() => document.getElementById('result').textContent === 'The component works.', null,
                                { timeout: 15000 });
  await onPhone.waitForSelector('#approved button');
  seen = await windowText(onPhone);
  const revokeButton = await onPhone.textContent('#approved button');
  check(english(seen) && seen.title === 'ecpa-agent Self-test' && revokeButton === 'Revoke' &&
        seen.text.includes('Card readers and cards') && (await onPhone.textContent('#slots')).includes(env('SLOT')),
        'selfTest.htm in an English browser is all English (the card\'s data aside)', { seen, revokeButton });
  check(seen.viewport === viewportMeta && seen.width === 390 && seen.scrollWidth <= seen.width,
        'selfTest.htm fits a phone\'s width', seen);
  for (const [where, said] of [['/pinpad?req=x', 'not right'], ['/popupForm', 'should be opened by a site']]) {
    await onPhone.goto(`${agent}${where}`);
    await onPhone.waitForFunction((s) => document.getElementById('status').textContent.includes(s), said, { timeout: 15000 });
    seen = await windowText(onPhone);
    check(english(seen) && seen.viewport === viewportMeta && seen.width === 390 && seen.scrollWidth <= seen.width,
          `${where} in an English browser on a phone is English and fits`, seen);
  }
  await onPhone.goto(`${agent}/selfTest.htm?lang=zh-TW`);
  await onPhone.waitForFunction(() => document.getElementById('result').textContent === '元件正常。', null, { timeout: 15000 });
  check((await onPhone.title()) === 'ecpa-agent 元件檢測' &&
        (await onPhone.evaluate(() => document.documentElement.lang)) === 'zh-Hant-TW',
        'selfTest.htm?lang=zh-TW speaks zh-TW in an English browser', await onPhone.title());

  // The agent's own self-test page: the card is listed, and the approval can be taken back there.
  const selfTest = await (await zhContext()).newPage();
  await selfTest.goto(`${agent}/selfTest.htm`);
  await selfTest.waitForFunction(() => document.getElementById('result').textContent === '元件正常。', null,
                                 { timeout: 15000 });
  const table = await selfTest.textContent('#slots');
  check(table.includes(env('SLOT')) && table.includes('digitalSignature'), 'selfTest.htm lists the card', table);
  check((await selfTest.textContent('#approved button')) === '取消允許' && (await selfTest.title()) === 'ecpa-agent 元件檢測',
        'selfTest.htm in a Chinese browser speaks zh-TW', await selfTest.title());
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
