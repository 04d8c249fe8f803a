// The HiPKI popup protocol (docs/agent-protocol.md): tell the opener we are ready with {"func":"getTbs"},
// take ONE string message from it, call the agent on behalf of that message's origin, post the raw
// JSON answer back to that origin only, and close. When the package has no PIN the person types it
// here, in the agent's own page, so the calling page never sees it. Every card operation also names this
// window as its PIN pad (pinRequest): when the site sends a PIN but has used the card too often this
// minute, the agent asks the person here instead of taking the site's word (docs/agent-protocol.md).
'use strict';

(function () {
  const ENDPOINTS = {
    GetUserCert: '/pkcs11info?withcert=true',
    CheckEnvir: '/pkcs11info',
    MakeSignature: '/sign',
    DecryptData: '/decrypt',
  };
  const NOT_AUTHORISED = 0x76000031;
  const $ = (id) => document.getElementById(id);
  let taken = false;

  const pad = window.ecpaPinPad; // pinpad.js: the PIN form, shared with the direct-mode page
  const words = window.ecpaAgentText; // pinpad.js: the words, in the window's language
  const t = words.t;
  const status = pad.status;
  const post = pad.post;

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function reply(origin, text) {
    // Pinned to the caller's origin: nobody else may read a signature or a certificate list.
    window.opener.postMessage(text, origin);
    status(t('popupDone'));
    setTimeout(() => window.close(), 200);
  }

  function askApproval(origin) {
    return new Promise((resolve) => {
      $('approve-origin').textContent = origin;
      $('approve').classList.remove('hidden');
      $('approve-yes').onclick = async () => {
        $('approve').classList.add('hidden');
        const answer = JSON.parse(await post('/approvals', { origin, action: 'allow' }));
        resolve(!answer.code);
      };
      $('approve-no').onclick = () => {
        $('approve').classList.add('hidden');
        resolve(false);
      };
    });
  }

  async function handle(origin, text) {
    let pkg = null;
    try {
      pkg = JSON.parse(text);
    } catch (e) {
      pkg = null;
    }
    const func = pkg && typeof pkg.func === 'string' ? pkg.func : '';
    const path = ENDPOINTS[func] || '/sign';
    const usesCard = func === 'MakeSignature' || func === 'DecryptData';
    for (let attempt = 0; attempt < 2; attempt++) {
      // The package goes on exactly as the site wrote it (the agent judges its text, duplicate names
      // included); this window's PIN pad id travels beside it.
      const fields = { tbsPackage: text, origin };
      const requestId = usesCard ? randomId() : null;
      if (requestId) fields.pinRequest = requestId;
      const pending = post(path, fields);
      if (requestId) {
        // The agent asks for the PIN only once the site is allowed and the card can be used (and, when
        // the site sent a PIN, only if it is over its rate); until then the pad waits for the agent to
        // register the request, and when the agent needs nothing from it, /sign answers first.
        askPin(requestId).catch(() => {}); // a broken pad still ends: the answer to /sign below says why
      }
      const answerText = await pending;
      pad.hide();
      let answer = null;
      try {
        answer = JSON.parse(answerText);
      } catch (e) {
        answer = null;
      }
      if (attempt === 0 && answer && answer.ret_code === NOT_AUTHORISED) {
        const settings = JSON.parse(await (await fetch('/approvals', { cache: 'no-store' })).text());
        if (settings.askUnknownOrigins && (await askApproval(origin))) continue;
      }
      reply(origin, answerText);
      return;
    }
  }

  async function askPin(requestId) {
    const prompt = await pad.waitForPrompt(requestId, 100);
    // The agent's own answer to /sign ends the exchange, whatever the pad says.
    if (prompt) await pad.ask(requestId, prompt);
  }

  // The settings page the approval names opens in the same language.
  $('approve-settings').href = '/selfTest.htm?lang=' + words.lang;

  if (!window.opener) {
    status(t('popupNoOpener'), true);
    return;
  }
  window.addEventListener('message', (event) => {
    // One popup = one request, from the window that opened us, as a string.
    if (taken || event.source !== window.opener || typeof event.data !== 'string') return;
    taken = true;
    status(t('popupWorking'));
    handle(event.origin, event.data).catch(() => status(t('popupFailed'), true));
  });
  window.opener.postMessage(JSON.stringify({ func: 'getTbs' }), '*');
})();
