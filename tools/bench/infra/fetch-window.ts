import { Pool } from 'pg';

/** Seconds between the first object type's fetch start and the last one's fetch end of a run (sync.object_runs, fetcher-owned columns). */
export async function fetchWindowSeconds(db: Pool, runId: string): Promise<number | null> {
  const r = await db.query<{ s: string | null }>(
    `SELECT extract(epoch FROM max(fetch_finished_at) - min(fetch_started_at)) AS s FROM sync.object_runs WHERE run_id = $1 HAVING bool_and(fetch_finished_at IS NOT NULL)`,
    [runId],
  );
  const s = r.rows[0]?.s;
  return s === null || s === undefined ? null : Number(s);
}
