// Serves the built front end (web/dist) the way ecpa-portal does — same security headers (CSP without
// inline script, connect-src 'self' http://localhost:61161, COOP same-origin-allow-popups, frame-ancestors
// none) — on 127.0.0.1 only. Used until apps/portal can be started by these tests.
//
// It also answers the few /api routes of docs/login-api.md the pages need to reach their screens
// (session, challenge, certificate → ACCOUNT_NOT_BOUND, dashboard) with fixed, documented shapes. These are
// NOT a portal: no signature is checked. They exist only so the browser-side tests (pop-up guidance,
// dialogs, accessibility, layout) can reach the binding dialog and the dashboard; the real login flow is
// tested against the real portal by issue 6's end-to-end test.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const PORTAL_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; " +
    "frame-ancestors 'none'; form-action 'self'; connect-src 'self' http://localhost:61161",
  'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cache-Control': 'no-store',
};

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
};

const CSRF = 'standin-csrf-token';

function dashboardBody() {
  const day = (offset, label, rocDay) => ({
    date: `2021-12-${14 + offset}`,
    rocDate: `110年12月${rocDay}日`,
    weekday: '',
    label,
    todos: offset === 0 ? [{ title: '年度考績評定', due: '110年12月14日' }] : [],
  });
  return {
    person: { name: '王小明', agency: '行政院人事行政總處', title: '科員', maskedId: 'A12****789', method: 'citizen' },
    today: '2021-12-14',
    days: [day(0, '今天', 14), day(1, '明天', 15), day(2, '後天', 16)],
    menu: [],
  };
}

/**
 * Starts the server. opts.authenticated: whether GET /api/session and /api/dashboard act logged in.
 * Returns { url, close }.
 */
export async function startPortalStandin(distDir, opts = {}) {
  const root = normalize(distDir + sep);
  const json = (res, status, body) => {
    res.writeHead(status, { ...PORTAL_HEADERS, 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const api = (req, res, path) => {
    const authenticated = opts.authenticated === true;
    if (req.method === 'GET' && path === '/api/session') {
      return json(res, 200, authenticated ? { authenticated, csrfToken: CSRF, person: dashboardBody().person, lang: 'zh-TW' } : { authenticated, csrfToken: CSRF, lang: 'zh-TW' });
    }
    if (req.method === 'GET' && path === '/api/dashboard') {
      return authenticated ? json(res, 200, dashboardBody()) : json(res, 401, { code: 'NOT_LOGGED_IN', message: '', action: '', traceId: 'standin' });
    }
    if (req.method === 'POST' && req.headers['x-csrf-token'] !== CSRF) return json(res, 403, { code: 'CSRF_MISSING', message: '', action: '', traceId: 'standin' });
    if (req.method === 'POST' && path === '/api/auth/challenge') {
      return json(res, 200, { nonce: 'c3RhbmRpbg', tbs: 'openecpa-login-v1 standin', expiresAt: new Date(Date.now() + 300_000).toISOString(), hashAlgorithm: 'SHA256', signatureType: 'PKCS7' });
    }
    if (req.method === 'POST' && path === '/api/auth/certificate') {
      return json(res, 404, { code: 'ACCOUNT_NOT_BOUND', message: '帳號資訊不存在', action: '', traceId: 'standin' });
    }
    return json(res, 404, { code: 'NOT_FOUND', message: '', action: '', traceId: 'standin' });
  };
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = decodeURIComponent(url.pathname);
      if (path.startsWith('/api/')) return api(req, res, path);
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { code: 'METHOD_NOT_ALLOWED' });
      let file = normalize(join(root, path === '/' ? 'index.html' : path));
      if (!file.startsWith(root)) return json(res, 404, { code: 'NOT_FOUND' });
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file).catch(() => null);
      if (!body) return json(res, 404, { code: 'NOT_FOUND' });
      res.writeHead(200, { ...PORTAL_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      if (!res.headersSent) json(res, 500, { code: 'INTERNAL_ERROR' });
      else res.destroy();
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
