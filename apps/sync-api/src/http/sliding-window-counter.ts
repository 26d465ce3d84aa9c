/**
 * Requests per key over a sliding window, counted in fixed one-second buckets: memory per key is
 * bounded by the window's bucket count (not by the request rate, as a list of timestamps would be),
 * and a check costs O(buckets) at worst. Keys idle for a whole window are dropped by `sweep`.
 */
export class SlidingWindowCounter {
  private readonly buckets = new Map<string, { counts: Uint32Array; stamps: Float64Array }>();
  private readonly bucketCount: number;

  constructor(
    private readonly windowMs: number,
    private readonly bucketMs = 1_000,
  ) {
    if (!(windowMs > 0) || !(bucketMs > 0) || windowMs % bucketMs !== 0) throw new Error('windowMs must be a positive multiple of bucketMs');
    this.bucketCount = windowMs / bucketMs;
  }

  /** Requests of `key` counted inside the window ending at `now`. */
  count(key: string, now: number): number {
    const entry = this.buckets.get(key);
    if (!entry) return 0;
    const current = Math.floor(now / this.bucketMs);
    let total = 0;
    for (let i = 0; i < this.bucketCount; i++) if (current - entry.stamps[i] < this.bucketCount) total += entry.counts[i];
    return total;
  }

  /** Counts one request of `key` at `now`. */
  add(key: string, now: number): void {
    let entry = this.buckets.get(key);
    if (!entry) {
      entry = { counts: new Uint32Array(this.bucketCount), stamps: new Float64Array(this.bucketCount).fill(-Infinity) };
      this.buckets.set(key, entry);
    }
    const current = Math.floor(now / this.bucketMs);
    const slot = current % this.bucketCount;
    if (entry.stamps[slot] !== current) {
      entry.stamps[slot] = current;
      entry.counts[slot] = 0;
    }
    entry.counts[slot]++;
  }

  /** Milliseconds until the oldest counted request of `key` leaves the window (0 when none is counted). */
  msUntilOldestExpires(key: string, now: number): number {
    const entry = this.buckets.get(key);
    if (!entry) return 0;
    const current = Math.floor(now / this.bucketMs);
    let oldest = Infinity;
    for (let i = 0; i < this.bucketCount; i++) {
      if (entry.counts[i] > 0 && current - entry.stamps[i] < this.bucketCount) oldest = Math.min(oldest, entry.stamps[i]);
    }
    if (oldest === Infinity) return 0;
    return Math.max(0, (oldest + this.bucketCount) * this.bucketMs - now);
  }

  /** Drops keys with nothing inside the window, so memory follows the keys active in the last window. */
  sweep(now: number): void {
    const current = Math.floor(now / this.bucketMs);
    for (const [key, entry] of this.buckets) {
      let newest = -Infinity;
      for (let i = 0; i < this.bucketCount; i++) if (entry.counts[i] > 0) newest = Math.max(newest, entry.stamps[i]);
      if (current - newest >= this.bucketCount) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
