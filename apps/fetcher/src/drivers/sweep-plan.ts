/**
 * The arithmetic of the per-portal search scheduler for continuous sweeps (issue 5 §3): every
 * object type wants an edge sweep every EDGE_INTERVAL, but N types × (1 / interval) must stay within
 * the share of the search budget edge sweeps plan with; quiet types back off, hot ones go first.
 */
export interface PlannedStream {
  nextEdgeAt: number;
  nextLagAt: number;
  lastChangeAt: number;
  running: boolean;
}

/** Share of the portal's search budget edge sweeps plan with (the limiter's lanes enforce the rest). */
export const EDGE_BUDGET_SHARE = 0.5;
/** A type with no changes is swept at most this many times less often than the target. */
export const COLD_BACKOFF_FACTOR = 8;

/**
 * Shortest interval between two edge sweeps of one type so that `streams` types together use at most
 * EDGE_BUDGET_SHARE of `searchPerSecond` (each sweep costs at least one search request).
 */
export function edgeFloorMs(streams: number, searchPerSecond: number): number {
  return Math.ceil((streams * 1000) / Math.max(0.25, searchPerSecond * EDGE_BUDGET_SHARE));
}

/** After a sweep: back to the target when it found changes, else twice as long (up to 8× the target). */
export function nextEdgeInterval(currentMs: number, foundChanges: boolean, targetMs: number): number {
  return foundChanges ? targetMs : Math.min(currentMs * 2, targetMs * COLD_BACKOFF_FACTOR);
}

/** Streams due for a sweep now, hottest (most recent change) first, then the most overdue. */
export function dueStreams<T extends PlannedStream>(streams: Iterable<T>, now: number): T[] {
  return [...streams]
    .filter((s) => !s.running && (s.nextEdgeAt <= now || s.nextLagAt <= now))
    .sort((a, b) => b.lastChangeAt - a.lastChangeAt || a.nextEdgeAt - b.nextEdgeAt);
}
