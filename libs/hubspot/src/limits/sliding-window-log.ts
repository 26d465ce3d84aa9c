/**
 * The send times of the last window, so "how many requests in any rolling window" is exact rather than
 * approximated by fixed buckets. `marginMs` widens the window we enforce beyond HubSpot's: HubSpot
 * counts arrivals, we count sends, and network jitter must not let two sends `interval` apart land
 * inside one of HubSpot's windows.
 */
export class SlidingWindowLog {
  private times: number[] = [];

  constructor(
    public intervalMs: number,
    public marginMs = 0,
  ) {}

  get spanMs(): number {
    return this.intervalMs + this.marginMs;
  }

  /** Requests sent within the enforced window ending at `now`. */
  count(now: number): number {
    this.prune(now);
    return this.times.length;
  }

  record(at: number): void {
    // Kept sorted: callers record at "now", which only grows, but phantoms/restores may interleave.
    if (this.times.length === 0 || this.times[this.times.length - 1] <= at) this.times.push(at);
    else {
      const i = this.times.findIndex((t) => t > at);
      this.times.splice(i, 0, at);
    }
  }

  /** Records `n` requests someone else made (learnt from `-Remaining`), as if sent at `at`. */
  addPhantoms(n: number, at: number): void {
    for (let i = 0; i < n; i++) this.record(at);
  }

  /** Earliest instant ≥ now at which one more request keeps the window at or below `capacity`. */
  nextFreeAt(now: number, capacity: number): number {
    const n = this.count(now);
    if (n < capacity) return now;
    // The window must lose (n - capacity + 1) entries; the last of those leaves at its time + span.
    const leaving = this.times[n - capacity];
    return leaving + this.spanMs;
  }

  snapshot(now: number): number[] {
    this.prune(now);
    return [...this.times];
  }

  restore(times: number[], now: number): void {
    for (const t of times) if (Number.isFinite(t) && t <= now) this.record(t);
    this.prune(now);
  }

  private prune(now: number): void {
    const cutoff = now - this.spanMs;
    let drop = 0;
    while (drop < this.times.length && this.times[drop] <= cutoff) drop++;
    if (drop) this.times.splice(0, drop);
  }
}
