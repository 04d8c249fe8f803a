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

describe('createApi: password login, change, policy, forgot, reset; agency binding (issue 12)', () => {
  const PERSON = { name: '王小明', agency: 'x', title: 't', maskedId: 'A12****789', method: 'password' };

  it('posts each to its endpoint with the contract body, CSRF token and language', async () => {
    let n = 0;
    const { seen, fetchFn } = server((m, p) => {
      if (p === '/api/session') return [200, { authenticated: false, csrfToken: `t${++n}` }];
      if (p === '/api/auth/password/login' || p === '/api/auth/password/change') return [200, { person: PERSON, redirect: '/dashboard.html', csrfToken: 'new' }];
      if (p === '/api/auth/password/forgot') return [200, { sent: true, message: '若資料正確…' }];
      if (p === '/api/auth/password/reset') return [200, { reset: true, message: '密碼已重設' }];
      if (p === '/api/auth/password/policy' && m === 'GET') return [200, { minLength: 12, maxLength: 64, minClasses: 3, history: 3, maxAgeDays: 90, minAgeDays: 1 }];
      if (p === '/api/auth/bind') return [200, { bound: true, message: '憑證更新成功' }];
      return [404, { code: 'NOT_FOUND' }];
    });
    const api = createApi(fetchFn, () => 'en');
    expect(await api.passwordLogin('wang.xm', 'pw 1')).toEqual({ person: PERSON, redirect: '/dashboard.html', csrfToken: 'new' });
    await api.passwordChange('wang.xm', 'pw 1', 'Spring-2026');
    expect(await api.passwordPolicy()).toMatchObject({ minLength: 12, minClasses: 3 });
    expect(await api.forgotPassword('wang.xm', 'A123456789', 'wang@dgpa.gov.tw')).toEqual({ sent: true, message: '若資料正確…' });
    expect(await api.resetPassword('tok', 'Spring-2026')).toEqual({ reset: true, message: '密碼已重設' });
    await api.bind('agency', { agencyCode: 'A58000000A' }, { signature: 's', certb64: 'c', cardSN: 'n' });
    const posts = seen.filter((x) => x.method === 'POST');
    expect(posts.map((x) => [x.path, JSON.parse(x.body!)])).toEqual([
      ['/api/auth/password/login', { account: 'wang.xm', password: 'pw 1' }],
      ['/api/auth/password/change', { account: 'wang.xm', currentPassword: 'pw 1', newPassword: 'Spring-2026' }],
      ['/api/auth/password/forgot', { account: 'wang.xm', nationalId: 'A123456789', email: 'wang@dgpa.gov.tw' }],
      ['/api/auth/password/reset', { token: 'tok', newPassword: 'Spring-2026' }],
      ['/api/auth/bind', { route: 'agency', agencyCode: 'A58000000A', signature: 's', certb64: 'c', cardSN: 'n' }],
    ]);
    for (const x of posts) {
      expect(x.headers['Content-Type']).toBe('application/json');
      expect(x.headers['Accept-Language']).toBe('en');
      expect(x.headers['X-CSRF-Token']).toMatch(/^t\d$/);
    }
    // Each login (password, changed password) starts a new session, so the next POST asks for a new token.
    expect(seen.map((x) => `${x.method} ${x.path}`)).toEqual([
      'GET /api/session',
      'POST /api/auth/password/login',
      'GET /api/session',
      'POST /api/auth/password/change',
      'GET /api/auth/password/policy',
      'GET /api/session',
      'POST /api/auth/password/forgot',
      'POST /api/auth/password/reset',
      'POST /api/auth/bind',
    ]);
    expect(seen.find((x) => x.path === '/api/auth/password/policy')!.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('carries the refusals with their params: locked, rate limited, change required, policy, broken link', async () => {
    const answers: Record<string, [number, unknown]> = {
      '/api/auth/password/login': [423, { code: 'ACCOUNT_LOCKED', message: 'm', action: 'a', traceId: 'tr', params: { unlock_at: '2026-12-04 21:15', unlockAt: '2026-12-04T13:15:00Z' } }],
      '/api/auth/password/change': [422, { code: 'PASSWORD_REUSED', params: { history: 3 } }],
      '/api/auth/password/forgot': [429, { code: 'RATE_LIMITED', params: { retry_after: 30 } }],
      '/api/auth/password/reset': [410, { code: 'RESET_LINK_EXPIRED' }],
    };
    const { fetchFn } = server((_m, p) => (p === '/api/session' ? [200, { authenticated: false, csrfToken: 't' }] : (answers[p] ?? [403, { code: 'PASSWORD_CHANGE_REQUIRED', params: { reason: 'expired' } }])));
    const api = createApi(fetchFn, () => 'zh-TW');
    const caught = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
    expect(await caught(api.passwordLogin('A', 'b'))).toMatchObject({ code: 'ACCOUNT_LOCKED', status: 423, traceId: 'tr', params: { unlock_at: '2026-12-04 21:15', unlockAt: '2026-12-04T13:15:00Z' } });
    expect(await caught(api.passwordChange('A', 'b', 'c'))).toMatchObject({ code: 'PASSWORD_REUSED', status: 422, params: { history: '3' } });
    expect(await caught(api.forgotPassword('A', 'B', 'c@d.e'))).toMatchObject({ code: 'RATE_LIMITED', params: { retry_after: '30' } });
    expect(await caught(api.resetPassword('t', 'p'))).toMatchObject({ code: 'RESET_LINK_EXPIRED', status: 410 });
    const other = server((_m, p) => (p === '/api/session' ? [200, { authenticated: false, csrfToken: 't' }] : [403, { code: 'PASSWORD_CHANGE_REQUIRED', params: { reason: 'expired' } }]));
    expect(await caught(createApi(other.fetchFn, () => 'en').passwordLogin('A', 'b'))).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED', status: 403, params: { reason: 'expired' } });
  });

  it('refuses answers of the wrong shape', async () => {
    const { fetchFn } = server((_m, p) => (p === '/api/session' ? [200, { authenticated: false, csrfToken: 't' }] : [200, { sent: 'yes', reset: 1, minLength: '8' }]));
    const api = createApi(fetchFn, () => 'en');
    await expect(api.passwordLogin('A', 'b')).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    await expect(api.forgotPassword('A', 'B', 'c')).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    await expect(api.resetPassword('t', 'p')).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    await expect(api.passwordPolicy()).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
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
