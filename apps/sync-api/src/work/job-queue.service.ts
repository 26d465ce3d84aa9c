import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ExanteSyncMode, SyncJobFilters, SyncJobKind } from '@hubsync/contracts';
import { QueuedJobRef } from './portal-work.notifier';

export type JobSource = 'api' | 'schedule' | 'webhook';

export interface ConnectionRef {
  id: string;
  portal_id: string;
}

export interface NewRun {
  organizationUid: string;
  connection: ConnectionRef;
  kind: SyncJobKind;
  mode?: ExanteSyncMode | null;
  objectTypes: string[];
}

export interface NewJob {
  organizationUid: string;
  connection: ConnectionRef;
  kind: SyncJobKind;
  objectTypes: string[];
  filters?: SyncJobFilters;
  mode?: ExanteSyncMode | null;
  source: JobSource;
  runId?: string | null;
  eltSyncId?: string | null;
}

/**
 * Inserts runs and jobs inside the caller's transaction (DESIGN §5: `sync.jobs` is the source of
 * truth for requested work). Notices go out after the commit, through PortalWorkNotifier.
 */
@Injectable()
export class JobQueue {
  /**
   * A run and one pending `sync.object_runs` row per object type, so status endpoints answer
   * `pending` from the first moment. The fetcher and mapper fill their columns of these rows.
   */
  async createRun(manager: EntityManager, run: NewRun): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO sync.runs (organization_uid, connection_id, portal_id, kind, mode) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [run.organizationUid, run.connection.id, run.connection.portal_id, run.kind, run.mode ?? null],
    );
    const runId = rows[0].id;
    if (run.objectTypes.length > 0) {
      await manager.query(
        `INSERT INTO sync.object_runs (run_id, organization_uid, object_type)
         SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`,
        [runId, run.organizationUid, run.objectTypes],
      );
    }
    return runId;
  }

  async insertJob(manager: EntityManager, job: NewJob): Promise<QueuedJobRef> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO sync.jobs (organization_uid, connection_id, portal_id, kind, object_types, filters, mode, run_id, source, elt_sync_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        job.organizationUid,
        job.connection.id,
        job.connection.portal_id,
        job.kind,
        job.objectTypes,
        JSON.stringify(job.filters ?? {}),
        job.mode ?? null,
        job.runId ?? null,
        job.source,
        job.eltSyncId ?? null,
      ],
    );
    return { id: rows[0].id, organization_uid: job.organizationUid, connection_id: job.connection.id, portal_id: job.connection.portal_id };
  }
}
