// The agent's PIN pad, where the person types the card's PIN so that the page that asked never sees it.
// Two agent pages use it: /pinpad (direct mode: the page opened /pinpad?req=<id> from the person's click and
// sent its request with "pinRequest":"<id>") and /popupForm (pop-up mode, when the package carries no PIN).
// The agent serves only the files it names, so the shared part lives here as window.ecpaPinPad and
// popupForm.html loads this script before its own; the direct-mode page runs only on /pinpad.
'use strict';

window.ecpaPinPad = (function () {
  const $ = (id) => document.getElementById(id);

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

  // Built here, once, for both pages (hidden until a request is pending). Text only: nothing from a site is
  // ever parsed as markup.
  function buildForm() {
    const form = element('form', { id: 'pin-form', class: 'hidden', autocomplete: 'off' }, [
      element('p', {}, ['網站 ', element('span', { id: 'pin-origin', class: 'origin' }), ' 要求以您的卡片', element('span', { id: 'pin-action' }, ['簽章']), '。']),
      element('p', { id: 'pin-reason', class: 'error hidden' }, ['這個網站在一分鐘內已多次要求使用您的卡片。請確認是您本人要求,再輸入卡片密碼;若不是,請按「取消」。']),
      element('div', { id: 'pin-preview', class: 'preview hidden' }),
      element('p', {}, [
        element('label', {}, ['卡片密碼(PIN):', element('input', { id: 'pin', type: 'password', inputmode: 'numeric', maxlength: '64', autocomplete: 'off' })]),
      ]),
      element('button', { id: 'pin-ok', type: 'submit' }, ['確定']),
      element('button', { id: 'pin-cancel', type: 'button' }, ['取消']),
      element('p', { class: 'note' }, ['密碼只傳給本機的元件,網站看不到。']),
    ]);
    document.body.append(form);
    return form;
  }

  const form = buildForm();

  function hide() {
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
    $('pin-origin').textContent = prompt.origin;
    $('pin-action').textContent = prompt.func === 'DecryptData' ? '解密資料' : '簽章';
    $('pin-preview').textContent = prompt.preview || '';
    $('pin-preview').classList.toggle('hidden', !prompt.preview);
    // The agent asks here, although the site sent a PIN, when the site has used the card too often.
    $('pin-reason').classList.toggle('hidden', prompt.reason !== 'rate');
    status('請輸入卡片密碼。');
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
        status('卡片處理中,請勿移除卡片…');
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
    const SAID = { sent: '已送出,卡片處理中。', refused: '這個要求已結束,請回到網站重試。', cancelled: '已取消。' };

    async function run() {
      if (!/^[0-9a-f]{32}$/.test(requestId)) {
        pad.status('網址不正確,請關閉視窗後回到網站重試。', true);
        return;
      }
      const prompt = await pad.waitForPrompt(requestId, 300);
      if (!prompt) {
        pad.status('沒有等待中的要求,請關閉視窗後回到網站重試。', true);
        return;
      }
      pad.status(SAID[await pad.ask(requestId, prompt)]);
      setTimeout(() => window.close(), 300);
    }

    run().catch(() => pad.status('無法連線到元件。', true));
  })();
}
