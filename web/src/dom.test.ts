import { describe, expect, it } from 'vitest';
import { byId, type ElementSource } from './dom';

describe('byId', () => {
  const main = { id: 'main' } as unknown as HTMLElement;
  const page: ElementSource = { getElementById: (id) => (id === 'main' ? main : null) };

  it('finds an element by its id', () => {
    expect(byId('main', page)).toBe(main);
  });

  it('names the missing id instead of handing back null', () => {
    expect(() => byId('pin', page)).toThrow('missing #pin');
  });
});
