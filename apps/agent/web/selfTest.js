// /selfTest.htm: what the agent sees (module, readers, cards, certificates) and which sites may use it.
// selfTest.htm loads /pinpad.js first for the words (window.ecpaAgentText).
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const words = window.ecpaAgentText; // pinpad.js: the words, in the page's language
  const t = words.t;

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text;
    row.appendChild(td);
  }

  async function loadSlots() {
    const answer = JSON.parse(await (await fetch('/pkcs11info?withcert=true', { method: 'POST', cache: 'no-store' })).text());
    const message = words.lang === 'en' ? answer.message_en || answer.message : answer.message;
    $('result').textContent = answer.ret_code === 0 ? t('agentOk') : t('agentError') + '0x' + answer.ret_code.toString(16).toUpperCase() + (message ? t('errorSeparator') + message : '');
    $('result').className = answer.ret_code === 0 ? '' : 'error';
    $('slots').textContent = '';
    for (const slot of answer.slots || []) {
      const row = document.createElement('tr');
      cell(row, slot.slotDescription);
      cell(row, slot.token ? slot.token.serialNumber : t('noCard'));
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
      button.textContent = t('revoke');
      button.onclick = async () => {
        await fetch('/approvals', { method: 'POST', body: new URLSearchParams({ origin, action: 'revoke' }) });
        loadApprovals();
      };
      li.appendChild(button);
      $('approved').appendChild(li);
    }
  }

  loadApprovals().then(loadSlots).catch(() => {
    $('result').textContent = t('noAgent');
    $('result').className = 'error';
  });
})();
