// The small observable state every page flow is made of (the certificate login, the password login and its
// forced change, 忘記密碼, 重設密碼): one current state, replaced whole, and listeners told of each change.
// The flows hold the logic; the pages only subscribe and draw.

export class Flow<S> {
  #current: S;
  readonly #listeners = new Set<(s: S) => void>();

  constructor(initial: S) {
    this.#current = initial;
  }

  get state(): S {
    return this.#current;
  }

  subscribe(fn: (s: S) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  protected set(s: S): void {
    this.#current = s;
    for (const fn of this.#listeners) fn(s);
  }
}
