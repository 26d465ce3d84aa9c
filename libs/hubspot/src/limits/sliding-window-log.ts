/** A request admitted by the log and not yet answered; `finish` it once when its response or error arrives. */
export interface InFlightSlot {
  readonly startedAt: number;
  finishedAt?: number;
}

/**
 * The slots of one rolling window, each occupied from the request's send until one full window after
 * its response (or error) arrived. HubSpot counts a request when it ARRIVES, and we never see that
 * instant; we only know it lies between our send and our response.
 *
 * Why this bounds arrivals whatever the network or event-loop delays (N = capacity, W = span ≥
 * HubSpot's interval): suppose N+1 arrivals fell inside one server window [a, a+W]. Take the one
 * admitted last, at s_j; its arrival is after its admission, so s_j ≤ a+W. Every other of them has
 * response_i ≥ arrival_i ≥ a ≥ s_j − W, so at s_j it was either still in flight or finished less than
 * W before — it occupied a slot. Admission at s_j thus saw N occupied slots and would have waited:
 * contradiction. Delays only make the sends we record earlier and the responses later than the real
 * ones, which occupies slots longer, never shorter. The proof needs no margin; `marginMs` still widens
 * the window for window-edge rounding on HubSpot's side and stays configurable.
 *
 * Finished entries are kept sorted by completion time (the instant they start leaving); in-flight ones
 * are only counted: they cannot leave until they finish.
 */
export class SlidingWindowLog {
  private finished: number[] = [];
  private inFlight = 0;

  constructor(
    public intervalMs: number,
    public marginMs = 0,
  ) {}

  get spanMs(): number {
    return this.intervalMs + this.marginMs;
  }

  /** Slots occupied at `now`: in flight, or finished within the enforced span before `now`. */
  count(now: number): number {
    this.prune(now);
    return this.inFlight + this.finished.length;
  }

  /** Requests admitted and not yet answered. */
  get inFlightCount(): number {
    return this.inFlight;
  }

  /** Takes a slot for a request about to be sent; it stays occupied until `finish` + span. */
  start(at: number): InFlightSlot {
    this.inFlight++;
    return { startedAt: at };
  }

  /** The response (or error, timeout, abort) of `slot` arrived at `at`. Idempotent. */
  finish(slot: InFlightSlot, at: number): void {
    if (slot.finishedAt !== undefined) return;
    slot.finishedAt = Math.max(at, slot.startedAt);
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.insertFinished(slot.finishedAt);
  }

  /** A request already answered at `at` (restores, phantoms, tests). */
  record(at: number): void {
    this.insertFinished(at);
  }

  /** Records `n` requests someone else made (learnt from `-Remaining`); they have arrived by `at`. */
  addPhantoms(n: number, at: number): void {
    for (let i = 0; i < n; i++) this.insertFinished(at);
  }

  /**
   * Earliest instant ≥ now at which one more request keeps the occupied slots below `capacity`.
   * Infinity when that needs more slots to leave than have finished: only a `finish` can free one,
   * and the caller re-checks then.
   */
  nextFreeAt(now: number, capacity: number): number {
    const n = this.count(now);
    if (n < capacity) return now;
    // (n - capacity + 1) finished entries must leave; the last of those leaves at its time + span.
    const mustLeave = n - capacity + 1;
    if (mustLeave > this.finished.length) return Infinity;
    return this.finished[mustLeave - 1] + this.spanMs;
  }

  /** Occupied slots as completion times; in-flight ones as if answered at `now` (hand-over). */
  snapshot(now: number): number[] {
    this.prune(now);
    return [...this.finished, ...Array<number>(this.inFlight).fill(now)];
  }

  restore(times: number[], now: number): void {
    for (const t of times) if (Number.isFinite(t) && t <= now) this.insertFinished(t);
    this.prune(now);
  }

  private insertFinished(at: number): void {
    // Kept sorted: completions mostly come in order, but phantoms/restores and late finishes interleave.
    const list = this.finished;
    if (list.length === 0 || list[list.length - 1] <= at) {
      list.push(at);
      return;
    }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid] <= at) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, at);
  }

  private prune(now: number): void {
    const cutoff = now - this.spanMs;
    let drop = 0;
    while (drop < this.finished.length && this.finished[drop] <= cutoff) drop++;
    if (drop) this.finished.splice(0, drop);
  }
}
