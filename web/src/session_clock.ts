// The session's clock on the dashboard, without the DOM: how long is left, when to warn, when it is over.
// The server says how many seconds are left (GET /api/session, POST /api/session/extend); the page counts
// down from when it heard that, so the person's own clock does not matter.

/** Warn this long before the end, with a button that extends the session. */
export const WARN_SECONDS = 120;

export interface ClockView {
  /** What the timer shows: m:ss, or h:mm:ss from an hour up. */
  text: string;
  secondsLeft: number;
  warn: boolean;
  expired: boolean;
}

export function formatLeft(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export class SessionClock {
  private endsAt: number;

  /** `secondsLeft` as the server said it at `nowMs` (the page's monotonic-ish Date.now()). */
  constructor(secondsLeft: number, nowMs: number) {
    this.endsAt = nowMs + Math.max(0, secondsLeft) * 1000;
  }

  /** The server moved the end (an extension or any other call that touched the session). */
  reset(secondsLeft: number, nowMs: number): void {
    this.endsAt = nowMs + Math.max(0, secondsLeft) * 1000;
  }

  view(nowMs: number): ClockView {
    const secondsLeft = Math.max(0, Math.ceil((this.endsAt - nowMs) / 1000));
    return { text: formatLeft(secondsLeft), secondsLeft, warn: secondsLeft > 0 && secondsLeft <= WARN_SECONDS, expired: secondsLeft === 0 };
  }
}

/** Why the login page is shown again, from its ?reason= (set by the dashboard when it sends the person there). */
export type LeaveReason = 'SESSION_EXPIRED' | 'signed-out';
export function leaveReason(search: string): LeaveReason | null {
  const r = new URLSearchParams(search).get('reason');
  return r === 'SESSION_EXPIRED' || r === 'signed-out' ? r : null;
}
