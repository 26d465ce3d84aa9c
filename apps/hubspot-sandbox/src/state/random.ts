/** Small seeded PRNG (mulberry32): deterministic data and replayable fault injection. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Power-law (Pareto-like) integer in [min, max]: most values small, a few large. */
  powerLaw(min: number, max: number, alpha = 1.6): number {
    const u = this.next();
    const lo = Math.pow(min + 1, 1 - alpha);
    const hi = Math.pow(max + 1, 1 - alpha);
    return Math.min(max, Math.max(min, Math.floor(Math.pow(lo + (hi - lo) * u, 1 / (1 - alpha)) - 1)));
  }
}
