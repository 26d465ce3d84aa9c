/**
 * "Full jitter" exponential backoff: a uniformly random delay in [0, min(cap, base × 2^attempt)).
 * Spreading retries uniformly avoids synchronised retry waves after a shared failure.
 */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
