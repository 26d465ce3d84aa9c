import { ConflictException, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BLOCKING_JOB_KINDS, ExanteSyncMode, SyncJobFilters } from '@hubsync/contracts';
import { ConnectionRow, ConnectionsReader } from '../connections/connections.reader';
import { JobQueue, JobSource } from './job-queue.service';
import { PortalWorkNotifier } from './portal-work.notifier';
import { SyncEventsService } from './sync-events.service';

export interface BlockingSyncRequest {
  organizationUid: string;
  kind: 'full_sync' | 'backfill';
  objectTypes: string[];
  mode?: ExanteSyncMode | null;
  filters?: SyncJobFilters;
  source: JobSource;
  /** Runs inside the start transaction after the in-progress check, e.g. stage validation against the mirror. */
  describe: string;
  connection?: ConnectionRow;
}

export type StartResult =
  | { started: true; runId: string; jobId: string; connection: ConnectionRow }
  | { started: false; reason: 'sync_in_progress'; runId: string | null };

/**
 * Starts a full sync or backfill unless one of the org is queued or running (DESIGN §5 "Who runs":
 * continuous incremental sweeps never count). Race-free: the check and the insert run under a
 * transaction-scoped advisory lock per organization, so of two simultaneous requests exactly one
 * inserts; the other sees its committed job (READ COMMITTED takes a fresh snapshot per statement).
 */
@Injectable()
export class SyncStarter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: ConnectionsReader,
    private readonly jobs: JobQueue,
    private readonly notifier: PortalWorkNotifier,
    private readonly events: SyncEventsService,
  ) {}

  /** The org's connection a sync would use; 409 naming the reason when there is none usable. */
  async requireConnection(organizationUid: string): Promise<ConnectionRow> {
    const connection = await this.connections.primary(organizationUid);
    if (!connection) {
      throw new ConflictException({
        message: 'The organization has no HubSpot connection; connect one at /api/integrations/hubspot/start',
        details: { reason: 'not_connected' },
      });
    }
    if (connection.status === 'needs_reauth') {
      throw new ConflictException({
        message: `HubSpot connection ${connection.id} needs re-authorization (${connection.last_error ?? 'token revoked or scopes changed'}); reconnect at /api/integrations/hubspot/start`,
        details: { reason: 'needs_reauth', connection_id: connection.id },
      });
    }
    return connection;
  }

  async start(request: BlockingSyncRequest): Promise<StartResult> {
    const connection = request.connection ?? (await this.requireConnection(request.organizationUid));
    // Fast path without the lock: while a sync goes (the usual answer when clients retry), waiting
    // for the org's start lock would hold a pooled connection per waiting request, and under load
    // those waiters starved every other endpoint of connections. A committed job seen here stays
    // in progress, so answering "skipped" without the lock is as correct as with it.
    const already = await this.inProgress(request.organizationUid);
    if (already) return this.skipped(request, already.runId);
    const result = await this.dataSource.transaction(async (manager): Promise<StartResult & { notice?: { id: string } }> => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('sync-start:' || $1::text, 0))`, [request.organizationUid]);
      const running = await this.inProgress(request.organizationUid, manager);
      if (running) return this.skipped(request, running.runId, manager);
      const runId = await this.jobs.createRun(manager, {
        organizationUid: request.organizationUid,
        connection,
        kind: request.kind,
        mode: request.mode ?? null,
        objectTypes: request.objectTypes,
      });
      const job = await this.jobs.insertJob(manager, {
        organizationUid: request.organizationUid,
        connection,
        kind: request.kind,
        objectTypes: request.objectTypes,
        filters: request.filters,
        mode: request.mode ?? null,
        source: request.source,
        runId,
      });
      await this.events.record(
        {
          organizationUid: request.organizationUid,
          runId,
          jobId: job.id,
          type: 'sync.queued',
          message: `${request.describe} queued`,
          data: { kind: request.kind, mode: request.mode ?? null, object_types: request.objectTypes, filters: request.filters ?? {}, source: request.source },
        },
        manager,
      );
      return { started: true, runId, jobId: job.id, connection };
    });
    if (result.started) {
      await this.notifier.notify([{ id: result.jobId, organization_uid: request.organizationUid, connection_id: connection.id, portal_id: connection.portal_id }]);
    }
    return result;
  }

  private async skipped(request: BlockingSyncRequest, runId: string | null, manager?: EntityManager): Promise<StartResult> {
    await this.events.record(
      { organizationUid: request.organizationUid, runId, type: 'sync.skipped', message: `${request.describe} skipped: a sync is in progress`, data: { reason: 'sync_in_progress' } },
      manager,
    );
    return { started: false, reason: 'sync_in_progress', runId };
  }

  /**
   * A blocking run of the org: a full sync or backfill job queued or running, or its run still being
   * committed by the mapper (an object `syncing` that made progress in the last 30 minutes — a
   * crashed mapper must not block the org forever).
   */
  async inProgress(organizationUid: string, manager = this.dataSource.manager): Promise<{ runId: string | null } | null> {
    const rows: { run_id: string | null }[] = await manager.query(
      `SELECT j.run_id FROM sync.jobs j
        WHERE j.organization_uid = $1 AND j.kind = ANY($2::text[]) AND j.status IN ('queued', 'running')
       UNION ALL
       SELECT r.id FROM sync.runs r
        WHERE r.organization_uid = $1 AND r.kind = ANY($2::text[]) AND r.status = 'running'
          AND EXISTS (SELECT 1 FROM sync.object_runs o WHERE o.run_id = r.id AND o.status = 'syncing' AND o.updated_at > now() - interval '30 minutes')
          AND NOT EXISTS (SELECT 1 FROM sync.jobs j WHERE j.run_id = r.id AND j.status = 'failed')
       LIMIT 1`,
      [organizationUid, BLOCKING_JOB_KINDS],
    );
    return rows.length > 0 ? { runId: rows[0].run_id } : null;
  }
}
