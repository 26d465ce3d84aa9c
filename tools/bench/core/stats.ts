/** Summary of one figure over the repeats of a scenario. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/** Median of the finite numbers (mean of the middle two for an even count); null when there are none. */
export function median(values: readonly number[]): number | null {
  const sorted = finite(values).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Nearest-rank percentile (p in 0–100) of the finite numbers: the smallest value with at least p% of
 * the values at or below it, so p95 of latencies is a latency some change really had.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (p < 0 || p > 100) throw new Error(`percentile must be between 0 and 100, got ${p}`);
  const sorted = finite(values).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function spread(values: readonly (number | null | undefined)[]): Spread | null {
  const runs = finite(values);
  if (runs.length === 0) return null;
  return { median: median(runs) as number, min: Math.min(...runs), max: Math.max(...runs), runs };
}

/** Rounds for the report (figures carry no more precision than the measurement has). */
export function round(value: number | null | undefined, digits = 2): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function ratio(numerator: number | null | undefined, denominator: number | null | undefined): number | null {
  if (numerator === null || numerator === undefined || denominator === null || denominator === undefined) return null;
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) return null;
  return numerator / denominator;
}

function finite(values: readonly (number | null | undefined)[]): number[] {
  return values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}
