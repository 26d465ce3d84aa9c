import { Pool } from 'pg';
import { num } from './bench-stack';

/**
 * "Synced" means committed in PostgreSQL (issue 8): these count rows another connection can see,
 * i.e. committed ones, in the mirror and, separately, in the mapped Stanna model.
 */
export async function mirrorRows(db: Pool, organizationUid: string): Promise<number> {
  const r = await db.query(`SELECT count(*) AS n FROM hubspot.objects WHERE organization_uid = $1 AND NOT archived`, [organizationUid]);
  return num(r.rows[0].n);
}

export async function mirrorAssociations(db: Pool, organizationUid: string): Promise<number> {
  const r = await db.query(`SELECT count(*) AS n FROM hubspot.associations WHERE organization_uid = $1`, [organizationUid]);
  return num(r.rows[0].n);
}

/** Rows in the mapped model plus records the mapper skipped with a reason (those never become rows). */
export async function mappedRows(db: Pool, organizationUid: string): Promise<{ mapped: number; skipped: number }> {
  const r = await db.query(
    `SELECT (SELECT count(*) FROM stanna.clients WHERE organization_uid = $1)
          + (SELECT count(*) FROM stanna.stakeholders WHERE organization_uid = $1)
          + (SELECT count(*) FROM stanna.deals WHERE organization_uid = $1)
          + (SELECT count(*) FROM stanna.activities WHERE organization_uid = $1) AS mapped,
            (SELECT count(DISTINCT (object_type, object_id)) FROM sync.skipped_records WHERE organization_uid = $1) AS skipped`,
    [organizationUid],
  );
  return { mapped: num(r.rows[0].mapped), skipped: num(r.rows[0].skipped) };
}

export interface WaitResult {
  /** Epoch ms when the count was first seen at or above the target; null when it never got there. */
  reachedAt: number | null;
  last: number;
  /** Why it stopped waiting without reaching the target. */
  reason?: string;
}

export interface WaitOptions {
  target: number;
  count: () => Promise<number>;
  /** Give up after this long overall. */
  timeoutMs: number;
  /** Give up when the count has not moved for this long. */
  stallMs: number;
  log?: (line: string) => void;
  label: string;
  /** Extra context for the stall/timeout message (e.g. the ingest status). */
  diagnose?: () => Promise<string>;
}

/**
 * Polls `count` until it reaches `target`: every second while far away, every 200 ms once the
 * current rate says the target is under 3 s away, so the finish time is accurate to ~0.2 s without
 * counting a large table several times a second for the whole run.
 */
export async function waitForCount(options: WaitOptions): Promise<WaitResult> {
  const start = Date.now();
  let last = -1;
  let lastChange = start;
  let lastLog = 0;
  for (;;) {
    const now = Date.now();
    const value = await options.count();
    if (value >= options.target) return { reachedAt: Date.now(), last: value };
    if (value !== last) {
      last = value;
      lastChange = now;
    }
    if (now - lastLog >= 10_000) {
      lastLog = now;
      options.log?.(`${options.label}: ${value}/${options.target} after ${Math.round((now - start) / 1000)} s`);
    }
    const stalled = now - lastChange >= options.stallMs;
    const timedOut = now - start >= options.timeoutMs;
    if (stalled || timedOut) {
      const why = stalled ? `no progress for ${Math.round(options.stallMs / 1000)} s` : `timed out after ${Math.round(options.timeoutMs / 1000)} s`;
      const context = options.diagnose ? await options.diagnose().catch((e: Error) => `(diagnosis failed: ${e.message})`) : '';
      return { reachedAt: null, last: Math.max(value, 0), reason: `${options.label} stopped at ${value}/${options.target}: ${why}${context ? ` — ${context}` : ''}` };
    }
    const elapsedS = (now - start) / 1000;
    const rate = elapsedS > 0 ? value / elapsedS : 0;
    const remainingS = rate > 0 ? (options.target - value) / rate : Infinity;
    await sleep(remainingS < 3 ? 200 : 1000);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
