import { describe, expect, it } from 'vitest';
import { ApiError, createApi, safeLocalPath, type HttpFetch } from './api';

type Handler = (method: string, path: string, headers: Record<string, string>, body: string | undefined) => [number, unknown];

function server(handler: Handler) {
  const seen: { method: string; path: string; headers: Record<string, string>; body: string | undefined }[] = [];
  const fetchFn: HttpFetch = (url, init) => {
    seen.push({ method: init.method, path: url, headers: init.headers, body: init.body });
    const [status, body] = handler(init.method, url, init.headers, init.body);
    return Promise.resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)) });
  };
  return { seen, fetchFn };
}

describe('createApi', () => {
  it('fetches the CSRF token once and sends it on every POST, with the language', async () => {
    const { seen, fetchFn } = server((m, p) => {
      if (p === '/api/session') return [200, { authenticated: false, csrfToken: 'tok1', lang: 'zh-TW' }];
      if (p === '/api/auth/challenge') return [200, { nonce: 'n', tbs: 't', expiresAt: 'x', hashAlgorithm: 'SHA256', signatureType: 'PKCS7' }];
      return [404, { code: 'NOT_FOUND' }];
    });
    const api = createApi(fetchFn, () => 'en');
    await api.challenge('login', 'citizen');
    await api.challenge('bind', 'agency');
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/session', 'POST /api/auth/challenge', 'POST /api/auth/challenge']);
    expect(seen[1]!.headers['X-CSRF-Token']).toBe('tok1');
    expect(seen[1]!.headers['Accept-Language']).toBe('en');
    expect(seen[1]!.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(seen[2]!.body!)).toEqual({ purpose: 'bind', route: 'agency' });
    expect(seen[0]!.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('retries once with a fresh token after CSRF_INVALID, and not twice', async () => {
    let tokens = 0;
    const { seen, fetchFn } = server((_m, p, h) => {
      if (p === '/api/session') return [200, { authenticated: false, csrfToken: `tok${++tokens}` }];
      return h['X-CSRF-Token'] === 'tok2' ? [204, undefined] : [403, { code: 'CSRF_INVALID' }];
    });
    const api = createApi(fetchFn, () => 'zh-TW');
    await api.logout();
    expect(seen.map((s) => s.path)).toEqual(['/api/session', '/api/auth/logout', '/api/session', '/api/auth/logout']);

    const always = server((_m, p) => (p === '/api/session' ? [200, { csrfToken: 'x', authenticated: false }] : [403, { code: 'CSRF_INVALID' }]));
    await expect(createApi(always.fetchFn, () => 'en').logout()).rejects.toMatchObject({ code: 'CSRF_INVALID' });
    expect(always.seen.filter((s) => s.path === '/api/auth/logout')).toHaveLength(2);
  });

  it('reads error answers: code, params, server text, trace ID', async () => {
    const { fetchFn } = server((_m, p) =>
      p === '/api/session'
        ? [200, { authenticated: false, csrfToken: 't' }]
        : [404, { code: 'ACCOUNT_NOT_BOUND', message: '帳號資訊不存在', action: '請更新憑證', traceId: 'abc', params: { tries_left: 2, bad: { x: 1 } } }],
    );
    const e = await createApi(fetchFn, () => 'zh-TW')
      .certificateLogin('citizen', { signature: 's', certb64: 'c', cardSN: 'n' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code: 'ACCOUNT_NOT_BOUND', status: 404, traceId: 'abc', params: { tries_left: '2' }, serverText: { message: '帳號資訊不存在', action: '請更新憑證' } });
  });

  it('turns odd answers and network failures into catalogue codes', async () => {
    const html = server(() => [502, '<html>Bad Gateway</html>']);
    await expect(createApi(html.fetchFn, () => 'en').dashboard()).rejects.toMatchObject({ code: 'INTERNAL_ERROR', status: 502 });
    const unauth = server(() => [401, '']);
    await expect(createApi(unauth.fetchFn, () => 'en').dashboard()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    const lowercase = server(() => [400, { code: '<img src=x>' }]);
    await expect(createApi(lowercase.fetchFn, () => 'en').dashboard()).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    const wrongShape = server(() => [200, { person: 'x' }]);
    await expect(createApi(wrongShape.fetchFn, () => 'en').dashboard()).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    const down: HttpFetch = () => Promise.reject(new TypeError('Failed to fetch'));
    await expect(createApi(down, () => 'en').session()).rejects.toMatchObject({ code: 'PORTAL_UNREACHABLE' });
  });

  it('forgets the token at login, since the portal rotates it', async () => {
    let n = 0;
    const { seen, fetchFn } = server((_m, p) => {
      if (p === '/api/session') return [200, { authenticated: false, csrfToken: `t${++n}` }];
      if (p === '/api/auth/certificate') return [200, { person: { name: 'x' }, redirect: '/dashboard.html' }];
      return [204, undefined];
    });
    const api = createApi(fetchFn, () => 'en');
    await api.certificateLogin('citizen', { signature: 's', certb64: 'c', cardSN: 'n' });
    await api.logout();
    expect(seen.map((s) => s.path)).toEqual(['/api/session', '/api/auth/certificate', '/api/session', '/api/auth/logout']);
    expect(seen[3]!.headers['X-CSRF-Token']).toBe('t2');
  });
});

describe('safeLocalPath', () => {
  it('accepts only same-origin absolute paths', () => {
    expect(safeLocalPath('/dashboard.html', '/')).toBe('/dashboard.html');
    expect(safeLocalPath('/help/faq.html#x', '/')).toBe('/help/faq.html#x');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', 'dashboard.html', '', 7, null, '/a b']) {
      expect(safeLocalPath(bad, '/fallback')).toBe('/fallback');
    }
  });
});
