import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface RunRow {
  id: string;
  organization_uid: string;
  connection_id: string;
  portal_id: string;
  kind: string;
  mode: string | null;
  status: 'running' | 'completed' | 'failed';
  created_at: Date;
  finished_at: Date | null;
  /** Aggregated from the run's jobs. */
  job_status: 'queued' | 'running' | 'done' | 'failed' | null;
  job_error: string | null;
  source: string | null;
  job_started_at: Date | null;
  job_finished_at: Date | null;
}

export interface ObjectRunRow {
  run_id: string;
  object_type: string;
  phase: string;
  pages: number;
  requests: number;
  http_429: number;
  estimate: number | null;
  batches_published: number;
  batches_committed: number;
  fetch_started_at: Date | null;
  fetch_finished_at: Date | null;
  fetch_error: string | null;
  total_synced: number;
  total_skipped: number;
  status: 'pending' | 'syncing' | 'completed' | 'failed';
  error_message: string | null;
  completed_at: Date | null;
  updated_at: Date;
}

const RUN_SELECT = `
  SELECT r.id, r.organization_uid, r.connection_id, r.portal_id, r.kind, r.mode, r.status, r.created_at, r.finished_at,
         j.status AS job_status, j.error_message AS job_error, j.source, j.started_at AS job_started_at, j.finished_at AS job_finished_at
    FROM sync.runs r
    LEFT JOIN LATERAL (
      SELECT status, error_message, source, started_at, finished_at FROM sync.jobs WHERE run_id = r.id
       ORDER BY CASE status WHEN 'failed' THEN 0 WHEN 'running' THEN 1 WHEN 'queued' THEN 2 ELSE 3 END, created_at DESC
       LIMIT 1
    ) j ON true`;

/**
 * A run with object runs, every one of them completed (bool_and of no rows is null). A correlated
 * aggregate on purpose: written as NOT EXISTS, the planner anti-joined against a sequential scan of
 * every unfinished object run in the table (89 ms on 115 k rows) instead of probing the run's own.
 */
const ALL_OBJECTS_COMPLETED = `(SELECT bool_and(o.status = 'completed') FROM sync.object_runs o WHERE o.run_id = r.id)`;

/** Read model over `sync.runs`, `sync.jobs` and `sync.object_runs` (written by fetcher and mapper). */
@Injectable()
export class RunsReader {
  constructor(private readonly dataSource: DataSource) {}

  async latest(organizationUid: string, kinds?: string[]): Promise<RunRow | null> {
    const rows = await this.dataSource.query(
      `${RUN_SELECT} WHERE r.organization_uid = $1 AND ($2::text[] IS NULL OR r.kind = ANY($2::text[])) ORDER BY r.created_at DESC LIMIT 1`,
      [organizationUid, kinds ?? null],
    );
    return rows[0] ?? null;
  }

  async byId(organizationUid: string, runId: string): Promise<RunRow | null> {
    const rows = await this.dataSource.query(`${RUN_SELECT} WHERE r.organization_uid = $1 AND r.id = $2`, [organizationUid, runId]);
    return rows[0] ?? null;
  }

  /** Newest first; `before` is the created_at/id cursor of the previous page's last run. */
  async page(organizationUid: string, limit: number, before?: { createdAt: string; id: string }): Promise<RunRow[]> {
    return this.dataSource.query(
      `${RUN_SELECT} WHERE r.organization_uid = $1
         AND ($2::timestamptz IS NULL OR (r.created_at, r.id) < ($2::timestamptz, $3::uuid))
       ORDER BY r.created_at DESC, r.id DESC LIMIT $4`,
      [organizationUid, before?.createdAt ?? null, before?.id ?? null, limit],
    );
  }

  async objectRuns(runIds: string[]): Promise<ObjectRunRow[]> {
    if (runIds.length === 0) return [];
    return this.dataSource.query(
      `SELECT run_id, object_type, phase, pages, requests, http_429, estimate, batches_published, batches_committed,
              fetch_started_at, fetch_finished_at, fetch_error, total_synced, total_skipped, status, error_message, completed_at, updated_at
         FROM sync.object_runs WHERE run_id = ANY($1::uuid[]) ORDER BY object_type`,
      [runIds],
    );
  }

  /**
   * The most recent run whose every object type completed (Stanna: "Last successful sync time").
   * Finished runs are walked newest first through runs_org_finished and the walk stops at the first
   * that qualifies; unfinished ones (a run the mapper has not closed yet) are few and come from
   * runs_org_unfinished, their finish time being their last object's completion.
   */
  async lastSuccessful(organizationUid: string, connectionId?: string): Promise<{ id: string; kind: string; finished_at: Date } | null> {
    const rows = await this.dataSource.query(
      `WITH finished AS (
         SELECT r.id, r.kind, r.finished_at FROM sync.runs r
          WHERE r.organization_uid = $1 AND ($2::uuid IS NULL OR r.connection_id = $2::uuid)
            AND r.finished_at IS NOT NULL AND r.status <> 'failed'
            AND ${ALL_OBJECTS_COMPLETED}
          ORDER BY r.finished_at DESC LIMIT 1
       ), unfinished AS (
         SELECT r.id, r.kind, (SELECT max(o.completed_at) FROM sync.object_runs o WHERE o.run_id = r.id) AS finished_at FROM sync.runs r
          WHERE r.organization_uid = $1 AND ($2::uuid IS NULL OR r.connection_id = $2::uuid)
            AND r.finished_at IS NULL AND r.status <> 'failed'
            AND ${ALL_OBJECTS_COMPLETED}
       )
       SELECT id, kind, finished_at FROM (SELECT * FROM finished UNION ALL SELECT * FROM unfinished) c
        ORDER BY finished_at DESC NULLS LAST LIMIT 1`,
      [organizationUid, connectionId ?? null],
    );
    return rows[0] ?? null;
  }
}

export type ObjectStatus = 'not_started' | 'pending' | 'syncing' | 'completed' | 'failed';

/**
 * One object type's state as the seeds show it (seed 000): `status`, `total_synced`, `total_skipped`
 * when some were skipped, `error_message` when it failed. A fetch error or a failed job counts as
 * failed even before the mapper writes its status.
 */
export function effectiveObjectStatus(object: ObjectRunRow, run: RunRow): { status: ObjectStatus; error: string | null } {
  if (object.status === 'failed') return { status: 'failed', error: object.error_message ?? object.fetch_error };
  if (object.status === 'completed') return { status: 'completed', error: null };
  if (object.fetch_error) return { status: 'failed', error: object.fetch_error };
  if (run.job_status === 'failed' || run.status === 'failed') return { status: 'failed', error: run.job_error ?? 'sync failed' };
  if (object.status === 'syncing' || object.fetch_started_at) return { status: 'syncing', error: null };
  return { status: 'pending', error: null };
}
