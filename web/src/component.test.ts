import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  COMPONENT_ORIGIN,
  ComponentError,
  DEFAULT_TIMEOUTS,
  POPUP_URL,
  errorForCodes,
  formBody,
  isVersionTooOld,
  normaliseCode,
  PINPAD_URL,
  newPinRequestId,
  openPinPad,
  openPopup,
  platformOf,
  probeDirect,
  probeListening,
  readSignAnswer,
  signDirect,
  signViaPopup,
  timeoutsFrom,
  type BrowserEnv,
  type FetchLike,
  type MessageLike,
  type PopupLike,
  type TbsPackage,
} from './component';
import { knownCodes } from './i18n';

class FakePopup implements PopupLike {
  closed = false;
  posted: { message: string; origin: string }[] = [];
  close(): void {
    this.closed = true;
  }
  postMessage(message: string, targetOrigin: string): void {
    this.posted.push({ message, origin: targetOrigin });
  }
}

interface FakeEnv extends BrowserEnv {
  popup: FakePopup | null;
  opened: { url: string; target: string }[];
  listeners: Set<(e: MessageLike) => void>;
  deliver(e: MessageLike): void;
}

function fakeEnv(opts: { blocked?: boolean; fetch?: FetchLike } = {}): FakeEnv {
  const listeners = new Set<(e: MessageLike) => void>();
  const env: FakeEnv = {
    popup: null,
    opened: [],
    listeners,
    deliver: (e) => [...listeners].forEach((l) => l(e)),
    fetch: opts.fetch ?? (() => Promise.reject(new TypeError('Failed to fetch'))),
    open(url, target) {
      env.opened.push({ url, target });
      if (opts.blocked) return null;
      env.popup = new FakePopup();
      return env.popup;
    },
    listen(handler) {
      listeners.add(handler);
      return () => listeners.delete(handler);
    },
    timers: {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
    },
    random: (bytes) => crypto.getRandomValues(bytes),
  };
  return env;
}

const PKG: TbsPackage = {
  func: 'MakeSignature',
  signatureType: 'PKCS7',
  tbs: 'ecpa-login-v1\nhttps://portal.example\nlogin\nNONCE+/=',
  tbsEncoding: 'NONE',
  hashAlgorithm: 'SHA256',
  withCardSN: 'true',
  nonce: 'NONCE+/=',
  pin: '123456',
};

const SIGN_OK = JSON.stringify({
  func: 'sign',
  ret_code: 0,
  last_error: 0,
  signature: 'MIIBsig==',
  certb64: 'MIIBcert==',
  cardSN: 'TP03200302000536',
  serverVersion: '1.3.4.103330',
});

const ready = (source: unknown, origin = COMPONENT_ORIGIN): MessageLike => ({ data: '{"func":"getTbs"}', origin, source });

async function expectCode(p: Promise<unknown>, code: string): Promise<ComponentError> {
  const e = await p.then(
    () => {
      throw new Error(`expected ${code}, got success`);
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ComponentError);
  expect((e as ComponentError).code).toBe(code);
  return e as ComponentError;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('pop-up handshake', () => {
  it('opens the component page, answers getTbs with the package to the pinned origin, returns the signature', async () => {
    const env = fakeEnv();
    const channel = openPopup(env);
    expect(env.opened).toEqual([{ url: POPUP_URL, target: 'ecpa-component' }]);
    const result = signViaPopup(channel, PKG);
    const popup = env.popup!;
    expect(popup.posted).toEqual([]); // nothing before the pop-up says it is ready
    env.deliver(ready(popup));
    expect(popup.posted).toHaveLength(1);
    expect(popup.posted[0]!.origin).toBe(COMPONENT_ORIGIN);
    expect(JSON.parse(popup.posted[0]!.message)).toEqual(PKG);
    env.deliver({ data: SIGN_OK, origin: COMPONENT_ORIGIN, source: popup });
    await expect(result).resolves.toEqual({
      signature: 'MIIBsig==',
      certb64: 'MIIBcert==',
      cardSN: 'TP03200302000536',
      serverVersion: '1.3.4.103330',
    });
    expect(env.listeners.size).toBe(0);
  });

  it('sends as soon as the package arrives when the pop-up was ready first', async () => {
    const env = fakeEnv();
    const channel = openPopup(env);
    env.deliver(ready(env.popup));
    expect(env.popup!.posted).toHaveLength(0);
    const result = signViaPopup(channel, PKG);
    expect(env.popup!.posted).toHaveLength(1);
    env.deliver({ data: SIGN_OK, origin: COMPONENT_ORIGIN, source: env.popup });
    await expect(result).resolves.toMatchObject({ signature: 'MIIBsig==' });
  });

  it('ignores messages from another origin', async () => {
    const env = fakeEnv();
    const result = signViaPopup(openPopup(env), PKG);
    const popup = env.popup!;
    env.deliver(ready(popup, 'http://evil.example'));
    env.deliver(ready(popup, 'http://127.0.0.1:61161'));
    env.deliver(ready(popup, 'https://localhost:61161'));
    expect(popup.posted).toHaveLength(0);
    env.deliver(ready(popup));
    env.deliver({ data: SIGN_OK.replace('MIIBsig', 'EVILsig'), origin: 'http://evil.example', source: popup });
    env.deliver({ data: SIGN_OK, origin: COMPONENT_ORIGIN, source: popup });
    await expect(result).resolves.toMatchObject({ signature: 'MIIBsig==' });
  });

  it('ignores messages from another window, even from the right origin', async () => {
    const env = fakeEnv();
    const result = signViaPopup(openPopup(env), PKG);
    const popup = env.popup!;
    const other = new FakePopup();
    env.deliver(ready(other));
    env.deliver(ready(null));
    expect(popup.posted).toHaveLength(0);
    env.deliver(ready(popup));
    env.deliver({ data: SIGN_OK.replace('MIIBsig', 'EVILsig'), origin: COMPONENT_ORIGIN, source: other });
    env.deliver({ data: SIGN_OK, origin: COMPONENT_ORIGIN, source: popup });
    await expect(result).resolves.toMatchObject({ signature: 'MIIBsig==' });
  });

  it('ignores non-string messages and posts the package only once', async () => {
    const env = fakeEnv();
    const result = signViaPopup(openPopup(env), PKG);
    const popup = env.popup!;
    env.deliver({ data: { func: 'getTbs' }, origin: COMPONENT_ORIGIN, source: popup });
    env.deliver({ data: 'not json', origin: COMPONENT_ORIGIN, source: popup });
    expect(popup.posted).toHaveLength(0);
    env.deliver(ready(popup));
    env.deliver(ready(popup));
    expect(popup.posted).toHaveLength(1);
    env.deliver({ data: JSON.parse(SIGN_OK) as unknown, origin: COMPONENT_ORIGIN, source: popup });
    env.deliver({ data: SIGN_OK, origin: COMPONENT_ORIGIN, source: popup });
    await expect(result).resolves.toMatchObject({ signature: 'MIIBsig==' });
  });

  it('accepts only the first answer', async () => {
    const env = fakeEnv();
    const result = signViaPopup(openPopup(env), PKG);
    const popup = env.popup!;
    env.deliver(ready(popup));
    env.deliver({ data: JSON.stringify({ func: 'sign', ret_code: 0x76000006, last_error: 0 }), origin: COMPONENT_ORIGIN, source: popup });
    env.deliver({ data: SIGN_OK, origin: COMPONENT_ORIGIN, source: popup });
    await expectCode(result, 'CARD_NOT_PRESENT');
  });

  it('reports a blocked pop-up at once', () => {
    const env = fakeEnv({ blocked: true });
    expect(() => openPopup(env)).toThrowError(ComponentError);
    try {
      openPopup(env);
    } catch (e) {
      expect((e as ComponentError).code).toBe('POPUP_BLOCKED');
    }
    expect(env.listeners.size).toBe(0);
  });

  it('says the component is not running when the pop-up never gets ready', async () => {
    const env = fakeEnv();
    const result = signViaPopup(openPopup(env), PKG);
    const settled = expectCode(result, 'COMPONENT_NOT_RUNNING');
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUTS.readyMs - 1);
    expect(env.popup!.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    await settled;
    expect(env.popup!.closed).toBe(true);
    expect(env.listeners.size).toBe(0);
  });

  it('times out waiting for the answer, with configurable limits', async () => {
    const env = fakeEnv();
    const timeouts = { ...DEFAULT_TIMEOUTS, readyMs: 100, answerMs: 1000 };
    const result = signViaPopup(openPopup(env, timeouts), PKG);
    await vi.advanceTimersByTimeAsync(50);
    env.deliver(ready(env.popup));
    const settled = expectCode(result, 'COMPONENT_TIMEOUT');
    await vi.advanceTimersByTimeAsync(999);
    expect(env.popup!.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    await settled;
    expect(env.popup!.closed).toBe(true);
  });

  it('notices the person closing the pop-up', async () => {
    const env = fakeEnv();
    const result = signViaPopup(openPopup(env), PKG);
    env.deliver(ready(env.popup));
    const settled = expectCode(result, 'POPUP_CLOSED');
    env.popup!.closed = true;
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUTS.closedPollMs + DEFAULT_TIMEOUTS.closedGraceMs + 1);
    await settled;
  });

  it('still takes an answer that arrives just after the pop-up closed itself', async () => {
    const env = fakeEnv();
    const result = signViaPopup(openPopup(env), PKG);
    env.deliver(ready(env.popup));
    env.popup!.closed = true;
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUTS.closedPollMs + 10);
    env.deliver({ data: SIGN_OK, origin: COMPONENT_ORIGIN, source: env.popup });
    await expect(result).resolves.toMatchObject({ cardSN: 'TP03200302000536' });
  });

  it('abort closes the pop-up and rejects', async () => {
    const env = fakeEnv();
    const channel = openPopup(env);
    const result = signViaPopup(channel, PKG);
    channel.abort();
    await expectCode(result, 'COMPONENT_CANCELLED');
    expect(env.popup!.closed).toBe(true);
    await expectCode(channel.request(PKG), 'COMPONENT_CANCELLED');
  });

  it('refuses a second request on the same pop-up', async () => {
    const env = fakeEnv();
    const channel = openPopup(env);
    void channel.request(PKG).catch(() => undefined);
    await expectCode(channel.request(PKG), 'COMPONENT_REQUEST_REJECTED');
  });
});

describe('direct mode', () => {
  it('uses direct mode when the agent answers pkcs11info with CORS', async () => {
    const calls: string[] = [];
    const env = fakeEnv({
      fetch: (url, init) => {
        calls.push(`${init.method} ${url}`);
        return Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve('{"func":"pkcs11info","ret_code":0,"last_error":0,"serverVersion":"ecpa-agent 0.1","slots":[{"slotDescription":"SoftHSM","token":{"serialNumber":"TP03200302000536"}}]}') });
      },
    });
    await expect(probeDirect(env)).resolves.toEqual({ direct: true, serverVersion: 'ecpa-agent 0.1' });
    expect(calls).toEqual([`GET ${COMPONENT_ORIGIN}/pkcs11info`]);
  });

  it('reports what the agent already knows is wrong', async () => {
    const answer = (body: string) =>
      fakeEnv({ fetch: () => Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(body) }) });
    const noCard = await probeDirect(answer('{"func":"pkcs11info","ret_code":1979711494,"last_error":0}'));
    expect(noCard).toMatchObject({ direct: true, problem: { code: 'CARD_NOT_PRESENT' } });
    const noReader = await probeDirect(answer('{"func":"pkcs11info","ret_code":0,"last_error":0,"slots":[]}'));
    expect(noReader).toMatchObject({ direct: true, problem: { code: 'READER_NOT_FOUND' } });
    const fine = await probeDirect(answer('{"func":"pkcs11info","ret_code":0,"last_error":0,"slots":[{"slotDescription":"r","token":{"serialNumber":"TP03200302000536"}}]}'));
    expect(fine.problem).toBeUndefined();
    const emptyReader = await probeDirect(answer('{"func":"pkcs11info","ret_code":0,"last_error":0,"slots":[{"slotDescription":"r"}]}'));
    expect(emptyReader).toMatchObject({ direct: true, problem: { code: 'CARD_NOT_PRESENT' } });
  });

  it('says a component older than the configured minimum is too old, before the PIN', async () => {
    const answer = (version: string) =>
      fakeEnv({
        fetch: () =>
          Promise.resolve({
            ok: true,
            status: 200,
            text: () => Promise.resolve(`{"func":"pkcs11info","ret_code":0,"last_error":0,"serverVersion":"${version}","slots":[{"token":{}}]}`),
          }),
      });
    await expect(probeDirect(answer('1.3.4.1'), DEFAULT_TIMEOUTS, '1.3.4.3')).resolves.toMatchObject({
      direct: true,
      problem: { code: 'COMPONENT_TOO_OLD', params: { version: '1.3.4.1' } },
    });
    expect((await probeDirect(answer('1.3.4.3'), DEFAULT_TIMEOUTS, '1.3.4.3')).problem).toBeUndefined();
    expect((await probeDirect(answer('ecpa-agent 0.1'), DEFAULT_TIMEOUTS, '1.3.4.3')).problem).toBeUndefined();
    expect((await probeDirect(answer('1.0'), DEFAULT_TIMEOUTS, '')).problem).toBeUndefined();
  });

  it('tells a silent port (nothing running) from a component that answers without CORS', async () => {
    const modes: (string | undefined)[] = [];
    const opaque = fakeEnv({
      fetch: (_u, init) => {
        modes.push(init.mode);
        return Promise.resolve({ ok: false, status: 0, text: () => Promise.resolve('') });
      },
    });
    await expect(probeListening(opaque)).resolves.toBe(true);
    expect(modes).toEqual(['no-cors']);
    await expect(probeListening(fakeEnv({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) }))).resolves.toBe(false);
    const hanging = fakeEnv({ fetch: () => new Promise(() => undefined) });
    const p = probeListening(hanging);
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUTS.probeMs + 1);
    await expect(p).resolves.toBe(false);
  });

  it('falls back to pop-up mode when the fetch fails, is slow, or answers something else', async () => {
    await expect(probeDirect(fakeEnv())).resolves.toMatchObject({ direct: false });
    const html = fakeEnv({ fetch: () => Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve('<html>') }) });
    await expect(probeDirect(html)).resolves.toMatchObject({ direct: false });
    const e500 = fakeEnv({ fetch: () => Promise.resolve({ ok: false, status: 500, text: () => Promise.resolve('{"func":"pkcs11info"}') }) });
    await expect(probeDirect(e500)).resolves.toMatchObject({ direct: false });
    let aborted = false;
    const slow = fakeEnv({
      fetch: (_u, init) =>
        new Promise((_res, rej) => {
          init.signal?.addEventListener('abort', () => {
            aborted = true;
            rej(new Error('aborted'));
          });
        }),
    });
    const p = probeDirect(slow);
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUTS.probeMs + 1);
    await expect(p).resolves.toMatchObject({ direct: false });
    expect(aborted).toBe(true);
  });

  const PAD = { requestId: 'fedcba98fedcba98fedcba98fedcba98', close: () => undefined };

  it('posts the form-encoded package without the PIN and with the PIN window id', async () => {
    let body = '';
    let headers: Record<string, string> | undefined;
    const env = fakeEnv({
      fetch: (url, init) => {
        expect(url).toBe(`${COMPONENT_ORIGIN}/sign`);
        body = init.body ?? '';
        headers = init.headers;
        return Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(SIGN_OK) });
      },
    });
    await expect(signDirect(env, PKG, PAD)).resolves.toMatchObject({ signature: 'MIIBsig==' });
    expect(headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(body.startsWith('tbsPackage=')).toBe(true);
    expect(body).not.toContain('+');
    const sent = JSON.parse(new URLSearchParams(body).get('tbsPackage')!) as Record<string, string>;
    expect(sent['pin']).toBeUndefined();
    expect(JSON.stringify(sent)).not.toContain(PKG.pin!);
    expect(sent['pinRequest']).toBe(PAD.requestId);
    expect(sent['nonce']).toBe('NONCE+/=');
    expect(sent['tbs']).toBe(PKG.tbs);
  });

  it('maps direct-mode failures', async () => {
    await expectCode(signDirect(fakeEnv(), PKG, PAD), 'COMPONENT_NOT_RUNNING');
    const wrongPin = fakeEnv({
      fetch: () => Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve('{"func":"sign","ret_code":1980760070,"last_error":-2147483646}') }),
    });
    const e = await expectCode(signDirect(wrongPin, PKG, PAD), 'CARD_PIN_TRIES_LEFT');
    expect(e.params).toEqual({ tries_left: '2' });
    const hang = fakeEnv({ fetch: () => new Promise(() => undefined) });
    const p = expectCode(signDirect(hang, PKG, PAD, { ...DEFAULT_TIMEOUTS, answerMs: 500 }), 'COMPONENT_TIMEOUT');
    await vi.advanceTimersByTimeAsync(501);
    await p;
  });

  it('opens the agent PIN window with a fresh 32-hex request id', () => {
    const env = fakeEnv();
    const pad = openPinPad(env);
    expect(pad.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(env.opened).toEqual([{ url: `${PINPAD_URL}?req=${pad.requestId}&lang=zh-TW`, target: 'ecpa-pinpad' }]);
    expect(PINPAD_URL).toBe('http://localhost:61161/pinpad');
    expect(openPinPad(env).requestId).not.toBe(pad.requestId);
    // In the page's language.
    const en = openPinPad(env, 'en');
    expect(env.opened[2]).toEqual({ url: `${PINPAD_URL}?req=${en.requestId}&lang=en`, target: 'ecpa-pinpad' });
  });

  it('asks the pop-up for English only when the page is in English', () => {
    const env = fakeEnv();
    openPopup(env, undefined, 'en');
    expect(env.opened).toEqual([{ url: `${POPUP_URL}?lang=en`, target: 'ecpa-component' }]);
  });

  it('builds the request id from the random bytes, every byte as two lowercase hex digits', () => {
    const id = newPinRequestId({ random: (b) => b.map((_, i) => (i === 0 ? 0x0a : i === 15 ? 0xff : i)) });
    expect(id).toBe('0a0102030405060708090a0b0c0d0eff');
  });

  it('says POPUP_BLOCKED when the browser refuses the PIN window, and sends nothing', () => {
    let fetched = false;
    const env = fakeEnv({
      blocked: true,
      fetch: () => {
        fetched = true;
        return Promise.reject(new Error('no'));
      },
    });
    expect(() => openPinPad(env)).toThrowError(expect.objectContaining({ code: 'POPUP_BLOCKED' }) as Error);
    expect(fetched).toBe(false);
  });

  it('maps 取消 in the PIN window to COMPONENT_CANCELLED and an empty PIN to PIN_EMPTY', async () => {
    const answer = (ret: number) =>
      fakeEnv({ fetch: () => Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(JSON.stringify({ func: 'sign', ret_code: ret, last_error: 0 })) }) });
    await expectCode(signDirect(answer(0x76000999), PKG, PAD), 'COMPONENT_CANCELLED');
    await expectCode(signDirect(answer(0x76000998), PKG, PAD), 'PIN_EMPTY');
    await expectCode(signDirect(answer(0x7600000d), PKG, PAD), 'COMPONENT_TIMEOUT');
  });

  it('closes the PIN window when the agent refuses, leaves it to close itself after a signature', async () => {
    const refused = fakeEnv({
      fetch: () => Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve('{"func":"sign","ret_code":1979711503,"last_error":0}') }),
    });
    const pad = openPinPad(refused);
    await expectCode(signDirect(refused, PKG, pad), 'COMPONENT_SITE_NOT_ALLOWED');
    expect(refused.popup!.closed).toBe(true);
    const ok = fakeEnv({ fetch: () => Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(SIGN_OK) }) });
    const okPad = openPinPad(ok);
    await signDirect(ok, PKG, okPad);
    expect(ok.popup!.closed).toBe(false);
  });

  it('form-encodes + as %2B', () => {
    expect(formBody({ ...PKG, tbs: 'a+b' })).toContain('a%2Bb');
  });
});

describe('ret_code mapping', () => {
  const cases: [number, number, string, Record<string, string>?][] = [
    [0x76000006, 0, 'CARD_NOT_PRESENT'],
    [0x76100003, 0, 'READER_NOT_FOUND'],
    [0x76100001, 0, 'COMPONENT_LIBRARY_MISSING'],
    [0x76100006, 0xa0, 'CARD_PIN_INCORRECT'],
    [0x76100006, 0xa1, 'CARD_PIN_INCORRECT'],
    [0x76100006, 0x80000001, 'CARD_PIN_FINAL_TRY'],
    [0x76100006, 0x80000002, 'CARD_PIN_TRIES_LEFT', { tries_left: '2' }],
    [0x76100006, 0xa2, 'CARD_PIN_LEN_RANGE'],
    [0x76100006, 0xa4, 'CARD_PIN_LOCKED'],
    [0x76100006, 0xa3, 'CARD_PIN_LOCKED'],
    [0x76100006, 0x50, 'COMPONENT_CANCELLED'],
    [0x76100006, 0x30, 'COMPONENT_FAILED', { ret_code: '0x76100006' }],
    [0x76000998, 0, 'PIN_EMPTY'],
    [0x76000999, 0, 'COMPONENT_CANCELLED'],
    [0x7600000b, 0, 'COMPONENT_REQUEST_REJECTED'],
    [0x7600000c, 0, 'COMPONENT_REQUEST_REJECTED'],
    [0x7600000e, 0, 'COMPONENT_REQUEST_REJECTED'],
    [0x7600000d, 0, 'COMPONENT_TIMEOUT'],
    [0x7600000f, 0, 'COMPONENT_SITE_NOT_ALLOWED'],
    [0x76000031, 0, 'COMPONENT_SITE_NOT_ALLOWED'],
    [0x7610000c, 0, 'CARD_KEY_NOT_FOUND'],
    [0x7610000d, 0, 'CARD_KEY_NOT_FOUND'],
    [0x76300001, 0, 'COMPONENT_SIGN_FAILED', { ret_code: '0x76300001' }],
    [0x76300009, 0, 'COMPONENT_SIGN_FAILED', { ret_code: '0x76300009' }],
    [0x76300003, 0xa4, 'CARD_PIN_LOCKED'],
    [0x76500001, 0, 'COMPONENT_CERT_NOT_YET_VALID'],
    [0x76500002, 0, 'COMPONENT_CERT_EXPIRED'],
    [0x76210001, 0, 'COMPONENT_ID_MISMATCH'],
    [0x7630000a, 0, 'COMPONENT_FAILED', { ret_code: '0x7630000A' }],
    [0x12345678, 0, 'COMPONENT_FAILED', { ret_code: '0x12345678' }],
  ];
  it.each(cases)('ret_code %s, last_error %s → %s', (ret, last, code, params) => {
    const e = errorForCodes(ret, last);
    expect(e.code).toBe(code);
    if (params) expect(e.params).toEqual(params);
    expect(knownCodes()).toContain(e.code);
    // The same values sent as signed 32-bit integers mean the same thing.
    const signed = (n: number): number => (n >= 2 ** 31 ? n - 2 ** 32 : n);
    expect(errorForCodes(signed(ret), signed(last)).code).toBe(code);
  });

  it('normalises negatives and strings', () => {
    expect(normaliseCode(-2147483647)).toBe(0x80000001);
    expect(normaliseCode(-2147483646)).toBe(0x80000002);
    expect(normaliseCode('0')).toBe(0);
    expect(normaliseCode('1979711494')).toBe(0x76000006);
    expect(normaliseCode(null)).toBeNaN();
    expect(normaliseCode(1.5)).toBeNaN();
    expect(errorForCodes('x', 0)).toMatchObject({ code: 'COMPONENT_FAILED', params: { ret_code: 'x' } });
  });

  it('checks the shape of a sign answer', () => {
    expect(readSignAnswer(SIGN_OK).signature).toBe('MIIBsig==');
    const bad = (o: unknown): string => {
      try {
        readSignAnswer(typeof o === 'string' ? o : JSON.stringify(o));
        return 'ok';
      } catch (e) {
        return (e as ComponentError).code;
      }
    };
    expect(bad('nope')).toBe('COMPONENT_FAILED');
    expect(bad([1])).toBe('COMPONENT_FAILED');
    expect(bad({ func: 'pkcs11info', ret_code: 0 })).toBe('COMPONENT_FAILED');
    expect(bad({ func: 'sign' })).toBe('COMPONENT_FAILED'); // no ret_code is not success
    expect(bad({ func: 'sign', ret_code: 0, signature: '' })).toBe('COMPONENT_SIGN_FAILED');
    expect(bad({ func: 'sign', ret_code: 0, signature: '<script>' })).toBe('COMPONENT_SIGN_FAILED');
    expect(bad({ func: 'sign', ret_code: 0, signature: 'QUJD', certb64: '"x"' })).toBe('COMPONENT_SIGN_FAILED');
    expect(bad({ func: 'sign', ret_code: 0, signature: 'QUJD' })).toBe('ok');
  });
});

describe('timeoutsFrom', () => {
  it('reads valid meta values and keeps defaults otherwise', () => {
    const meta: Record<string, string> = { 'ecpa-ready-ms': '3500', 'ecpa-answer-ms': 'soon', 'ecpa-probe-ms': '5' };
    const t = timeoutsFrom((n) => meta[n] ?? null);
    expect(t.readyMs).toBe(3500);
    expect(t.answerMs).toBe(DEFAULT_TIMEOUTS.answerMs);
    expect(t.probeMs).toBe(DEFAULT_TIMEOUTS.probeMs);
    expect(timeoutsFrom(() => null)).toEqual(DEFAULT_TIMEOUTS);
  });
});

describe('versions', () => {
  it('compares dotted versions numerically', () => {
    expect(isVersionTooOld('1.3.4.103327', '1.3.4.103328')).toBe(true);
    expect(isVersionTooOld('1.3.4.103328', '1.3.4.103328')).toBe(false);
    expect(isVersionTooOld('1.3.10', '1.3.4.13')).toBe(false);
    expect(isVersionTooOld('1.3.4', '1.3.4.3')).toBe(true);
    expect(isVersionTooOld('1.2.9.999999', '1.3.4.3')).toBe(true);
    expect(isVersionTooOld('ecpa-agent 0.1', '1.3.4.3')).toBe(false);
    expect(isVersionTooOld('', '1.3.4.3')).toBe(false);
  });

  it('tells the platform from the user agent', () => {
    expect(platformOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120')).toBe('windows');
    expect(platformOf('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605')).toBe('mac');
    expect(platformOf('Mozilla/5.0 (X11; Linux x86_64) Chrome/120')).toBe('linux');
    expect(platformOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604')).toBe('other');
  });
});
