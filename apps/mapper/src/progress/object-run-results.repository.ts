import { Injectable } from '@nestjs/common';
import { Sql } from '../database/mapper-database';
import { jsonParam } from '../database/json-param';

export interface RecordOutcome {
  id: string;
  skipped: boolean;
}

/**
 * The mapper's result columns of `sync.object_runs` (DESIGN §5): batches_committed, total_synced,
 * total_skipped, status, error_message — written in the batch's own transaction.
 */
@Injectable()
export class ObjectRunResultsRepository {
  /**
   * Counts one committed batch of a run. Records are counted once per run and object type (a record
   * seen by two overlapping sweeps is one record; a record skipped then fixed moves from skipped to
   * synced). Batches of one run and type are serialised at this point by an advisory lock, so two
   * concurrent batches holding the same record cannot both count it. Marks the object completed when
   * the fetcher has finished and this was the last published batch.
   */
  async commitBatch(sql: Sql, runId: string, organizationUid: string, objectType: string, outcomes: RecordOutcome[]): Promise<string | null> {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 727275))`, [`object-run:${runId}:${objectType}`]);
    const rows = await sql.query<{ status: string }>(
      `WITH input AS (
         SELECT DISTINCT ON (x.id) x.id, x.skipped FROM jsonb_to_recordset($4::jsonb) AS x(id text, skipped boolean)
       ), run AS (
         SELECT id FROM sync.runs WHERE id = $1
       ), prev AS (
         SELECT r.object_id, r.skipped FROM sync.run_records r JOIN input i ON i.id = r.object_id
          WHERE r.run_id = $1 AND r.object_type = $3
       ), upsert AS (
         INSERT INTO sync.run_records (run_id, object_type, object_id, organization_uid, skipped)
         SELECT $1, $3, i.id, $2, i.skipped FROM input i WHERE EXISTS (SELECT 1 FROM run)
         ORDER BY i.id
         ON CONFLICT (run_id, object_type, object_id) DO UPDATE SET skipped = excluded.skipped
          WHERE sync.run_records.skipped IS DISTINCT FROM excluded.skipped
       ), delta AS (
         SELECT
           (count(*) FILTER (WHERE NOT i.skipped AND p.object_id IS NULL) + count(*) FILTER (WHERE NOT i.skipped AND p.skipped)
             - count(*) FILTER (WHERE i.skipped AND p.skipped = false))::int AS synced,
           (count(*) FILTER (WHERE i.skipped AND p.object_id IS NULL) + count(*) FILTER (WHERE i.skipped AND p.skipped = false)
             - count(*) FILTER (WHERE NOT i.skipped AND p.skipped))::int AS skipped
         FROM input i LEFT JOIN prev p ON p.object_id = i.id
       )
       INSERT INTO sync.object_runs AS o (run_id, organization_uid, object_type, batches_committed, total_synced, total_skipped, status)
       SELECT $1, $2, $3, 1, d.synced, d.skipped, 'syncing' FROM delta d WHERE EXISTS (SELECT 1 FROM run)
       ON CONFLICT (run_id, object_type) DO UPDATE SET
         batches_committed = o.batches_committed + 1,
         total_synced = o.total_synced + excluded.total_synced,
         total_skipped = o.total_skipped + excluded.total_skipped,
         status = CASE
           WHEN o.status = 'failed' THEN 'failed'
           WHEN o.fetch_finished_at IS NOT NULL AND o.fetch_error IS NULL AND o.batches_committed + 1 >= o.batches_published THEN 'completed'
           ELSE 'syncing' END,
         completed_at = CASE
           WHEN o.status <> 'failed' AND o.fetch_finished_at IS NOT NULL AND o.fetch_error IS NULL AND o.batches_committed + 1 >= o.batches_published
             THEN COALESCE(o.completed_at, now())
           ELSE o.completed_at END,
         updated_at = now()
       RETURNING o.status`,
      [runId, organizationUid, objectType, jsonParam(outcomes)],
    );
    return rows[0]?.status ?? null;
  }

  /** Counts a committed batch that carries no records of its own (association batches) on an existing row. */
  async commitEmptyBatch(sql: Sql, runId: string, objectType: string): Promise<void> {
    await sql.query(
      `UPDATE sync.object_runs o SET
         batches_committed = o.batches_committed + 1,
         status = CASE
           WHEN o.status = 'failed' THEN 'failed'
           WHEN o.fetch_finished_at IS NOT NULL AND o.fetch_error IS NULL AND o.batches_committed + 1 >= o.batches_published THEN 'completed'
           ELSE 'syncing' END,
         completed_at = CASE
           WHEN o.status <> 'failed' AND o.fetch_finished_at IS NOT NULL AND o.fetch_error IS NULL AND o.batches_committed + 1 >= o.batches_published
             THEN COALESCE(o.completed_at, now())
           ELSE o.completed_at END,
         updated_at = now()
       WHERE o.run_id = $1 AND o.object_type = $2
       RETURNING 1`,
      [runId, objectType],
    );
  }

  /**
   * The other order of the completion protocol: the fetcher sets `fetch_finished_at` after the mapper
   * committed the last batch, or finishes with zero batches, or fails. Run periodically.
   */
  async settle(sql: Sql): Promise<{ completed: number; failed: number; reopened: number }> {
    const completed = await sql.query(
      `UPDATE sync.object_runs SET status = 'completed', completed_at = COALESCE(completed_at, now()), updated_at = now()
        WHERE status IN ('pending','syncing') AND fetch_finished_at IS NOT NULL AND fetch_error IS NULL
          AND batches_committed >= batches_published
        RETURNING 1`,
    );
    const failed = await sql.query(
      `UPDATE sync.object_runs SET status = 'failed', error_message = 'fetch failed: ' || fetch_error, updated_at = now()
        WHERE status IN ('pending','syncing') AND fetch_error IS NOT NULL AND batches_committed >= batches_published
        RETURNING 1`,
    );
    // The fetcher retried an object it had failed (it clears fetch_error when it starts again).
    const reopened = await sql.query(
      `UPDATE sync.object_runs SET status = 'syncing', error_message = NULL, updated_at = now()
        WHERE status = 'failed' AND fetch_error IS NULL AND fetch_finished_at IS NULL AND error_message LIKE 'fetch failed: %'
        RETURNING 1`,
    );
    // A run ends when its jobs are done and every object run has settled: `failed` if any object
    // failed, else `completed` (the fetcher already marks a run failed when one of its jobs fails).
    await sql.query(
      `UPDATE sync.runs r
          SET status = CASE WHEN EXISTS (SELECT 1 FROM sync.object_runs o WHERE o.run_id = r.id AND o.status = 'failed') THEN 'failed' ELSE 'completed' END,
              finished_at = now()
        WHERE r.status = 'running'
          AND EXISTS (SELECT 1 FROM sync.object_runs o WHERE o.run_id = r.id)
          AND NOT EXISTS (SELECT 1 FROM sync.object_runs o WHERE o.run_id = r.id AND o.status IN ('pending','syncing'))
          AND NOT EXISTS (SELECT 1 FROM sync.jobs j WHERE j.run_id = r.id AND j.status IN ('queued','running'))`,
    );
    return { completed: completed.length, failed: failed.length, reopened: reopened.length };
  }

  /** A batch that can never be processed (invalid payload): the object fails with the reason. */
  async failObject(sql: Sql, runId: string, objectType: string, message: string): Promise<void> {
    await sql.query(
      `UPDATE sync.object_runs SET status = 'failed', error_message = $3, updated_at = now() WHERE run_id = $1 AND object_type = $2 RETURNING 1`,
      [runId, objectType, message.slice(0, 2000)],
    );
  }
}
