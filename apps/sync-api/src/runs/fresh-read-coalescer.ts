/**
 * Shares one read between concurrent requests for the same key without serving anything older than
 * the request: a request that arrives while a read of its key is under way does not join that read
 * (it may have started before the caller's own write committed); it waits for it to end and shares
 * the next one with every other request that arrived meanwhile. So a client that polls right after
 * its POST still sees its write, and N clients polling one organization cost about one query per
 * read duration instead of N. Errors reach every request of the failed read.
 */
export class FreshReadCoalescer<T> {
  private readonly reads = new Map<string, { current: Promise<T>; next?: Promise<T> }>();

  read(key: string, load: () => Promise<T>): Promise<T> {
    const state = this.reads.get(key);
    if (!state) return this.start(key, load);
    if (!state.next) {
      state.next = state.current.then(
        () => this.promote(key, load),
        () => this.promote(key, load),
      );
    }
    return state.next;
  }

  /** Keys with a read under way (bounded by the concurrent requests, emptied when reads end). */
  get inFlight(): number {
    return this.reads.size;
  }

  private start(key: string, load: () => Promise<T>): Promise<T> {
    const state: { current: Promise<T>; next?: Promise<T> } = { current: Promise.resolve().then(load) };
    this.reads.set(key, state);
    const settle = () => {
      // The key stays registered while a queued read is about to take over (see promote).
      if (this.reads.get(key) === state && !state.next) this.reads.delete(key);
    };
    state.current.then(settle, settle);
    return state.current;
  }

  private promote(key: string, load: () => Promise<T>): Promise<T> {
    this.reads.delete(key);
    return this.start(key, load);
  }
}
