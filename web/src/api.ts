// The portal's JSON API (docs/login-api.md) as the pages use it. Fetch is injected for the tests; the
// CSRF token from GET /api/session rides on every state-changing request.

import type { Lang } from './i18n';
import type { PasswordPolicy } from './password_policy';

export type Route = 'citizen' | 'agency';

export interface Person {
  name: string;
  agency: string;
  /** The agency's English name from HR, '' when HR gave none. */
  agencyEn?: string;
  title: string;
  maskedId: string;
  method: string;
}

export interface SessionInfo {
  authenticated: boolean;
  csrfToken: string;
  person?: Person;
  lang?: string;
  /** Logged in: seconds until the session ends if nothing more happens (idle or absolute timeout). */
  expiresInSeconds?: number;
}

export interface Challenge {
  nonce: string;
  tbs: string;
  expiresAt: string;
  hashAlgorithm: string;
  signatureType: string;
}

export interface SignedProof {
  signature: string;
  certb64: string;
  cardSN: string;
}

/** Who the card is bound to: a person by ID number (citizen card), an agency by its code (agency card). */
export type BindSubject = { nationalId: string } | { agencyCode: string };

/** A login answer (certificate, password, or a changed password): the person and where to go next. */
export interface LoginDone {
  person: Person;
  redirect: string;
}

export interface DashboardTodo {
  title: string;
  due?: string;
}
export interface DashboardDay {
  date: string;
  rocDate: string;
  weekday?: string;
  label: string;
  todos: DashboardTodo[];
}
export interface MenuEntry {
  key: string;
  label: string;
  href: string;
  /** false: the service is not built yet (the page says so when it is chosen). */
  available?: boolean;
}
export interface Dashboard {
  person: Person;
  today: string;
  days: DashboardDay[];
  menu: MenuEntry[];
}

/** An error answer from the portal (or the network), carrying the catalogue code. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly params: Record<string, string> = {},
    readonly serverText: { message: string; action: string } | null = null,
    readonly traceId = '',
  ) {
    super(code);
    this.name = 'ApiError';
  }
}

export interface PortalApi {
  session(): Promise<SessionInfo>;
  challenge(purpose: 'login' | 'bind', route: Route): Promise<Challenge>;
  certificateLogin(route: Route, proof: SignedProof): Promise<LoginDone>;
  bind(route: Route, subject: BindSubject, proof: SignedProof): Promise<{ bound: boolean; message: string }>;
  /** 帳號密碼登入 (issue 12): 403 PASSWORD_CHANGE_REQUIRED asks for passwordChange first. */
  passwordLogin(account: string, password: string): Promise<LoginDone>;
  /** The forced change (initial or expired password); logs the person in with the new one. */
  passwordChange(account: string, currentPassword: string, newPassword: string): Promise<LoginDone>;
  passwordPolicy(): Promise<PasswordPolicy>;
  /** 忘記密碼: the same answer whether or not the three match a record (no account enumeration). */
  forgotPassword(account: string, nationalId: string, email: string): Promise<{ sent: boolean; message: string }>;
  /** The e-mailed link's token and the new password; every session of the account ends. */
  resetPassword(token: string, newPassword: string): Promise<{ reset: boolean; message: string }>;
  logout(): Promise<void>;
  dashboard(): Promise<Dashboard>;
  /** 延長登入: moves the idle timeout forward; the seconds left then. */
  extendSession(): Promise<number>;
  /** Whether the session is still on, without moving its idle timeout or creating one. */
  sessionStatus(): Promise<SessionStatus>;
}

export interface SessionStatus {
  authenticated: boolean;
  expiresInSeconds?: number;
  /** Not authenticated because the session timed out (its cookie is still there), not because of a logout. */
  ended?: boolean;
}

export interface HttpResponseLike {
  ok: boolean;
  status: number;
  text(): Promise<string>;
}
export type HttpFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; credentials: 'same-origin'; cache: 'no-store' },
) => Promise<HttpResponseLike>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringParams(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number') out[k] = String(x);
  return out;
}

function errorFrom(status: number, body: unknown): ApiError {
  if (isRecord(body) && typeof body['code'] === 'string' && /^[A-Z][A-Z0-9_]*$/.test(body['code'])) {
    const text =
      typeof body['message'] === 'string' ? { message: body['message'], action: typeof body['action'] === 'string' ? body['action'] : '' } : null;
    return new ApiError(body['code'], status, stringParams(body['params']), text, typeof body['traceId'] === 'string' ? body['traceId'] : '');
  }
  return new ApiError(status === 401 ? 'SESSION_EXPIRED' : 'INTERNAL_ERROR', status);
}

export function createApi(fetchFn: HttpFetch, lang: () => Lang, base = ''): PortalApi {
  let csrf: string | null = null;

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': lang() };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (csrf === null) csrf = (await session()).csrfToken;
      headers['X-CSRF-Token'] = csrf;
    }
    let r: HttpResponseLike;
    let text: string;
    try {
      r = await fetchFn(base + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        credentials: 'same-origin',
        cache: 'no-store',
      });
      text = await r.text();
    } catch {
      throw new ApiError('PORTAL_UNREACHABLE', 0);
    }
    let parsed: unknown = null;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (!r.ok) throw errorFrom(r.status, parsed);
    return parsed;
  }

  /** A stale token (another tab logged in or out) gets one fresh try, never more. */
  async function mutate(path: string, body?: unknown): Promise<unknown> {
    try {
      return await call('POST', path, body);
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'CSRF_INVALID' || e.code === 'CSRF_MISSING')) {
        csrf = null;
        return call('POST', path, body);
      }
      throw e;
    }
  }

  function need<T>(v: unknown, check: (r: Record<string, unknown>) => boolean): T {
    if (!isRecord(v) || !check(v)) throw new ApiError('INTERNAL_ERROR', 200);
    return v as T;
  }

  /** Every login answer names the person; the session (and so its CSRF token) is a new one. */
  function loggedIn(v: unknown): LoginDone {
    const r = need<LoginDone>(v, (x) => isRecord(x['person']));
    csrf = null;
    return r;
  }

  async function session(): Promise<SessionInfo> {
    const s = need<SessionInfo>(await call('GET', '/api/session'), (r) => typeof r['csrfToken'] === 'string');
    csrf = s.csrfToken;
    return s;
  }

  return {
    session,
    async challenge(purpose, route) {
      return need<Challenge>(await mutate('/api/auth/challenge', { purpose, route }), (r) => typeof r['nonce'] === 'string' && typeof r['tbs'] === 'string');
    },
    async certificateLogin(route, proof) {
      return loggedIn(await mutate('/api/auth/certificate', { route, ...proof }));
    },
    async bind(route, subject, proof) {
      return need<{ bound: boolean; message: string }>(await mutate('/api/auth/bind', { route, ...subject, ...proof }), (r) => r['bound'] === true);
    },
    async passwordLogin(account, password) {
      return loggedIn(await mutate('/api/auth/password/login', { account, password }));
    },
    async passwordChange(account, currentPassword, newPassword) {
      return loggedIn(await mutate('/api/auth/password/change', { account, currentPassword, newPassword }));
    },
    async passwordPolicy() {
      return need<PasswordPolicy>(await call('GET', '/api/auth/password/policy'), (r) => typeof r['minLength'] === 'number');
    },
    async forgotPassword(account, nationalId, email) {
      return need<{ sent: boolean; message: string }>(await mutate('/api/auth/password/forgot', { account, nationalId, email }), (r) => r['sent'] === true);
    },
    async resetPassword(token, newPassword) {
      return need<{ reset: boolean; message: string }>(await mutate('/api/auth/password/reset', { token, newPassword }), (r) => r['reset'] === true);
    },
    async logout() {
      await mutate('/api/auth/logout');
      csrf = null;
    },
    async dashboard() {
      return need<Dashboard>(await call('GET', '/api/dashboard'), (r) => isRecord(r['person']) && Array.isArray(r['days']));
    },
    async sessionStatus() {
      return need<SessionStatus>(await call('GET', '/api/session/status'), (r) => typeof r['authenticated'] === 'boolean');
    },
    async extendSession() {
      const r = need<{ expiresInSeconds: number }>(await mutate('/api/session/extend'), (x) => typeof x['expiresInSeconds'] === 'number');
      return r.expiresInSeconds;
    },
  };
}

/** Only same-origin paths may become navigation targets: a redirect from JSON must not lead off the portal. */
export function safeLocalPath(href: unknown, fallback: string): string {
  if (typeof href !== 'string') return fallback;
  return /^\/(?![/\\])[A-Za-z0-9._~\-/?=&%#]*$/.test(href) ? href : fallback;
}
