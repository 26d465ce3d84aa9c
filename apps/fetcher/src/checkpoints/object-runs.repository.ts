import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FencedOutError } from './fenced-out.error';
import { returnedRows, Sql } from './sql';

/** What a fetch step adds to an object run's fetch columns. */
export interface ObjectRunProgress {
  phase?: string;
  pages?: number;
  requests?: number;
  http429?: number;
  /** Search `total` (an estimate for progress). */
  estimate?: number;
  /** Absolute: batches published so far (the mapper completes when it has committed as many). */
  batchesPublished?: number;
}

/**
 * The fetch columns of `sync.object_runs` (DESIGN §5): phase, pages, requests, 429s, estimate,
 * batches_published, fetch_started_at / fetch_finished_at, fetch_error. The mapper owns the result
 * columns and is never touched here. Every write is fenced by the lease revision.
 */
@Injectable()
export class ObjectRunsRepository {
  constructor(private readonly db: DataSource) {}

  async start(runId: string, organizationUid: string, objectType: string, fence: number, phase: string, sql: Sql = this.db): Promise<void> {
    const rows = returnedRows(await sql.query(
      `INSERT INTO sync.object_runs (run_id, organization_uid, object_type, phase, fetch_started_at, fence)
       VALUES ($1, $2, $3, $4, now(), $5)
       ON CONFLICT (run_id, object_type) DO UPDATE
         SET phase = EXCLUDED.phase, fetch_started_at = COALESCE(sync.object_runs.fetch_started_at, now()),
             fetch_error = NULL, fence = EXCLUDED.fence, updated_at = now()
       WHERE sync.object_runs.fence <= EXCLUDED.fence
       RETURNING 1`,
      [runId, organizationUid, objectType, phase, fence],
    ));
    if (rows.length === 0) throw new FencedOutError(`object run ${objectType}`, fence);
  }

  async progress(runId: string, objectType: string, progress: ObjectRunProgress, fence: number, sql: Sql = this.db): Promise<void> {
    const rows = returnedRows(await sql.query(
      `UPDATE sync.object_runs
          SET phase = COALESCE($3, phase),
              pages = pages + $4,
              requests = requests + $5,
              http_429 = http_429 + $6,
              estimate = COALESCE($7, estimate),
              batches_published = GREATEST(batches_published, COALESCE($8, batches_published)),
              fence = $9,
              updated_at = now()
        WHERE run_id = $1 AND object_type = $2 AND fence <= $9
        RETURNING 1`,
      [runId, objectType, progress.phase ?? null, progress.pages ?? 0, progress.requests ?? 0, progress.http429 ?? 0, progress.estimate ?? null, progress.batchesPublished ?? null, fence],
    ));
    if (rows.length === 0) throw new FencedOutError(`object run ${objectType}`, fence);
  }

  /** All batches of this object type are published (or it failed, with the reason). */
  async finish(runId: string, objectType: string, fence: number, error: string | null, sql: Sql = this.db): Promise<void> {
    const rows = returnedRows(await sql.query(
      `UPDATE sync.object_runs
          SET phase = $3, fetch_finished_at = CASE WHEN $4::text IS NULL THEN now() ELSE fetch_finished_at END,
              fetch_error = $4, fence = $5, updated_at = now()
        WHERE run_id = $1 AND object_type = $2 AND fence <= $5
        RETURNING 1`,
      [runId, objectType, error ? 'failed' : 'fetched', error ? error.slice(0, 2000) : null, fence],
    ));
    if (rows.length === 0) throw new FencedOutError(`object run ${objectType}`, fence);
  }

  /** A failed job: object types of its run still fetching get the job's error (status shows them failed). */
  async failOpen(runId: string, message: string, fence: number): Promise<void> {
    await this.db.query(
      `UPDATE sync.object_runs SET phase = 'failed', fetch_error = $2, fence = $3, updated_at = now()
        WHERE run_id = $1 AND fetch_finished_at IS NULL AND fetch_error IS NULL AND fence <= $3`,
      [runId, message.slice(0, 2000), fence],
    );
  }

  async batchesPublished(runId: string, objectType: string): Promise<number> {
    const rows = returnedRows(await this.db.query(`SELECT batches_published FROM sync.object_runs WHERE run_id = $1 AND object_type = $2`, [runId, objectType]));
    return rows[0]?.batches_published ?? 0;
  }

  async isFinished(runId: string, objectType: string): Promise<boolean> {
    const rows = returnedRows(await this.db.query(`SELECT fetch_finished_at FROM sync.object_runs WHERE run_id = $1 AND object_type = $2`, [runId, objectType]));
    return !!rows[0]?.fetch_finished_at;
  }

  /** Takes over the fence of every unfinished object run of the portal's jobs (adoption). */
  async fencePortal(portalId: string, fence: number): Promise<void> {
    await this.db.query(
      `UPDATE sync.object_runs o SET fence = $2
        WHERE o.fence <= $2 AND o.run_id IN (SELECT run_id FROM sync.jobs WHERE portal_id = $1 AND status IN ('queued','running') AND run_id IS NOT NULL)`,
      [portalId, fence],
    );
  }
}
