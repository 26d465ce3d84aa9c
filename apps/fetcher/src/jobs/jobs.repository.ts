import { Injectable } from '@nestjs/common';
import { SyncJobKind, SyncJobRow } from '@hubsync/contracts';
import { DataSource } from 'typeorm';
import { FencedOutError } from '../checkpoints/fenced-out.error';
import { returnedRows } from '../checkpoints/sql';

/**
 * `sync.jobs` from the driver's side (DESIGN §5): claim with FOR UPDATE SKIP LOCKED, finish — both
 * fenced by the lease revision. A `running` job of the portal is claimable too: its driver died or
 * handed the portal over, and the new driver resumes it from its checkpoints.
 */
@Injectable()
export class JobsRepository {
  constructor(private readonly db: DataSource) {}

  async claimNext(portalId: string, fence: number, kinds: SyncJobKind[], excludeIds: string[]): Promise<SyncJobRow | null> {
    return this.db.transaction(async (tx) => {
      const picked = await tx.query(
        `SELECT id FROM sync.jobs
          WHERE portal_id = $1 AND status IN ('queued','running') AND fence <= $2 AND kind = ANY($3::text[]) AND NOT (id = ANY($4::uuid[]))
          ORDER BY (status = 'running') DESC, created_at
          LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [portalId, fence, kinds, excludeIds],
      );
      if (picked.length === 0) return null;
      const rows = returnedRows<SyncJobRow>(
        await tx.query(
          `UPDATE sync.jobs SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now()), fence = $2
            WHERE id = $1 AND fence <= $2
            RETURNING id, organization_uid, connection_id, portal_id, kind, object_types, filters, mode, status, attempts, run_id,
                      error_message, created_at, started_at, finished_at`,
          [picked[0].id, fence],
        ),
      );
      return (rows[0] as SyncJobRow) ?? null;
    });
  }

  /**
   * Claims every open `fetch_by_ids` job of the portal at once (up to `limit`, oldest first): the
   * driver merges their ids per connection and object type into batch reads, so a steady stream of
   * webhook deliveries costs a few requests per round instead of one job round-trip each.
   */
  async claimIdJobs(portalId: string, fence: number, excludeIds: string[], limit: number): Promise<SyncJobRow[]> {
    const rows = returnedRows<SyncJobRow>(
      await this.db.query(
        `WITH picked AS (
           SELECT id FROM sync.jobs
            WHERE portal_id = $1 AND status IN ('queued','running') AND fence <= $2 AND kind = 'fetch_by_ids' AND NOT (id = ANY($3::uuid[]))
            ORDER BY created_at
            LIMIT $4 FOR UPDATE SKIP LOCKED)
         UPDATE sync.jobs j SET status = 'running', attempts = j.attempts + 1, started_at = COALESCE(j.started_at, now()), fence = $2
           FROM picked WHERE j.id = picked.id AND j.fence <= $2
         RETURNING j.id, j.organization_uid, j.connection_id, j.portal_id, j.kind, j.object_types, j.filters, j.mode, j.status, j.attempts, j.run_id,
                   j.error_message, j.created_at, j.started_at, j.finished_at`,
        [portalId, fence, excludeIds, limit],
      ),
    );
    return rows.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime());
  }

  /** Finishes claimed jobs together (a merged read); fenced like `finish`. */
  async finishMany(jobIds: string[], fence: number, outcome: 'done' | 'failed', error: string | null): Promise<void> {
    if (jobIds.length === 0) return;
    const rows = returnedRows(
      await this.db.query(
        `UPDATE sync.jobs SET status = $2, error_message = $3, finished_at = now(), fence = $4
          WHERE id = ANY($1::uuid[]) AND fence <= $4 AND status IN ('queued','running')
          RETURNING id`,
        [jobIds, outcome, error ? error.slice(0, 2000) : null, fence],
      ),
    );
    if (rows.length < jobIds.length) throw new FencedOutError(`${jobIds.length - rows.length} of ${jobIds.length} jobs (${jobIds[0]}…)`, fence);
  }

  async finish(jobId: string, fence: number, outcome: 'done' | 'failed', error: string | null): Promise<void> {
    const rows = returnedRows(
      await this.db.query(
        `UPDATE sync.jobs SET status = $2, error_message = $3, finished_at = now(), fence = $4
          WHERE id = $1 AND fence <= $4 AND status IN ('queued','running')
          RETURNING run_id`,
        [jobId, outcome, error ? error.slice(0, 2000) : null, fence],
      ),
    );
    if (rows.length === 0) throw new FencedOutError(`job ${jobId}`, fence);
    const runId = rows[0].run_id as string | null;
    if (runId && outcome === 'failed') {
      await this.db.query(`UPDATE sync.runs SET status = 'failed', finished_at = now() WHERE id = $1 AND status = 'running'`, [runId]);
    }
  }

  /** Takes over the fence of the portal's open jobs (adoption), so a paused predecessor's writes fail. */
  async fencePortal(portalId: string, fence: number): Promise<void> {
    await this.db.query(`UPDATE sync.jobs SET fence = $2 WHERE portal_id = $1 AND status IN ('queued','running') AND fence <= $2`, [portalId, fence]);
  }

  /** A job the fetcher queues itself (a new property → backfill of its stream). Skipped if one is already open. */
  async enqueue(job: { organizationUid: string; connectionId: string; portalId: string; kind: SyncJobKind; objectTypes: string[] }): Promise<string | null> {
    const rows = returnedRows(await this.db.query(
      `INSERT INTO sync.jobs (organization_uid, connection_id, portal_id, kind, object_types, source)
       SELECT $1, $2, $3, $4, $5, 'fetcher'
        WHERE NOT EXISTS (SELECT 1 FROM sync.jobs WHERE connection_id = $2 AND kind = $4 AND object_types = $5 AND status IN ('queued','running'))
       RETURNING id`,
      [job.organizationUid, job.connectionId, job.portalId, job.kind, job.objectTypes],
    ));
    return rows[0]?.id ?? null;
  }

  async openJobCount(portalId: string): Promise<number> {
    const rows = await this.db.query(`SELECT count(*)::int AS n FROM sync.jobs WHERE portal_id = $1 AND status IN ('queued','running')`, [portalId]);
    return rows[0]?.n ?? 0;
  }

  async connectionOf(portalId: string): Promise<{ organizationUid: string; connectionId: string } | null> {
    const rows = await this.db.query(
      `SELECT organization_uid, connection_id FROM (
         SELECT organization_uid, connection_id, created_at FROM sync.jobs WHERE portal_id = $1
         UNION ALL SELECT organization_uid, connection_id, created_at FROM sync.fetch_streams WHERE portal_id = $1
       ) c ORDER BY created_at DESC LIMIT 1`,
      [portalId],
    );
    return rows[0] ? { organizationUid: rows[0].organization_uid, connectionId: rows[0].connection_id } : null;
  }
}
