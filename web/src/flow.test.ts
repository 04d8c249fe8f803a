import { describe, expect, it } from 'vitest';
import { Flow } from './flow';

class Counter extends Flow<{ n: number }> {
  constructor() {
    super({ n: 0 });
  }
  bump(): void {
    this.set({ n: this.state.n + 1 });
  }
}

describe('Flow', () => {
  it('starts in its first state and tells every listener of each new one, until they leave', () => {
    const c = new Counter();
    expect(c.state).toEqual({ n: 0 });
    const a: number[] = [];
    const b: number[] = [];
    const leaveA = c.subscribe((s) => a.push(s.n));
    c.subscribe((s) => b.push(s.n));
    c.bump();
    leaveA();
    c.bump();
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
    expect(c.state).toEqual({ n: 2 });
  });
});
