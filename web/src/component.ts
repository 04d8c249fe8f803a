// The bridge to the citizen's local card component on http://localhost:61161 (REFERENCE §1), either the
// official HiPKI component or our ecpa-agent. Pure: the browser's fetch, window.open, message events and
// timers come in as parameters, so every path (blocked pop-up, stray messages, time-outs) is unit-tested.

export const COMPONENT_ORIGIN = 'http://localhost:61161';

/** An error with a catalogue code; params fill the catalogue text's {placeholders}. */
export class ComponentError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string> = {},
  ) {
    super(code);
    this.name = 'ComponentError';
  }
}

/** The request the component signs: all values are strings, as the component expects. */
export interface TbsPackage {
  func: 'MakeSignature';
  signatureType: 'PKCS7' | 'PKCS1';
  tbs: string;
  tbsEncoding: 'NONE' | 'base64';
  hashAlgorithm: 'SHA1' | 'SHA256' | 'SHA384' | 'SHA512';
  withCardSN: 'true' | 'false';
  nonce: string;
  pin?: string;
  /** Direct mode: the id of the agent's PIN pad window the page opened (docs/agent-protocol.md §5.2). */
  pinRequest?: string;
  slotDescription?: string;
}

export interface SignResult {
  signature: string;
  certb64: string;
  cardSN: string;
  serverVersion: string;
}

// ---------------------------------------------------------------------------------------------------------
// Answer codes

const U32 = 2 ** 32;

/** Components written in languages with signed ints send 0x76000006 as -1979711482: bring it back. */
export function normaliseCode(value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) return Number.NaN;
  return n < 0 ? n + U32 : n;
}

const hex = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;

// PKCS#11 CKR values (and the HiCOS vendor values) that say something about the PIN.
const CKR_FUNCTION_CANCELED = 0x50;
const CKR_PIN_INCORRECT = 0xa0;
const CKR_PIN_INVALID = 0xa1;
const CKR_PIN_LEN_RANGE = 0xa2;
const CKR_PIN_EXPIRED = 0xa3;
const CKR_PIN_LOCKED = 0xa4;
const HICOS_PIN_ONE_TRY_LEFT = 0x80000001;
const HICOS_PIN_TWO_TRIES_LEFT = 0x80000002;

function pinProblem(lastError: number): ComponentError | null {
  switch (lastError) {
    case CKR_PIN_INCORRECT:
    case CKR_PIN_INVALID:
      return new ComponentError('CARD_PIN_INCORRECT');
    case HICOS_PIN_ONE_TRY_LEFT:
      return new ComponentError('CARD_PIN_FINAL_TRY');
    case HICOS_PIN_TWO_TRIES_LEFT:
      return new ComponentError('CARD_PIN_TRIES_LEFT', { tries_left: '2' });
    case CKR_PIN_LEN_RANGE:
      return new ComponentError('CARD_PIN_LEN_RANGE');
    case CKR_PIN_LOCKED:
    case CKR_PIN_EXPIRED:
      return new ComponentError('CARD_PIN_LOCKED');
    case CKR_FUNCTION_CANCELED:
      return new ComponentError('COMPONENT_CANCELLED');
    default:
      return null;
  }
}

/** Turns a non-zero ret_code (and last_error) into the catalogue error a person can act on. */
export function errorForCodes(retCodeRaw: unknown, lastErrorRaw: unknown): ComponentError {
  const ret = normaliseCode(retCodeRaw);
  const last = normaliseCode(lastErrorRaw);
  const shown = { ret_code: Number.isNaN(ret) ? String(retCodeRaw) : hex(ret) };
  const isSigning = ret >= 0x76300001 && ret <= 0x76300009;
  if (ret === 0x76100006 || isSigning) {
    // The PIN outcome rides in last_error; a card login failure is about the PIN almost every time.
    const pin = pinProblem(last);
    if (pin) return pin;
    return new ComponentError(isSigning ? 'COMPONENT_SIGN_FAILED' : 'COMPONENT_FAILED', shown);
  }
  switch (ret) {
    case 0x76000006:
      return new ComponentError('CARD_NOT_PRESENT');
    case 0x76100003:
      return new ComponentError('READER_NOT_FOUND');
    case 0x76100001:
      return new ComponentError('COMPONENT_LIBRARY_MISSING');
    case 0x76000998:
      return new ComponentError('PIN_EMPTY');
    case 0x76000999:
      return new ComponentError('COMPONENT_CANCELLED');
    case 0x7600000b:
    case 0x7600000c:
    case 0x7600000e:
      return new ComponentError('COMPONENT_REQUEST_REJECTED');
    case 0x7600000d:
      return new ComponentError('COMPONENT_TIMEOUT');
    case 0x7600000f:
    case 0x76000031:
      return new ComponentError('COMPONENT_SITE_NOT_ALLOWED');
    case 0x7610000c:
    case 0x7610000d:
      return new ComponentError('CARD_KEY_NOT_FOUND');
    case 0x76500001:
      return new ComponentError('COMPONENT_CERT_NOT_YET_VALID');
    case 0x76500002:
      return new ComponentError('COMPONENT_CERT_EXPIRED');
    case 0x76210001:
      return new ComponentError('COMPONENT_ID_MISMATCH');
    default:
      return new ComponentError('COMPONENT_FAILED', shown);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a component answer (a JSON string or an object) and checks func and ret_code. */
export function readAnswer(raw: unknown, expectedFunc: string): Record<string, unknown> {
  let answer: unknown = raw;
  if (typeof raw === 'string') {
    try {
      answer = JSON.parse(raw);
    } catch {
      throw new ComponentError('COMPONENT_FAILED', { ret_code: 'JSON' });
    }
  }
  if (!isRecord(answer)) throw new ComponentError('COMPONENT_FAILED', { ret_code: 'JSON' });
  const ret = normaliseCode(answer['ret_code']);
  if (ret !== 0) throw errorForCodes(answer['ret_code'], answer['last_error']);
  if (answer['func'] !== expectedFunc) throw new ComponentError('COMPONENT_FAILED', { ret_code: 'func' });
  return answer;
}

const B64 = /^[A-Za-z0-9+/=\r\n_-]+$/;

/** The fields of a successful sign answer, checked for shape so nothing odd reaches the portal. */
export function readSignAnswer(raw: unknown): SignResult {
  const a = readAnswer(raw, 'sign');
  const str = (k: string): string => (typeof a[k] === 'string' ? (a[k] as string) : '');
  const signature = str('signature');
  const certb64 = str('certb64');
  if (signature === '' || !B64.test(signature) || (certb64 !== '' && !B64.test(certb64))) {
    throw new ComponentError('COMPONENT_SIGN_FAILED', { ret_code: 'signature' });
  }
  return { signature, certb64, cardSN: str('cardSN'), serverVersion: str('serverVersion') };
}

// ---------------------------------------------------------------------------------------------------------
// Versions

export type Platform = 'windows' | 'mac' | 'linux' | 'other';

/** Oldest official component versions portals accept (REFERENCE §1); configurable by the caller. */
export const DEFAULT_MINIMUM_VERSIONS: Readonly<Record<Platform, string>> = {
  windows: '1.3.4.103328',
  mac: '1.3.4.13',
  linux: '1.3.4.3',
  other: '0',
};

export function platformOf(userAgent: string): Platform {
  if (/iPhone|iPad|iPod|Android/i.test(userAgent)) return 'other';
  if (/Windows/i.test(userAgent)) return 'windows';
  if (/Mac OS X|Macintosh/i.test(userAgent)) return 'mac';
  if (/Linux|X11|CrOS/i.test(userAgent)) return 'linux';
  return 'other';
}

/**
 * Compares dotted versions numerically. A version that is not dotted numbers (another vendor's scheme)
 * is not judged: refusing a working component over a string we do not understand helps nobody.
 */
export function isVersionTooOld(version: string, minimum: string): boolean {
  const parse = (v: string): number[] | null => (/^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : null);
  const have = parse(version.trim());
  const need = parse(minimum.trim());
  if (!have || !need) return false;
  for (let i = 0; i < Math.max(have.length, need.length); i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a < b;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// The browser, as far as this module uses it

export interface FetchResponseLike {
  ok: boolean;
  status: number;
  text(): Promise<string>;
}
export type FetchLike = (
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal; credentials?: 'omit'; mode?: 'cors' | 'no-cors' },
) => Promise<FetchResponseLike>;

export interface PopupLike {
  readonly closed: boolean;
  close(): void;
  postMessage(message: string, targetOrigin: string): void;
}

export interface MessageLike {
  data: unknown;
  origin: string;
  source: unknown;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface BrowserEnv {
  fetch: FetchLike;
  open(url: string, target: string, features: string): PopupLike | null;
  /** Adds a 'message' listener on the page's window; returns the function that removes it. */
  listen(handler: (event: MessageLike) => void): () => void;
  timers: Timers;
  /** Fills the array with cryptographic randomness (crypto.getRandomValues); the PIN pad's request id. */
  random(bytes: Uint8Array): Uint8Array;
}

/** Binds the real browser objects; only the page entry points call this. */
export function browserEnv(w: Window): BrowserEnv {
  return {
    fetch: (url, init) => w.fetch(url, init),
    open: (url, target, features) => w.open(url, target, features),
    listen: (handler) => {
      const h = (e: MessageEvent): void => handler({ data: e.data, origin: e.origin, source: e.source });
      w.addEventListener('message', h);
      return () => w.removeEventListener('message', h);
    },
    timers: {
      setTimeout: (fn, ms) => w.setTimeout(fn, ms),
      clearTimeout: (h) => w.clearTimeout(h as number),
      setInterval: (fn, ms) => w.setInterval(fn, ms),
      clearInterval: (h) => w.clearInterval(h as number),
    },
    random: (bytes) => w.crypto.getRandomValues(bytes),
  };
}

export interface ComponentTimeouts {
  /** How long ecpa-agent has to answer the direct-mode probe. */
  probeMs: number;
  /** From opening the pop-up to its {"func":"getTbs"}: past this the component is not running. */
  readyMs: number;
  /** From sending the request to the answer (the person may be typing a PIN in the agent's window). */
  answerMs: number;
  /** How often to look whether the person closed the pop-up. */
  closedPollMs: number;
  /** The pop-up closes itself right after answering: wait this long for a late answer before failing. */
  closedGraceMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<ComponentTimeouts> = {
  probeMs: 1500,
  readyMs: 10_000,
  answerMs: 60_000,
  closedPollMs: 250,
  closedGraceMs: 750,
};

/**
 * Time limits from the page's <meta name="ecpa-…-ms"> tags, so a deployment can tune them without a
 * rebuild. Missing, non-numeric or absurd values keep the default.
 */
export function timeoutsFrom(meta: (name: string) => string | null): ComponentTimeouts {
  const pick = (name: string, fallback: number): number => {
    const raw = meta(name);
    const n = raw === null ? Number.NaN : Number(raw);
    return Number.isInteger(n) && n >= 100 && n <= 600_000 ? n : fallback;
  };
  return {
    ...DEFAULT_TIMEOUTS,
    probeMs: pick('ecpa-probe-ms', DEFAULT_TIMEOUTS.probeMs),
    readyMs: pick('ecpa-ready-ms', DEFAULT_TIMEOUTS.readyMs),
    answerMs: pick('ecpa-answer-ms', DEFAULT_TIMEOUTS.answerMs),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Direct mode (ecpa-agent answers CORS for allowed origins; the official component does not)

export interface ProbeResult {
  direct: boolean;
  serverVersion: string;
  /** What the agent already knows is wrong (no reader, no card…), to say before the PIN is asked. */
  problem?: ComponentError;
}

function withTimeout<T>(timers: Timers, ms: number, work: (signal: AbortSignal) => Promise<T>, onTimeout: () => Error): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const handle = timers.setTimeout(() => {
      controller.abort();
      reject(onTimeout());
    }, ms);
    work(controller.signal).then(
      (v) => {
        timers.clearTimeout(handle);
        resolve(v);
      },
      (e: unknown) => {
        timers.clearTimeout(handle);
        reject(e);
      },
    );
  });
}

/**
 * Asks GET /pkcs11info directly. Only a component that answers CORS for this page (ecpa-agent) lets the
 * fetch succeed; anything else (official component, nothing listening, a slow answer) means pop-up mode.
 */
export async function probeDirect(env: BrowserEnv, timeouts: ComponentTimeouts = DEFAULT_TIMEOUTS, minimumVersion = ''): Promise<ProbeResult> {
  const popup: ProbeResult = { direct: false, serverVersion: '' };
  try {
    const text = await withTimeout(
      env.timers,
      timeouts.probeMs,
      async (signal) => {
        const r = await env.fetch(`${COMPONENT_ORIGIN}/pkcs11info`, { method: 'GET', signal, credentials: 'omit', mode: 'cors' });
        if (!r.ok) throw new Error(`status ${r.status}`);
        return r.text();
      },
      () => new Error('probe timeout'),
    );
    const info: unknown = JSON.parse(text);
    // Any pkcs11info answer proves the channel works, even one that says "no card": signing will report it.
    if (!isRecord(info) || info['func'] !== 'pkcs11info') return popup;
    const found: ProbeResult = { direct: true, serverVersion: typeof info['serverVersion'] === 'string' ? info['serverVersion'] : '' };
    const slots = Array.isArray(info['slots']) ? (info['slots'] as unknown[]) : null;
    if (minimumVersion !== '' && isVersionTooOld(found.serverVersion, minimumVersion)) {
      found.problem = new ComponentError('COMPONENT_TOO_OLD', { version: found.serverVersion });
    } else if (normaliseCode(info['ret_code']) !== 0) found.problem = errorForCodes(info['ret_code'], info['last_error']);
    else if (slots && slots.length === 0) found.problem = new ComponentError('READER_NOT_FOUND');
    // Readers but no token in any of them: the card is not in (said now, before the PIN is asked).
    else if (slots && !slots.some((s) => isRecord(s) && isRecord(s['token']))) found.problem = new ComponentError('CARD_NOT_PRESENT');
    return found;
  } catch {
    return popup;
  }
}

/**
 * Whether anything listens on the component's port, for when the direct probe failed: the official
 * component sends no CORS headers, so only an opaque (no-cors) answer can prove it runs. A refused
 * connection or no answer within probeMs means nothing is running: the page says so before the PIN.
 */
export async function probeListening(env: BrowserEnv, timeouts: ComponentTimeouts = DEFAULT_TIMEOUTS): Promise<boolean> {
  try {
    await withTimeout(
      env.timers,
      timeouts.probeMs,
      (signal) => env.fetch(`${COMPONENT_ORIGIN}/pkcs11info`, { method: 'GET', signal, credentials: 'omit', mode: 'no-cors' }),
      () => new Error('probe timeout'),
    );
    return true;
  } catch {
    return false;
  }
}

/** The body the component expects: a form field whose value is the JSON package. */
export function formBody(pkg: TbsPackage): string {
  // encodeURIComponent escapes '+' as %2B, which form decoding would otherwise read as a space.
  return `tbsPackage=${encodeURIComponent(JSON.stringify(pkg))}`;
}

export const PINPAD_URL = `${COMPONENT_ORIGIN}/pinpad`;
const PINPAD_FEATURES = 'popup=yes,width=420,height=360';

/** The agent's PIN window for one direct-mode request: its id goes with /sign as pinRequest. */
export interface PinPad {
  readonly requestId: string;
  /** Closes the window when the request ended without the person (an error, a cancel). Safe to repeat. */
  close(): void;
}

/** 32 lowercase hex digits from crypto randomness: the agent accepts nothing else (§5.2). */
export function newPinRequestId(env: Pick<BrowserEnv, 'random'>): string {
  const bytes = env.random(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Opens ecpa-agent's PIN window (docs/agent-protocol.md §5.2). Must run synchronously inside the click
 * handler: browsers block windows opened after an await. Throws POPUP_BLOCKED when the browser refuses.
 * The window waits for the /sign request carrying the same id, then shows the site and takes the PIN.
 */
export function openPinPad(env: BrowserEnv, lang: 'zh-TW' | 'en' = 'zh-TW'): PinPad {
  const requestId = newPinRequestId(env);
  // The agent's window speaks the page's language (?lang=, docs/agent-protocol.md §5).
  const opened = env.open(`${PINPAD_URL}?req=${requestId}&lang=${lang}`, 'ecpa-pinpad', PINPAD_FEATURES);
  if (!opened) throw new ComponentError('POPUP_BLOCKED');
  return {
    requestId,
    close() {
      try {
        if (!opened.closed) opened.close();
      } catch {
        /* already gone */
      }
    },
  };
}

/**
 * Signs through ecpa-agent without the pop-up protocol. The PIN is never sent from the page: the package
 * names the PIN window opened by openPinPad, and the agent holds the answer until the person confirms
 * there, presses 取消 (0x76000999) or its PIN time-out passes.
 */
export async function signDirect(env: BrowserEnv, pkg: TbsPackage, pad: PinPad, timeouts: ComponentTimeouts = DEFAULT_TIMEOUTS): Promise<SignResult> {
  const { pin: _dropped, ...withoutPin } = pkg;
  try {
    const text = await withTimeout(
      env.timers,
      timeouts.answerMs,
      async (signal) => {
        let r: FetchResponseLike;
        try {
          r = await env.fetch(`${COMPONENT_ORIGIN}/sign`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: formBody({ ...withoutPin, pinRequest: pad.requestId }),
            signal,
            credentials: 'omit',
            mode: 'cors',
          });
        } catch {
          throw new ComponentError('COMPONENT_NOT_RUNNING');
        }
        return r.text();
      },
      () => new ComponentError('COMPONENT_TIMEOUT'),
    );
    return readSignAnswer(text);
  } catch (e) {
    // The agent refused before the window could ask (site, card, time-out): do not leave it waiting.
    pad.close();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Pop-up mode (REFERENCE §1): one pop-up, one request

export const POPUP_URL = `${COMPONENT_ORIGIN}/popupForm`;
const POPUP_FEATURES = 'popup=yes,width=420,height=320';

export interface PopupChannel {
  /** Sends the package once the pop-up is ready and resolves with its answer. Call at most once. */
  request(pkg: TbsPackage, expectedFunc?: string): Promise<Record<string, unknown>>;
  /** Gives up: closes the pop-up and stops listening. Safe to call more than once. */
  abort(): void;
}

/**
 * Opens the component's pop-up. Must run synchronously inside the click handler (browsers block pop-ups
 * opened later), so it only opens and starts listening; the package can follow once the portal answers.
 * Throws POPUP_BLOCKED when the browser refuses the window.
 */
export function openPopup(env: BrowserEnv, timeouts: ComponentTimeouts = DEFAULT_TIMEOUTS, lang: 'zh-TW' | 'en' = 'zh-TW'): PopupChannel {
  // In English the pop-up is asked for English (ecpa-agent reads ?lang=; the official component ignores it).
  const opened = env.open(lang === 'en' ? `${POPUP_URL}?lang=en` : POPUP_URL, 'ecpa-component', POPUP_FEATURES);
  if (!opened) throw new ComponentError('POPUP_BLOCKED');
  const popup: PopupLike = opened;
  const { timers } = env;

  let ready = false;
  let pending: { pkg: TbsPackage; func: string; resolve: (a: Record<string, unknown>) => void; reject: (e: unknown) => void } | null = null;
  let sent = false;
  let finished = false;
  let failure: ComponentError | null = null;
  let answerTimer: unknown = null;
  let closedSince: unknown = null;

  const stopListening = env.listen(onMessage);
  const readyTimer = timers.setTimeout(() => fail(new ComponentError('COMPONENT_NOT_RUNNING')), timeouts.readyMs);
  const closedPoll = timers.setInterval(() => {
    if (popup.closed && closedSince === null) {
      closedSince = timers.setTimeout(() => fail(new ComponentError('POPUP_CLOSED')), timeouts.closedGraceMs);
    }
  }, timeouts.closedPollMs);

  function cleanUp(): void {
    finished = true;
    stopListening();
    timers.clearTimeout(readyTimer);
    timers.clearInterval(closedPoll);
    if (answerTimer !== null) timers.clearTimeout(answerTimer);
    if (closedSince !== null) timers.clearTimeout(closedSince);
  }

  function fail(e: ComponentError): void {
    if (finished) return;
    cleanUp();
    try {
      popup.close();
    } catch {
      /* already gone */
    }
    failure = e;
    if (pending) pending.reject(e);
  }

  function send(): void {
    if (!pending || !ready || sent || finished) return;
    sent = true;
    // Pinned target origin: if the pop-up has navigated anywhere else, the browser drops the message (and the PIN).
    popup.postMessage(JSON.stringify(pending.pkg), COMPONENT_ORIGIN);
    answerTimer = timers.setTimeout(() => fail(new ComponentError('COMPONENT_TIMEOUT')), timeouts.answerMs);
  }

  function onMessage(event: MessageLike): void {
    if (finished) return;
    // Only the pop-up we opened, served from the component's origin, may talk to us; only strings count.
    if (event.origin !== COMPONENT_ORIGIN || event.source !== popup || typeof event.data !== 'string') return;
    if (!sent) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        return;
      }
      if (isRecord(parsed) && parsed['func'] === 'getTbs' && !ready) {
        ready = true;
        timers.clearTimeout(readyTimer);
        send();
      }
      return;
    }
    if (/^\s*\{\s*"func"\s*:\s*"getTbs"\s*\}\s*$/.test(event.data)) return; // a repeated ready signal is not an answer
    // The first other string after sending is the answer, whatever it says; later ones are ignored.
    const p = pending;
    cleanUp();
    if (!p) return;
    try {
      p.resolve(readAnswer(event.data, p.func));
    } catch (e) {
      p.reject(e);
    }
  }

  return {
    request(pkg, expectedFunc = 'sign') {
      return new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        if (pending) return reject(new ComponentError('COMPONENT_REQUEST_REJECTED'));
        pending = { pkg, func: expectedFunc, resolve, reject };
        send();
      });
    },
    abort() {
      fail(new ComponentError('COMPONENT_CANCELLED'));
    },
  };
}

/** Signs through an opened pop-up and reads the answer. */
export async function signViaPopup(channel: PopupChannel, pkg: TbsPackage): Promise<SignResult> {
  const answer = await channel.request(pkg, 'sign');
  return readSignAnswer(answer);
}
