// The agent's PIN pad, where the person types the card's PIN so that the page that asked never sees it.
// Two agent pages use it: /pinpad (direct mode: the page opened /pinpad?req=<id> from the person's click and
// sent its request with "pinRequest":"<id>") and /popupForm (pop-up mode, when the package carries no PIN).
// The agent serves only the files it names, so the shared parts live here: window.ecpaAgentText (the words of
// all three agent pages, in zh-TW and English; selfTest.htm loads this file for it too) and window.ecpaPinPad
// (the PIN form, built only when a request asks for it). popupForm.html and selfTest.htm load this script
// before their own; the direct-mode page runs only on /pinpad.
'use strict';

// The language: ?lang=en or ?lang=zh-TW in the window's address (the site that opens the window passes its
// own) wins, else the browser's languages, English only when it prefers English to Chinese (as the portal's
// web/src/i18n.ts pickLang). The pages' HTML carries the zh-TW text, so a page reads right before this runs;
// every element with data-i18n="<key>" gets its text from the table below.
window.ecpaAgentText = (function () {
  const TEXT = {
    'zh-TW': {
      pinpadTitle: 'ecpa-agent 卡片密碼',
      pinpadHeading: '憑證元件 ecpa-agent:輸入卡片密碼',
      pinpadWaiting: '等待網站的要求…',
      popupTitle: 'ecpa-agent 憑證元件',
      popupHeading: '憑證元件 ecpa-agent',
      popupConnecting: '正在與網站連線…',
      approveAsk1: '網站 ',
      approveAsk2: ' 要求使用您的憑證卡片。',
      approveTrust1: '請確認這是您信任的網站。允許後,下次不再詢問(可於 ',
      approveSettings: '元件設定',
      approveTrust2: ' 取消)。',
      approveYes: '允許',
      approveNo: '拒絕',
      pinAsk1: '網站 ',
      pinAsk2: ' 要求以您的卡片',
      pinAsk3: '。',
      actionSign: '簽章',
      actionDecrypt: '解密資料',
      pinReasonRate: '這個網站在一分鐘內已多次要求使用您的卡片。請確認是您本人要求,再輸入卡片密碼;若不是,請按「取消」。',
      pinLabel: '卡片密碼(PIN):',
      ok: '確定',
      cancel: '取消',
      pinNote: '密碼只傳給本機的元件,網站看不到。',
      pinEnter: '請輸入卡片密碼。',
      cardWorking: '卡片處理中,請勿移除卡片…',
      saidSent: '已送出,卡片處理中。',
      saidRefused: '這個要求已結束,請回到網站重試。',
      saidCancelled: '已取消。',
      badAddress: '網址不正確,請關閉視窗後回到網站重試。',
      noRequest: '沒有等待中的要求,請關閉視窗後回到網站重試。',
      noAgent: '無法連線到元件。',
      popupDone: '完成,視窗即將關閉。',
      popupNoOpener: '這個視窗應由網站開啟,請關閉後回到網站重試。',
      popupWorking: '處理中…',
      popupFailed: '元件發生錯誤,請關閉視窗後重試。',
      selfTestTitle: 'ecpa-agent 元件檢測',
      selfTestHeading: '憑證元件 ecpa-agent 檢測',
      version: '版本:',
      module: ';PKCS#11 模組:',
      checking: '檢測中…',
      readersHeading: '讀卡機與卡片',
      reader: '讀卡機',
      cardNumber: '卡號',
      certificates: '憑證',
      sitesHeading: '允許使用卡片的網站',
      sitesConfigured: '設定檔中的網站:',
      sitesApproved: '您允許的網站(可取消):',
      agentOk: '元件正常。',
      agentError: '錯誤 ',
      errorSeparator: ':',
      noCard: '(無卡片)',
      revoke: '取消允許',
    },
    en: {
      pinpadTitle: 'ecpa-agent Card PIN',
      pinpadHeading: 'Card component ecpa-agent: enter the card PIN',
      pinpadWaiting: 'Waiting for the site\'s request…',
      popupTitle: 'ecpa-agent Card component',
      popupHeading: 'Card component ecpa-agent',
      popupConnecting: 'Connecting to the site…',
      approveAsk1: 'The site ',
      approveAsk2: ' asks to use your certificate card.',
      approveTrust1: 'Make sure this is a site you trust. Once you allow it, you are not asked again (you can revoke it in the ',
      approveSettings: 'component settings',
      approveTrust2: ').',
      approveYes: 'Allow',
      approveNo: 'Deny',
      pinAsk1: 'The site ',
      pinAsk2: ' asks to ',
      pinAsk3: ' with your card.',
      actionSign: 'sign',
      actionDecrypt: 'decrypt data',
      pinReasonRate: 'This site has asked to use your card several times within a minute. Type the card PIN only if the request is yours; if it is not, press Cancel.',
      pinLabel: 'Card PIN: ',
      ok: 'OK',
      cancel: 'Cancel',
      pinNote: 'The PIN goes only to the component on this computer; the site never sees it.',
      pinEnter: 'Enter the card PIN.',
      cardWorking: 'The card is working; do not remove it…',
      saidSent: 'Sent; the card is working.',
      saidRefused: 'This request has ended. Go back to the site and try again.',
      saidCancelled: 'Cancelled.',
      badAddress: 'This window\'s address is not right. Close it, go back to the site and try again.',
      noRequest: 'No request is waiting. Close this window, go back to the site and try again.',
      noAgent: 'The component cannot be reached.',
      popupDone: 'Done; this window closes now.',
      popupNoOpener: 'This window should be opened by a site. Close it, go back to the site and try again.',
      popupWorking: 'Working…',
      popupFailed: 'The component ran into an error. Close this window and try again.',
      selfTestTitle: 'ecpa-agent Self-test',
      selfTestHeading: 'Card component ecpa-agent: self-test',
      version: 'Version: ',
      module: '; PKCS#11 module: ',
      checking: 'Checking…',
      readersHeading: 'Card readers and cards',
      reader: 'Card reader',
      cardNumber: 'Card number',
      certificates: 'Certificates',
      sitesHeading: 'Sites allowed to use the card',
      sitesConfigured: 'Sites in the configuration file:',
      sitesApproved: 'Sites you allowed (you can revoke them):',
      agentOk: 'The component works.',
      agentError: 'Error ',
      errorSeparator: ': ',
      noCard: '(no card)',
      revoke: 'Revoke',
    },
  };

  /** 'en', 'zh-TW' or null for one language tag. */
  function known(tag) {
    const t = String(tag || '').toLowerCase();
    if (t === 'zh' || t.startsWith('zh-')) return 'zh-TW';
    if (t === 'en' || t.startsWith('en-')) return 'en';
    return null;
  }

  function pick() {
    const asked = known(new URLSearchParams(location.search).get('lang'));
    if (asked) return asked;
    for (const tag of navigator.languages || [navigator.language]) {
      const lang = known(tag);
      if (lang) return lang;
    }
    return 'zh-TW';
  }

  const lang = pick();
  const t = (key) => TEXT[lang][key];

  /** Puts the chosen language's text into every data-i18n element of the page (the title included). */
  function apply() {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-Hant-TW';
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  }

  apply();
  return { lang, t };
})();

window.ecpaPinPad = (function () {
  const $ = (id) => document.getElementById(id);
  const t = window.ecpaAgentText.t;

  function status(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  async function post(path, fields) {
    const response = await fetch(path, { method: 'POST', body: new URLSearchParams(fields), credentials: 'omit', cache: 'no-store' });
    return response.text();
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children || []) node.append(child);
    return node;
  }

  // Built here, once, for both pages, when the first request asks (hidden until then and between requests).
  // Text only: nothing from a site is ever parsed as markup.
  let form = null;
  function theForm() {
    if (form) return form;
    form = element('form', { id: 'pin-form', class: 'hidden', autocomplete: 'off' }, [
      element('p', {}, [t('pinAsk1'), element('span', { id: 'pin-origin', class: 'origin' }), t('pinAsk2'), element('span', { id: 'pin-action' }, [t('actionSign')]), t('pinAsk3')]),
      element('p', { id: 'pin-reason', class: 'error hidden' }, [t('pinReasonRate')]),
      element('div', { id: 'pin-preview', class: 'preview hidden' }),
      element('p', {}, [
        element('label', {}, [t('pinLabel'), element('input', { id: 'pin', type: 'password', inputmode: 'numeric', maxlength: '64', autocomplete: 'off' })]),
      ]),
      element('button', { id: 'pin-ok', type: 'submit' }, [t('ok')]),
      element('button', { id: 'pin-cancel', type: 'button' }, [t('cancel')]),
      element('p', { class: 'note' }, [t('pinNote')]),
    ]);
    document.body.append(form);
    return form;
  }

  function hide() {
    if (!form) return;
    $('pin').value = '';
    form.classList.add('hidden');
  }

  /** Polls the agent until it registers request `requestId` (the site is allowed, the card usable): its prompt, or null. */
  async function waitForPrompt(requestId, tries) {
    for (let i = 0; i < tries; i++) {
      const prompt = JSON.parse(await (await fetch('/pinpad/request?req=' + requestId, { cache: 'no-store' })).text());
      if (prompt.pending) return prompt;
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  }

  /**
   * Shows who asks and for what (as the agent, not the site, reports it), takes the PIN and hands it to the
   * agent. Resolves to 'sent', 'refused' (the request was over) or 'cancelled' once the agent has the answer.
   */
  function ask(requestId, prompt) {
    const form = theForm();
    $('pin-origin').textContent = prompt.origin;
    $('pin-action').textContent = prompt.func === 'DecryptData' ? t('actionDecrypt') : t('actionSign');
    $('pin-preview').textContent = prompt.preview || '';
    $('pin-preview').classList.toggle('hidden', !prompt.preview);
    // The agent asks here, although the site sent a PIN, when the site has used the card too often.
    $('pin-reason').classList.toggle('hidden', prompt.reason !== 'rate');
    status(t('pinEnter'));
    form.classList.remove('hidden');
    $('pin').focus();
    // Closing the window with its own close button is a 取消 too: tell the agent at once, or the site
    // would wait for the agent's time-out and the card stay busy until then. A beacon is what a closing
    // page may still send.
    const cancelOnClose = () => navigator.sendBeacon('/pinpad/cancel', new URLSearchParams({ req: requestId }));
    window.addEventListener('pagehide', cancelOnClose);
    const answered = () => window.removeEventListener('pagehide', cancelOnClose);
    return new Promise((resolve, reject) => {
      form.onsubmit = (event) => {
        event.preventDefault();
        const pin = $('pin').value;
        if (!pin) return;
        answered();
        hide();
        status(t('cardWorking'));
        post('/pinpad/submit', { req: requestId, pin })
          .then((text) => (JSON.parse(text).ok ? 'sent' : 'refused'))
          .then(resolve, reject);
      };
      $('pin-cancel').onclick = () => {
        answered();
        hide();
        post('/pinpad/cancel', { req: requestId }).then(() => resolve('cancelled'), reject);
      };
    });
  }

  return { status, post, hide, waitForPrompt, ask };
})();

// The direct-mode page itself.
if (location.pathname === '/pinpad') {
  (function () {
    const pad = window.ecpaPinPad;
    const requestId = new URLSearchParams(location.search).get('req') || '';
    const t = window.ecpaAgentText.t;
    const SAID = { sent: t('saidSent'), refused: t('saidRefused'), cancelled: t('saidCancelled') };

    async function run() {
      if (!/^[0-9a-f]{32}$/.test(requestId)) {
        pad.status(t('badAddress'), true);
        return;
      }
      const prompt = await pad.waitForPrompt(requestId, 300);
      if (!prompt) {
        pad.status(t('noRequest'), true);
        return;
      }
      pad.status(SAID[await pad.ask(requestId, prompt)]);
      setTimeout(() => window.close(), 300);
    }

    run().catch(() => pad.status(t('noAgent'), true));
  })();
}
