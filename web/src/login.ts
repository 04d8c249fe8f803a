// The certificate login and first-time binding flow (DESIGN §4.1, §4.2; the seed's steps 2–5) as a small
// state machine. The portal API and the card component come in as interfaces, so the tests drive every
// branch; login_page.ts only draws the state and forwards clicks. Both certificate routes share it: what
// differs is what the binding dialog asks (BIND_ROUTES): the ID number for a citizen card, the 機關代碼 for
// an agency card.

import { ApiError, safeLocalPath, type BindSubject, type Challenge, type PortalApi, type Route, type SignedProof } from './api';
import {
  ComponentError,
  DEFAULT_MINIMUM_VERSIONS,
  DEFAULT_TIMEOUTS,
  isVersionTooOld,
  openPinPad,
  openPopup,
  signDirect,
  signViaPopup,
  type BrowserEnv,
  type ComponentTimeouts,
  type SignResult,
  type TbsPackage,
} from './component';
import { Flow } from './flow';
import { checkAgencyCode } from './identifiers';
import { checkNationalId } from './national_id';
import type { Lang } from './i18n';
import type { StringKey } from './strings';

export type Mode = 'direct' | 'popup';

/** An error ready to be shown: the catalogue code, its parameters, and the server's own words if any. */
export interface ShownError {
  code: string;
  params: Record<string, string>;
  serverText: { message: string; action: string } | null;
  traceId: string;
}

export type Field = 'pin' | 'nationalId' | 'agencyCode' | 'form';

/** The binding states carry the route of the login that found the card unbound: the dialog is drawn for it. */
export type FlowState =
  | { kind: 'idle'; error?: ShownError; field?: Field }
  | { kind: 'busy' }
  | { kind: 'notBound'; route: Route }
  | { kind: 'bindForm'; route: Route; error?: ShownError; field?: Field }
  | { kind: 'bindBusy'; route: Route }
  | { kind: 'bound'; route: Route; message: string }
  | { kind: 'loggedIn'; redirect: string };

/** What the binding dialog asks on each route, how the page checks it, and the words it is drawn with. */
export interface BindRoute {
  /** The input the dialog asks besides the PIN. */
  field: 'nationalId' | 'agencyCode';
  check(typed: string): { ok: true; value: string } | { ok: false; code: string };
  subject(value: string): BindSubject;
  keys: { title: StringKey; intro: StringKey; introDirect: StringKey; bound: StringKey };
}

export const BIND_ROUTES: Readonly<Record<Route, BindRoute>> = {
  citizen: {
    field: 'nationalId',
    check: checkNationalId,
    subject: (nationalId) => ({ nationalId }),
    keys: { title: 'bindTitle', intro: 'bindIntro', introDirect: 'bindIntroDirect', bound: 'boundBody' },
  },
  agency: {
    field: 'agencyCode',
    check: checkAgencyCode,
    subject: (agencyCode) => ({ agencyCode }),
    keys: { title: 'bindTitleAgency', intro: 'bindIntroAgency', introDirect: 'bindIntroAgencyDirect', bound: 'boundBodyAgency' },
  },
};

/** One signing: begin() runs inside the click (it may open the pop-up), sign() may come later. */
export interface SignSession {
  sign(pkg: TbsPackage): Promise<SignResult>;
  cancel(): void;
}
export interface Signer {
  mode(): Mode;
  /** Synchronous on purpose: a pop-up opened after an await is blocked by browsers. May throw POPUP_BLOCKED. */
  begin(): SignSession;
}

export function toShown(e: unknown): ShownError {
  if (e instanceof ApiError) return { code: e.code, params: e.params, serverText: e.serverText, traceId: e.traceId };
  if (e instanceof ComponentError) return { code: e.code, params: e.params, serverText: null, traceId: '' };
  return { code: 'INTERNAL_ERROR', params: {}, serverText: null, traceId: '' };
}

const SIGNATURE_TYPES = ['PKCS7', 'PKCS1'] as const;
const HASHES = ['SHA1', 'SHA256', 'SHA384', 'SHA512'] as const;

/** The component request for a portal challenge; the tbs goes unchanged (tbsEncoding NONE). */
export function packageFor(ch: Challenge, pin: string | null): TbsPackage {
  const signatureType = (SIGNATURE_TYPES as readonly string[]).includes(ch.signatureType) ? (ch.signatureType as TbsPackage['signatureType']) : 'PKCS7';
  const hashAlgorithm = (HASHES as readonly string[]).includes(ch.hashAlgorithm) ? (ch.hashAlgorithm as TbsPackage['hashAlgorithm']) : 'SHA256';
  const pkg: TbsPackage = {
    func: 'MakeSignature',
    signatureType,
    tbs: ch.tbs,
    tbsEncoding: 'NONE',
    hashAlgorithm,
    withCardSN: 'true',
    nonce: ch.nonce,
  };
  if (pin !== null) pkg.pin = pin;
  return pkg;
}

export interface SignerOptions {
  timeouts?: ComponentTimeouts;
  /** Oldest accepted official component version; '' accepts any. */
  minimumVersion?: string;
  /** The page's language, for the component's own windows. */
  lang?: () => Lang;
}

/** The real signer: direct fetch to ecpa-agent when the probe found it, the pop-up protocol otherwise. */
export function componentSigner(env: BrowserEnv, mode: () => Mode, opts: SignerOptions = {}): Signer {
  const timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
  const minimum = opts.minimumVersion ?? DEFAULT_MINIMUM_VERSIONS.other;
  const checkVersion = (r: SignResult): SignResult => {
    if (minimum !== '' && isVersionTooOld(r.serverVersion, minimum)) throw new ComponentError('COMPONENT_TOO_OLD', { version: r.serverVersion });
    return r;
  };
  return {
    mode,
    begin() {
      if (mode() === 'direct') {
        // The agent's PIN window opens now, inside the click; the request naming it follows the portal's challenge.
        const pad = openPinPad(env, opts.lang?.() ?? 'zh-TW');
        let cancelled = false;
        return {
          sign: async (pkg) => {
            if (cancelled) throw new ComponentError('COMPONENT_CANCELLED');
            return checkVersion(await signDirect(env, pkg, pad, timeouts));
          },
          cancel: () => {
            cancelled = true;
            pad.close();
          },
        };
      }
      const channel = openPopup(env, timeouts, opts.lang?.() ?? 'zh-TW');
      return { sign: async (pkg) => checkVersion(await signViaPopup(channel, pkg)), cancel: () => channel.abort() };
    },
  };
}

export interface FlowDeps {
  api: PortalApi;
  signer: Signer;
  route: () => Route;
}

export class LoginFlow extends Flow<FlowState> {
  constructor(private readonly deps: FlowDeps) {
    super({ kind: 'idle' });
  }

  /** The PIN goes to the card only in pop-up mode; in direct mode the agent asks for it in its own window. */
  private pinFor(pin: string): string | null {
    return this.deps.signer.mode() === 'direct' ? null : pin;
  }

  /**
   * 登入. Everything up to opening the pop-up runs before the first await, inside the click.
   * Returns when the flow has settled (logged in, not bound, or an error shown).
   */
  login(pin: string): Promise<void> {
    if (this.state.kind !== 'idle') return Promise.resolve();
    const cardPin = this.pinFor(pin);
    if (cardPin !== null && cardPin === '') {
      this.set({ kind: 'idle', error: toShown(new ComponentError('PIN_EMPTY')), field: 'pin' });
      return Promise.resolve();
    }
    let session: SignSession;
    try {
      session = this.deps.signer.begin();
    } catch (e) {
      this.set({ kind: 'idle', error: toShown(e), field: 'form' });
      return Promise.resolve();
    }
    this.set({ kind: 'busy' });
    return this.runLogin(session, cardPin);
  }

  private async runLogin(session: SignSession, pin: string | null): Promise<void> {
    const route = this.deps.route();
    try {
      const proof = await this.signChallenge(session, 'login', route, pin);
      const done = await this.deps.api.certificateLogin(route, proof);
      this.set({ kind: 'loggedIn', redirect: safeLocalPath(done.redirect, '/dashboard.html') });
    } catch (e) {
      session.cancel();
      if (e instanceof ApiError && e.code === 'ACCOUNT_NOT_BOUND') {
        this.set({ kind: 'notBound', route });
        return;
      }
      const shown = toShown(e);
      this.set({ kind: 'idle', error: shown, field: fieldOf(shown.code) });
    }
  }

  private async signChallenge(session: SignSession, purpose: 'login' | 'bind', route: Route, pin: string | null): Promise<SignedProof> {
    const ch = await this.deps.api.challenge(purpose, route);
    const r = await session.sign(packageFor(ch, pin));
    return { signature: r.signature, certb64: r.certb64, cardSN: r.cardSN };
  }

  /** 取消 on 帳號資訊不存在: back to the login tab. */
  cancelNotBound(): void {
    if (this.state.kind === 'notBound') this.set({ kind: 'idle' });
  }

  /** 我要更新憑證: the 自然人憑證檢測 or 機關憑證檢測 dialog, for the route the card was tried on. */
  openBind(): void {
    const s = this.state;
    if (s.kind === 'notBound') this.set({ kind: 'bindForm', route: s.route });
  }

  /** Closes the binding dialog without binding. */
  closeBind(): void {
    if (this.state.kind === 'bindForm') this.set({ kind: 'idle' });
  }

  /**
   * 下一步 in the binding dialog: what identifies the card's owner (the ID number, or the 機關代碼 on the
   * agency route) is checked on the page before the card is touched.
   */
  bind(identifier: string, pin: string): Promise<void> {
    const s = this.state;
    if (s.kind !== 'bindForm') return Promise.resolve();
    const { route } = s;
    const how = BIND_ROUTES[route];
    const who = how.check(identifier);
    if (!who.ok) {
      this.set({ kind: 'bindForm', route, error: toShown(new ApiError(who.code, 400)), field: how.field });
      return Promise.resolve();
    }
    const cardPin = this.pinFor(pin);
    if (cardPin !== null && cardPin === '') {
      this.set({ kind: 'bindForm', route, error: toShown(new ComponentError('PIN_EMPTY')), field: 'pin' });
      return Promise.resolve();
    }
    let session: SignSession;
    try {
      session = this.deps.signer.begin();
    } catch (e) {
      this.set({ kind: 'bindForm', route, error: toShown(e), field: 'form' });
      return Promise.resolve();
    }
    this.set({ kind: 'bindBusy', route });
    return this.runBind(session, route, how.subject(who.value), cardPin);
  }

  private async runBind(session: SignSession, route: Route, subject: BindSubject, pin: string | null): Promise<void> {
    try {
      const proof = await this.signChallenge(session, 'bind', route, pin);
      const done = await this.deps.api.bind(route, subject, proof);
      this.set({ kind: 'bound', route, message: typeof done.message === 'string' ? done.message : '' });
    } catch (e) {
      session.cancel();
      const shown = toShown(e);
      this.set({ kind: 'bindForm', route, error: shown, field: fieldOf(shown.code) });
    }
  }

  /** Closes the success message: back to the login tab, ready for the PIN (the seed's step 5). */
  closeBound(): void {
    if (this.state.kind === 'bound') this.set({ kind: 'idle' });
  }
}

/** Which input an error is about, so the message sits next to it and focus goes there. */
export function fieldOf(code: string): Field {
  if (code.startsWith('NATIONAL_ID_') || code === 'ID_LAST4_MISMATCH' || code === 'COMPONENT_ID_MISMATCH' || code === 'PERSON_NOT_FOUND') return 'nationalId';
  // The code typed does not name this card's agency: fix the code. No officer, no OID, a citizen card on the
  // agency route: nothing in the field would help, so the message is the dialog's.
  if (code === 'AGENCY_CODE_INVALID' || code === 'AGENCY_UNKNOWN' || code === 'AGENCY_OID_MISMATCH') return 'agencyCode';
  if (code.startsWith('CARD_PIN_') || code === 'PIN_EMPTY') return 'pin';
  return 'form';
}
