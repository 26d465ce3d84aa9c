import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export type SyncEventLevel = 'debug' | 'info' | 'warn' | 'error';

export interface SyncEventInput {
  organizationUid: string;
  type: string;
  message: string;
  level?: SyncEventLevel;
  runId?: string | null;
  jobId?: string | null;
  data?: Record<string, unknown>;
}

export interface SyncEventRow {
  id: string;
  organization_uid: string;
  run_id: string | null;
  job_id: string | null;
  level: SyncEventLevel;
  type: string;
  message: string;
  data: Record<string, unknown>;
  source: string;
  created_at: Date;
}

/** The sync log (`sync.events`): what was requested, skipped or queued, for operators and dashboards. */
@Injectable()
export class SyncEventsService {
  constructor(private readonly dataSource: DataSource) {}

  async record(event: SyncEventInput, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO sync.events (organization_uid, run_id, job_id, level, type, message, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [event.organizationUid, event.runId ?? null, event.jobId ?? null, event.level ?? 'info', event.type, event.message, JSON.stringify(event.data ?? {})],
    );
  }

  /** Events after `afterId` (exclusive), oldest first, optionally of one run. */
  async page(organizationUid: string, options: { afterId?: string; runId?: string; limit: number; minLevel?: SyncEventLevel }): Promise<SyncEventRow[]> {
    const levels = levelsFrom(options.minLevel);
    return this.dataSource.query(
      `SELECT id::text AS id, organization_uid, run_id, job_id, level, type, message, data, source, created_at
         FROM sync.events
        WHERE organization_uid = $1 AND id > $2::bigint AND ($3::uuid IS NULL OR run_id = $3::uuid) AND level = ANY($4::text[])
        ORDER BY id LIMIT $5`,
      [organizationUid, options.afterId ?? '0', options.runId ?? null, levels, options.limit],
    );
  }

  /** The newest event id of an org (where a live stream starts when the client gives no cursor). */
  async latestId(organizationUid: string): Promise<string> {
    const rows = await this.dataSource.query(`SELECT COALESCE(max(id), 0)::text AS id FROM sync.events WHERE organization_uid = $1`, [organizationUid]);
    return rows[0].id;
  }
}

const ORDER: SyncEventLevel[] = ['debug', 'info', 'warn', 'error'];
function levelsFrom(min: SyncEventLevel = 'debug'): SyncEventLevel[] {
  return ORDER.slice(ORDER.indexOf(min));
}
