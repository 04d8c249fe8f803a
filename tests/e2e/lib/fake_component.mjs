// A tiny HTTP server on 127.0.0.1 standing in for the official HiPKI component (REFERENCE §1) in the one
// way the real component cannot be made to fail on demand: it reports an old serverVersion. It speaks the
// real wire shapes: GET /pkcs11info, and GET /popupForm, a page that runs the pop-up protocol (posts
// {"func":"getTbs"} to its opener, takes the tbsPackage, answers a sign result, closes).
//   cors: false → like the official component (no CORS headers: the page must use the pop-up);
//   cors: true  → answers CORS for the page's origin, as ecpa-agent does (the page uses direct mode).
// The signature it returns is not a real CMS: the tests using it stop before any login.

import { createServer } from 'node:http';

export async function startFakeComponent({ version, cors = false, allowOrigin = '' }) {
  const pkcs11info = {
    func: 'pkcs11info',
    ret_code: 0,
    last_error: 0,
    serverVersion: version,
    slots: [{ slotDescription: 'CASTLES EZ100PU 00 00', token: { serialNumber: 'TP03200302000536', certs: [] } }],
  };
  const sign = { func: 'sign', ret_code: 0, last_error: 0, signature: 'U1RBTkRJTg==', certb64: 'U1RBTkRJTg==', cardSN: 'TP03200302000536', serverVersion: version };
  const popupForm = `<!doctype html><html><head><meta charset="utf-8"><title>component</title></head><body>
<script>
window.addEventListener('message', function (e) {
  if (typeof e.data !== 'string') return;
  var pkg; try { pkg = JSON.parse(e.data); } catch (x) { return; }
  if (pkg.func !== 'MakeSignature') return;
  e.source.postMessage(${JSON.stringify(JSON.stringify(sign))}, e.origin);
  setTimeout(function () { window.close(); }, 50);
});
window.opener.postMessage('{"func":"getTbs"}', '*');
</script></body></html>`;
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const headers = {};
    if (cors && req.headers.origin && req.headers.origin === allowOrigin) {
      headers['Access-Control-Allow-Origin'] = req.headers.origin;
      headers['Vary'] = 'Origin';
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/pkcs11info') {
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(pkcs11info));
    }
    if (path === '/popupForm') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(popupForm);
    }
    res.writeHead(404, headers);
    res.end();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released): a component that is not running. */
export async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(() => resolve()));
  return port;
}
