// A web page of some site that uses the card component, written the way portal pages talk to the
// official HiPKI component (popup + postMessage) and to ecpa-agent's direct mode (CORS fetch).
// The test sets window.__agent and window.__pkg (and window.__lang, the language the site asks the agent's
// window to speak, as ?lang=), clicks a button and waits for window.__result.
'use strict';

function randomId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function langQuery(separator) {
  return window.__lang ? separator + 'lang=' + encodeURIComponent(window.__lang) : '';
}

function finish(value) {
  window.__result = value;
}

document.getElementById('popup').addEventListener('click', () => {
  const agent = window.__agent;
  const pkg = window.__pkg;
  const popup = window.open(agent + '/popupForm' + langQuery('?'), 'hipki' + Date.now(), 'width=420,height=480');
  const onMessage = (event) => {
    // Only the component's own origin, only strings (REFERENCE §1).
    if (event.origin !== agent || typeof event.data !== 'string') return;
    const message = JSON.parse(event.data);
    if (message.func === 'getTbs') {
      popup.postMessage(JSON.stringify(pkg), agent);
      return;
    }
    window.removeEventListener('message', onMessage);
    finish(message);
  };
  window.addEventListener('message', onMessage);
});

async function directCall(pkg) {
  try {
    const response = await fetch(window.__agent + '/sign', {
      method: 'POST',
      body: new URLSearchParams({ tbsPackage: JSON.stringify(pkg) }),
    });
    finish(await response.json());
  } catch (error) {
    finish({ blocked: String(error) });
  }
}

document.getElementById('direct').addEventListener('click', () => directCall(window.__pkg));

document.getElementById('direct-pinpad').addEventListener('click', () => {
  // The pad must open from the click itself (pop-up blockers); the request then names it.
  const id = randomId();
  window.open(window.__agent + '/pinpad?req=' + id + langQuery('&'), 'pinpad' + id, 'width=420,height=420');
  directCall(Object.assign({}, window.__pkg, { pinRequest: id }));
});
