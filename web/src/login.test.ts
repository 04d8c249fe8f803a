import { describe, expect, it, vi } from 'vitest';
import { ApiError, type BindSubject, type Challenge, type PortalApi, type Route, type SignedProof } from './api';
import { ComponentError, type SignResult, type TbsPackage } from './component';
import { BIND_ROUTES, LoginFlow, componentSigner, fieldOf, packageFor, type FlowState, type Mode, type SignSession, type Signer } from './login';
import { allStringKeys } from './strings';

const CHALLENGE: Challenge = {
  nonce: 'bm9uY2U',
  tbs: 'ecpa-v1 https://portal login bm9uY2U',
  expiresAt: '2026-11-29T03:04:05Z',
  hashAlgorithm: 'SHA256',
  signatureType: 'PKCS7',
};
const SIGNED: SignResult = { signature: 'U0lH', certb64: 'Q0VSVA==', cardSN: 'TP03200302000536', serverVersion: '1.3.4.103330' };
const PERSON = { name: '王小明', agency: '行政院人事行政總處', title: '科員', maskedId: 'A12****789', method: 'citizen' };

interface Log {
  calls: string[];
  packages: TbsPackage[];
  cancelled: number;
}

function fakeSigner(log: Log, mode: Mode = 'popup', opts: { beginThrows?: string; signThrows?: string } = {}): Signer {
  return {
    mode: () => mode,
    begin(): SignSession {
      log.calls.push('begin');
      if (opts.beginThrows) throw new ComponentError(opts.beginThrows);
      return {
        sign: (pkg) => {
          log.calls.push('sign');
          log.packages.push(pkg);
          return opts.signThrows ? Promise.reject(new ComponentError(opts.signThrows, { tries_left: '2' })) : Promise.resolve(SIGNED);
        },
        cancel: () => {
          log.cancelled++;
        },
      };
    },
  };
}

function fakeApi(log: Log, answers: { login?: () => unknown; bind?: () => unknown; challenge?: () => unknown } = {}): PortalApi {
  const run = <T>(f: (() => unknown) | undefined, fallback: T): Promise<T> => {
    try {
      return Promise.resolve((f ? f() : fallback) as T);
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return {
    session: () => Promise.resolve({ authenticated: false, csrfToken: 't' }),
    extendSession: () => Promise.reject(new Error('not on the login page')),
    sessionStatus: () => Promise.resolve({ authenticated: false }),
    challenge: (purpose: 'login' | 'bind', route: Route) => {
      log.calls.push(`challenge:${purpose}:${route}`);
      return run(answers.challenge, CHALLENGE);
    },
    certificateLogin: (route: Route, proof: SignedProof) => {
      log.calls.push(`certificate:${route}:${proof.signature}:${proof.cardSN}`);
      return run(answers.login, { person: PERSON, redirect: '/dashboard.html' });
    },
    bind: (route: Route, subject: BindSubject, proof: SignedProof) => {
      log.calls.push(`bind:${route}:${JSON.stringify(subject)}:${proof.signature}`);
      return run(answers.bind, { bound: true, message: '憑證更新成功' });
    },
    passwordLogin: () => Promise.reject(new Error('not the certificate tab')),
    passwordChange: () => Promise.reject(new Error('not the certificate tab')),
    passwordPolicy: () => Promise.reject(new Error('not the certificate tab')),
    forgotPassword: () => Promise.reject(new Error('not the login page')),
    resetPassword: () => Promise.reject(new Error('not the login page')),
    logout: () => Promise.resolve(),
    dashboard: () => Promise.reject(new Error('unused')),
  };
}

function setup(mode: Mode = 'popup', api: Parameters<typeof fakeApi>[1] = {}, signer: Parameters<typeof fakeSigner>[2] = {}, route: () => Route = () => 'citizen') {
  const log: Log = { calls: [], packages: [], cancelled: 0 };
  const flow = new LoginFlow({ api: fakeApi(log, api), signer: fakeSigner(log, mode, signer), route });
  const states: FlowState[] = [];
  flow.subscribe((s) => states.push(s));
  return { log, flow, states };
}

const notBound = () => {
  throw new ApiError('ACCOUNT_NOT_BOUND', 404);
};

describe('LoginFlow: login', () => {
  it('opens the component before any await, then challenge → sign → certificate → dashboard', async () => {
    const { log, flow, states } = setup();
    const done = flow.login('123456');
    // Synchronously, inside the click: the pop-up is opened first and the page shows it is busy.
    expect(log.calls[0]).toBe('begin');
    expect(log.calls).not.toContain('sign');
    expect(flow.state.kind).toBe('busy');
    await done;
    expect(log.calls).toEqual(['begin', 'challenge:login:citizen', 'sign', 'certificate:citizen:U0lH:TP03200302000536']);
    expect(log.packages[0]).toEqual({
      func: 'MakeSignature',
      signatureType: 'PKCS7',
      tbs: CHALLENGE.tbs,
      tbsEncoding: 'NONE',
      hashAlgorithm: 'SHA256',
      withCardSN: 'true',
      nonce: CHALLENGE.nonce,
      pin: '123456',
    });
    expect(states.map((s) => s.kind)).toEqual(['busy', 'loggedIn']);
    expect(flow.state).toEqual({ kind: 'loggedIn', redirect: '/dashboard.html' });
  });

  it('never passes the PIN in direct mode and needs none', async () => {
    const { log, flow } = setup('direct');
    await flow.login('');
    expect(log.packages[0]!.pin).toBeUndefined();
    expect(flow.state.kind).toBe('loggedIn');
  });

  it('asks for the PIN before touching the component in pop-up mode', async () => {
    const { log, flow } = setup();
    await flow.login('');
    expect(log.calls).toEqual([]);
    expect(flow.state).toMatchObject({ kind: 'idle', field: 'pin', error: { code: 'PIN_EMPTY' } });
  });

  it('shows a blocked pop-up without calling the portal', async () => {
    const { log, flow } = setup('popup', {}, { beginThrows: 'POPUP_BLOCKED' });
    await flow.login('123456');
    expect(log.calls).toEqual(['begin']);
    expect(flow.state).toMatchObject({ kind: 'idle', field: 'form', error: { code: 'POPUP_BLOCKED' } });
  });

  it('shows a component error next to the PIN and closes the pop-up', async () => {
    const { log, flow } = setup('popup', {}, { signThrows: 'CARD_PIN_TRIES_LEFT' });
    await flow.login('000000');
    expect(flow.state).toMatchObject({ kind: 'idle', field: 'pin', error: { code: 'CARD_PIN_TRIES_LEFT', params: { tries_left: '2' } } });
    expect(log.cancelled).toBe(1);
    expect(log.calls).not.toContain(expect.stringMatching(/^certificate/));
  });

  it('closes the pop-up when the portal refuses the challenge', async () => {
    const { log, flow } = setup('popup', {
      challenge: () => {
        throw new ApiError('RATE_LIMITED', 429, { retry_after: '30' }, { message: 'm', action: 'a' }, 'trace-1');
      },
    });
    await flow.login('123456');
    expect(log.cancelled).toBe(1);
    expect(flow.state).toMatchObject({ kind: 'idle', error: { code: 'RATE_LIMITED', params: { retry_after: '30' }, traceId: 'trace-1' } });
  });

  it('ignores a second click while busy', async () => {
    const { log, flow } = setup();
    const first = flow.login('123456');
    await flow.login('123456');
    await first;
    expect(log.calls.filter((c) => c === 'begin')).toHaveLength(1);
  });

  it('only follows same-origin redirects', async () => {
    const { flow } = setup('popup', { login: () => ({ person: PERSON, redirect: 'https://evil.example/' }) });
    await flow.login('123456');
    expect(flow.state).toEqual({ kind: 'loggedIn', redirect: '/dashboard.html' });
    const other = setup('popup', { login: () => ({ person: PERSON, redirect: '//evil.example/x' }) });
    await other.flow.login('123456');
    expect(other.flow.state).toEqual({ kind: 'loggedIn', redirect: '/dashboard.html' });
  });

  it('turns unknown failures into a generic error', async () => {
    const { flow } = setup('popup', {
      login: () => {
        throw new TypeError('boom');
      },
    });
    await flow.login('123456');
    expect(flow.state).toMatchObject({ kind: 'idle', error: { code: 'INTERNAL_ERROR' } });
  });
});

describe('LoginFlow: first-time binding (the seed steps 3–5)', () => {
  it('ACCOUNT_NOT_BOUND → 取消 goes back to the login tab', async () => {
    const { flow } = setup('popup', { login: notBound });
    await flow.login('123456');
    expect(flow.state).toEqual({ kind: 'notBound', route: 'citizen' });
    flow.cancelNotBound();
    expect(flow.state).toEqual({ kind: 'idle' });
  });

  it('我要更新憑證 → ID + PIN → bind challenge → sign → bind → success → back to login', async () => {
    const { log, flow, states } = setup('popup', { login: notBound });
    await flow.login('123456');
    flow.openBind();
    expect(flow.state).toEqual({ kind: 'bindForm', route: 'citizen' });
    log.calls.length = 0;
    log.packages.length = 0;
    const done = flow.bind(' a123456789 ', '654321');
    expect(log.calls[0]).toBe('begin');
    expect(flow.state.kind).toBe('bindBusy');
    await done;
    expect(log.calls).toEqual(['begin', 'challenge:bind:citizen', 'sign', 'bind:citizen:{"nationalId":"A123456789"}:U0lH']);
    expect(log.packages[0]!.pin).toBe('654321');
    expect(flow.state).toEqual({ kind: 'bound', route: 'citizen', message: '憑證更新成功' });
    flow.closeBound();
    expect(flow.state).toEqual({ kind: 'idle' });
    expect(states.map((s) => s.kind)).toEqual(['busy', 'notBound', 'bindForm', 'bindBusy', 'bound', 'idle']);
  });

  it('checks the ID number on the page before the card is asked', async () => {
    const { log, flow } = setup('popup', { login: notBound });
    await flow.login('123456');
    flow.openBind();
    log.calls.length = 0;
    for (const [input, code] of [
      ['', 'NATIONAL_ID_EMPTY'],
      ['A12345', 'NATIONAL_ID_FORMAT'],
      ['A323456789', 'NATIONAL_ID_LETTER'],
      ['A123456788', 'NATIONAL_ID_CHECKSUM'],
    ] as const) {
      await flow.bind(input, '123456');
      expect(flow.state).toMatchObject({ kind: 'bindForm', field: 'nationalId', error: { code } });
    }
    await flow.bind('A123456789', '');
    expect(flow.state).toMatchObject({ kind: 'bindForm', field: 'pin', error: { code: 'PIN_EMPTY' } });
    expect(log.calls).toEqual([]);
  });

  it('keeps the dialog open with the server error next to the right field', async () => {
    const { log, flow } = setup('popup', {
      login: notBound,
      bind: () => {
        throw new ApiError('ID_LAST4_MISMATCH', 400);
      },
    });
    await flow.login('123456');
    flow.openBind();
    await flow.bind('A123456789', '123456');
    expect(flow.state).toMatchObject({ kind: 'bindForm', field: 'nationalId', error: { code: 'ID_LAST4_MISMATCH' } });
    expect(log.cancelled).toBeGreaterThan(0);
  });

  it('binds in direct mode without a PIN', async () => {
    const { log, flow } = setup('direct', { login: notBound });
    await flow.login('');
    flow.openBind();
    await flow.bind('A123456789', '');
    expect(flow.state.kind).toBe('bound');
    expect(log.packages.every((p) => p.pin === undefined)).toBe(true);
  });

  it('ignores actions that do not fit the state', async () => {
    const { log, flow } = setup();
    flow.openBind();
    flow.closeBound();
    flow.cancelNotBound();
    await flow.bind('A123456789', '123456');
    expect(flow.state).toEqual({ kind: 'idle' });
    expect(log.calls).toEqual([]);
  });
});

describe('LoginFlow: first-time binding of an agency card (機關憑證)', () => {
  const agency = (api: Parameters<typeof fakeApi>[1] = {}, mode: Mode = 'popup') => {
    let route: Route = 'agency';
    const s = setup(mode, { login: notBound, ...api }, {}, () => route);
    return { ...s, pick: (r: Route) => (route = r) };
  };

  it('我要更新憑證 on the agency route asks the 機關代碼, folded, and binds with {agencyCode}', async () => {
    const { log, flow, pick } = agency();
    await flow.login('123456');
    expect(flow.state).toEqual({ kind: 'notBound', route: 'agency' });
    // The dialog stays the agency one even if the radio moved meanwhile: the route is the failed login's.
    pick('citizen');
    flow.openBind();
    expect(flow.state).toEqual({ kind: 'bindForm', route: 'agency' });
    log.calls.length = 0;
    await flow.bind(' ａ58000000a ', '654321');
    expect(log.calls).toEqual(['begin', 'challenge:bind:agency', 'sign', 'bind:agency:{"agencyCode":"A58000000A"}:U0lH']);
    expect(flow.state).toEqual({ kind: 'bound', route: 'agency', message: '憑證更新成功' });
    flow.closeBound();
    expect(flow.state).toEqual({ kind: 'idle' });
  });

  it('refuses a malformed 機關代碼 (or an ID number typed there) before the card is asked', async () => {
    const { log, flow } = agency();
    await flow.login('123456');
    flow.openBind();
    log.calls.length = 0;
    for (const typed of ['', '   ', 'A58-000', '機關', 'A5800000 0A', 'A'.repeat(33)]) {
      await flow.bind(typed, '123456');
      expect(flow.state).toMatchObject({ kind: 'bindForm', route: 'agency', field: 'agencyCode', error: { code: 'AGENCY_CODE_INVALID' } });
    }
    await flow.bind('A58000000A', '');
    expect(flow.state).toMatchObject({ kind: 'bindForm', route: 'agency', field: 'pin', error: { code: 'PIN_EMPTY' } });
    expect(log.calls).toEqual([]);
  });

  it('shows each agency refusal in the dialog, next to the code where retyping it helps', async () => {
    const cases = [
      ['AGENCY_CODE_INVALID', 400, 'agencyCode'],
      ['AGENCY_UNKNOWN', 404, 'agencyCode'],
      ['AGENCY_OID_MISMATCH', 403, 'agencyCode'],
      ['AGENCY_NO_OFFICER', 409, 'form'],
      ['AGENCY_OID_MISSING', 401, 'form'],
      ['CERT_WRONG_ROUTE', 401, 'form'],
    ] as const;
    for (const [code, status, field] of cases) {
      const { log, flow } = agency({
        bind: () => {
          throw new ApiError(code, status, {}, null, 'trace-9');
        },
      });
      await flow.login('123456');
      flow.openBind();
      await flow.bind('A58000000A', '123456');
      expect(flow.state).toEqual({ kind: 'bindForm', route: 'agency', field, error: { code, params: {}, serverText: null, traceId: 'trace-9' } });
      expect(log.cancelled).toBeGreaterThan(0);
    }
  });

  it('binds in direct mode without a PIN on the agency route too', async () => {
    const { log, flow } = agency({}, 'direct');
    await flow.login('');
    flow.openBind();
    await flow.bind('a58000000a', '');
    expect(flow.state).toMatchObject({ kind: 'bound', route: 'agency' });
    expect(log.calls).toContain('bind:agency:{"agencyCode":"A58000000A"}:U0lH');
    expect(log.packages.every((p) => p.pin === undefined)).toBe(true);
  });

  it('draws each route with its own words, all of them real strings', () => {
    expect(BIND_ROUTES.citizen.field).toBe('nationalId');
    expect(BIND_ROUTES.agency.field).toBe('agencyCode');
    expect(BIND_ROUTES.agency.subject('A58000000A')).toEqual({ agencyCode: 'A58000000A' });
    expect(BIND_ROUTES.citizen.subject('A123456789')).toEqual({ nationalId: 'A123456789' });
    const keys = new Set<string>(allStringKeys());
    for (const r of Object.values(BIND_ROUTES)) for (const k of Object.values(r.keys)) expect(keys.has(k)).toBe(true);
    expect(BIND_ROUTES.agency.keys.title).not.toBe(BIND_ROUTES.citizen.keys.title);
  });
});

describe('helpers', () => {
  it('builds the package from the challenge, refusing unknown algorithms', () => {
    expect(packageFor({ ...CHALLENGE, hashAlgorithm: 'MD5', signatureType: 'RAW' }, null)).toMatchObject({
      hashAlgorithm: 'SHA256',
      signatureType: 'PKCS7',
    });
    expect(packageFor({ ...CHALLENGE, hashAlgorithm: 'SHA512', signatureType: 'PKCS1' }, 'x')).toMatchObject({
      hashAlgorithm: 'SHA512',
      signatureType: 'PKCS1',
      pin: 'x',
    });
  });

  it('places errors by field', () => {
    expect(fieldOf('NATIONAL_ID_CHECKSUM')).toBe('nationalId');
    expect(fieldOf('CARD_PIN_LOCKED')).toBe('pin');
    expect(fieldOf('CERT_REVOKED')).toBe('form');
    expect(fieldOf('AGENCY_UNKNOWN')).toBe('agencyCode');
    expect(fieldOf('AGENCY_NO_OFFICER')).toBe('form');
  });

  /** The real componentSigner in direct mode over a fake browser: what it opens and what it posts. */
  function directEnv(opts: { blocked?: boolean; answer?: string } = {}) {
    const pad = { closed: false, close: vi.fn(() => (pad.closed = true)), postMessage: vi.fn() };
    const seen = { opened: [] as string[], bodies: [] as string[], order: [] as string[] };
    const env = {
      fetch: (url: string, init: { body?: string }) => {
        seen.order.push(`fetch:${url}`);
        seen.bodies.push(init.body ?? '');
        return Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(opts.answer ?? JSON.stringify({ func: 'sign', ret_code: 0, signature: 'U0lH', certb64: 'Q0VSVA==', cardSN: 'TP03200302000536', serverVersion: '1.0.0' })) });
      },
      open: (url: string) => {
        seen.order.push('open');
        seen.opened.push(url);
        return opts.blocked ? null : pad;
      },
      listen: () => () => undefined,
      timers: { setTimeout: () => 0, clearTimeout: () => undefined, setInterval: () => 0, clearInterval: () => undefined },
      random: (b: Uint8Array) => crypto.getRandomValues(b),
    };
    const log: Log = { calls: [], packages: [], cancelled: 0 };
    const flow = new LoginFlow({ api: fakeApi(log), signer: componentSigner(env as never, () => 'direct', { minimumVersion: '' }), route: () => 'citizen' });
    return { pad, seen, flow, log };
  }

  it('direct mode: opens the agent PIN window inside the click, then posts /sign naming it, with no PIN', async () => {
    const { seen, flow } = directEnv();
    const done = flow.login('');
    // Before any await: the window is open, nothing fetched yet.
    expect(seen.order).toEqual(['open']);
    expect(seen.opened[0]).toMatch(/^http:\/\/localhost:61161\/pinpad\?req=[0-9a-f]{32}&lang=zh-TW$/);
    await done;
    expect(flow.state).toEqual({ kind: 'loggedIn', redirect: '/dashboard.html' });
    expect(seen.order).toEqual(['open', 'fetch:http://localhost:61161/sign']);
    const sent = JSON.parse(new URLSearchParams(seen.bodies[0]).get('tbsPackage')!) as Record<string, string>;
    expect(sent['pinRequest']).toBe(new URL(seen.opened[0]!).searchParams.get('req'));
    expect('pin' in sent).toBe(false);
  });

  it('direct mode: a PIN left in the hidden field never leaves the page', async () => {
    const { seen, flow } = directEnv();
    await flow.login('987654');
    expect(seen.bodies[0]).not.toContain('987654');
  });

  it('direct mode: a blocked PIN window is POPUP_BLOCKED, nothing is sent', async () => {
    const { seen, flow, log } = directEnv({ blocked: true });
    await flow.login('');
    expect(flow.state).toMatchObject({ kind: 'idle', field: 'form', error: { code: 'POPUP_BLOCKED' } });
    expect(seen.bodies).toEqual([]);
    expect(log.calls).toEqual([]);
  });

  it('direct mode: 取消 in the agent window is COMPONENT_CANCELLED', async () => {
    const { flow, pad } = directEnv({ answer: JSON.stringify({ func: 'sign', ret_code: 0x76000999, last_error: 0 }) });
    await flow.login('');
    expect(flow.state).toMatchObject({ kind: 'idle', error: { code: 'COMPONENT_CANCELLED' } });
    expect(pad.close).toHaveBeenCalled();
  });

  it('direct mode: the PIN window is closed when the portal refuses the challenge', async () => {
    const { pad, seen } = directEnv();
    const log: Log = { calls: [], packages: [], cancelled: 0 };
    const env = {
      fetch: () => Promise.reject(new Error('unused')),
      open: () => pad,
      listen: () => () => undefined,
      timers: { setTimeout: () => 0, clearTimeout: () => undefined, setInterval: () => 0, clearInterval: () => undefined },
      random: (b: Uint8Array) => crypto.getRandomValues(b),
    };
    const flow = new LoginFlow({
      api: fakeApi(log, {
        challenge: () => {
          throw new ApiError('RATE_LIMITED', 429);
        },
      }),
      signer: componentSigner(env as never, () => 'direct'),
      route: () => 'citizen',
    });
    await flow.login('');
    expect(flow.state).toMatchObject({ kind: 'idle', error: { code: 'RATE_LIMITED' } });
    expect(pad.close).toHaveBeenCalled();
    expect(seen.bodies).toEqual([]);
  });

  it('componentSigner refuses an official component older than the minimum', async () => {
    const popup = { closed: false, close: vi.fn(), postMessage: vi.fn() };
    let handler: ((e: { data: unknown; origin: string; source: unknown }) => void) | null = null;
    const env = {
      fetch: () => Promise.reject(new Error('no')),
      open: () => popup,
      listen: (h: typeof handler) => {
        handler = h;
        return () => undefined;
      },
      timers: { setTimeout: () => 0, clearTimeout: () => undefined, setInterval: () => 0, clearInterval: () => undefined },
    };
    const signer = componentSigner(env as never, () => 'popup', { minimumVersion: '1.3.4.3' });
    const session = signer.begin();
    const p = session.sign(packageFor(CHALLENGE, '123456'));
    handler!({ data: '{"func":"getTbs"}', origin: 'http://localhost:61161', source: popup });
    handler!({ data: JSON.stringify({ func: 'sign', ret_code: 0, signature: 'QUJD', serverVersion: '1.3.4.2' }), origin: 'http://localhost:61161', source: popup });
    await expect(p).rejects.toMatchObject({ code: 'COMPONENT_TOO_OLD', params: { version: '1.3.4.2' } });
  });
});
