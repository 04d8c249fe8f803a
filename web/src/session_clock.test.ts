import { describe, expect, it } from 'vitest';
import { SessionClock, WARN_SECONDS, formatLeft, leaveReason } from './session_clock';

describe('SessionClock', () => {
  it('counts down from what the server said, warns two minutes before the end, then ends', () => {
    const c = new SessionClock(900, 1_000_000);
    expect(c.view(1_000_000)).toEqual({ text: '15:00', secondsLeft: 900, warn: false, expired: false });
    expect(c.view(1_000_000 + (900 - WARN_SECONDS - 1) * 1000).warn).toBe(false);
    expect(c.view(1_000_000 + (900 - WARN_SECONDS) * 1000)).toMatchObject({ text: '2:00', warn: true, expired: false });
    expect(c.view(1_000_000 + 899_500)).toMatchObject({ text: '0:01', warn: true });
    expect(c.view(1_000_000 + 900_000)).toMatchObject({ text: '0:00', warn: false, expired: true });
    expect(c.view(1_000_000 + 999_000).expired).toBe(true);
  });
  it('starts again from an extension', () => {
    const c = new SessionClock(60, 0);
    expect(c.view(0).warn).toBe(true);
    c.reset(900, 30_000);
    expect(c.view(30_000)).toMatchObject({ text: '15:00', warn: false });
  });
  it('shows hours when there are', () => {
    expect(formatLeft(8 * 3600)).toBe('8:00:00');
    expect(formatLeft(3661)).toBe('1:01:01');
    expect(formatLeft(59)).toBe('0:59');
    expect(formatLeft(-5)).toBe('0:00');
  });
});

describe('leaveReason', () => {
  it('knows only the reasons the dashboard gives', () => {
    expect(leaveReason('?reason=SESSION_EXPIRED')).toBe('SESSION_EXPIRED');
    expect(leaveReason('?reason=signed-out')).toBe('signed-out');
    expect(leaveReason('?reason=<script>')).toBeNull();
    expect(leaveReason('')).toBeNull();
  });
});
