import { BenchMode } from './bench-options';

/** Records per object type, as the sandbox seeder takes them (`sizes`). */
export type Sizes = Record<string, number>;

export const ENGAGEMENT_TYPES = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;

/** Issue 8 §1: 20 k companies, 100 k contacts, 30 k deals, 50 k engagements (split evenly over the five types). */
export const UNTHROTTLED_SIZES: Sizes = { companies: 20_000, contacts: 100_000, deals: 30_000, ...engagements(50_000) };

/** Same mix as `UNTHROTTLED_SIZES`, scaled to `total` records. */
export function mix(total: number): Sizes {
  const base = totalOf(UNTHROTTLED_SIZES);
  return Object.fromEntries(Object.entries(UNTHROTTLED_SIZES).map(([type, n]) => [type, Math.max(1, Math.round((n * total) / base))]));
}

export const SCENARIO_SIZES = {
  unthrottled: UNTHROTTLED_SIZES,
  /** Issue 8 §2: 60 k records. */
  throttled: mix(60_000),
  /** Issue 8 §3: a portal to keep fresh (its size only sets the base the live changes touch). */
  freshness: mix(5_000),
  /** Issue 8 §4: 12 portals of 5 k records. */
  scale: mix(5_000),
  /** Issue 8 §5: the 100 k backfill (the 1 M one is ×10, with --full). */
  memory: mix(100_000),
};

export const MODE_FACTOR: Record<BenchMode, number> = { quick: 0.1, default: 1, full: 1 };

export function scaled(sizes: Sizes, factor: number): Sizes {
  return Object.fromEntries(Object.entries(sizes).map(([type, n]) => [type, Math.max(1, Math.round(n * factor))]));
}

export function totalOf(sizes: Sizes): number {
  return Object.values(sizes).reduce((a, b) => a + b, 0);
}

function engagements(total: number): Sizes {
  return Object.fromEntries(ENGAGEMENT_TYPES.map((t) => [t, total / ENGAGEMENT_TYPES.length]));
}
