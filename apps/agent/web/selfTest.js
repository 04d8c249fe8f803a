// /selfTest.htm: what the agent sees (module, readers, cards, certificates) and which sites may use it.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text;
    row.appendChild(td);
  }

  async function loadSlots() {
    const answer = JSON.parse(await (await fetch('/pkcs11info?withcert=true', { method: 'POST', cache: 'no-store' })).text());
    $('result').textContent = answer.ret_code === 0 ? '元件正常。' : '錯誤 0x' + answer.ret_code.toString(16).toUpperCase() + (answer.message ? ':' + answer.message : '');
    $('result').className = answer.ret_code === 0 ? '' : 'error';
    $('slots').textContent = '';
    for (const slot of answer.slots || []) {
      const row = document.createElement('tr');
      cell(row, slot.slotDescription);
      cell(row, slot.token ? slot.token.serialNumber : '(無卡片)');
      const certs = slot.token && slot.token.certs ? slot.token.certs : [];
      cell(row, certs.map((c) => c.usage + ' ' + c.subjectDN + ' ~' + c.notAfter).join('\n'));
      $('slots').appendChild(row);
    }
  }

  async function loadApprovals() {
    const settings = JSON.parse(await (await fetch('/approvals', { cache: 'no-store' })).text());
    $('version').textContent = settings.agent + ' (' + settings.serverVersion + ')';
    $('module').textContent = settings.module;
    $('configured').textContent = '';
    for (const origin of settings.configured) {
      const li = document.createElement('li');
      li.textContent = origin;
      $('configured').appendChild(li);
    }
    $('approved').textContent = '';
    for (const origin of settings.approved) {
      const li = document.createElement('li');
      li.textContent = origin + ' ';
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = '取消允許';
      button.onclick = async () => {
        await fetch('/approvals', { method: 'POST', body: new URLSearchParams({ origin, action: 'revoke' }) });
        loadApprovals();
      };
      li.appendChild(button);
      $('approved').appendChild(li);
    }
  }

  loadApprovals().then(loadSlots).catch(() => {
    $('result').textContent = '無法連線到元件。';
    $('result').className = 'error';
  });
})();
