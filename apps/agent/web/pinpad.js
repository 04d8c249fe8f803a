// The agent's PIN pad for direct (CORS) mode: the page opened /pinpad?req=<id> from the person's click
// and sent its request with "pinRequest":"<id>". This page shows who asks, takes the PIN and hands it to
// the agent only; the page that asked never sees it.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const requestId = new URLSearchParams(location.search).get('req') || '';

  function status(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  async function post(path, fields) {
    const response = await fetch(path, { method: 'POST', body: new URLSearchParams(fields), cache: 'no-store' });
    return JSON.parse(await response.text());
  }

  function finish(text) {
    status(text);
    setTimeout(() => window.close(), 300);
  }

  function show(prompt) {
    $('pin-origin').textContent = prompt.origin;
    $('pin-action').textContent = prompt.func === 'DecryptData' ? '解密資料' : '簽章';
    if (prompt.preview) {
      $('pin-preview').textContent = prompt.preview;
      $('pin-preview').classList.remove('hidden');
    }
    status('請輸入卡片密碼。');
    $('pin-form').classList.remove('hidden');
    $('pin').focus();
    $('pin-form').onsubmit = async (event) => {
      event.preventDefault();
      const pin = $('pin').value;
      $('pin').value = '';
      if (!pin) return;
      $('pin-form').classList.add('hidden');
      const answer = await post('/pinpad/submit', { req: requestId, pin });
      finish(answer.ok ? '已送出,卡片處理中。' : '這個要求已結束,請回到網站重試。');
    };
    $('pin-cancel').onclick = async () => {
      $('pin').value = '';
      $('pin-form').classList.add('hidden');
      await post('/pinpad/cancel', { req: requestId });
      finish('已取消。');
    };
  }

  async function poll() {
    if (!/^[0-9a-f]{32}$/.test(requestId)) {
      status('網址不正確,請關閉視窗後回到網站重試。', true);
      return;
    }
    for (let i = 0; i < 300; i++) {
      const prompt = JSON.parse(await (await fetch('/pinpad/request?req=' + requestId, { cache: 'no-store' })).text());
      if (prompt.pending) {
        show(prompt);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    status('沒有等待中的要求,請關閉視窗後回到網站重試。', true);
  }

  poll().catch(() => status('無法連線到元件。', true));
})();
