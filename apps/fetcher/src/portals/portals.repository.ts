import { Injectable } from '@nestjs/common';
import { LimiterSnapshot, LimiterStats } from '@hubsync/hubspot';
import { DataSource } from 'typeorm';
import { FencedOutError } from '../checkpoints/fenced-out.error';
import { returnedRows } from '../checkpoints/sql';

export interface PortalNeedingDriver {
  portalId: string;
  /** Queued or running jobs wait for it (they go first when adopting). */
  hasJobs: boolean;
}

export interface StreamRow {
  connectionId: string;
  organizationUid: string;
  portalId: string;
  objectType: string;
}

/** `sync.fetch_portals` / `sync.fetch_streams`: which portals need a driver, pauses, limiter hand-over. */
@Injectable()
export class PortalsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Portals someone should drive: queued or running jobs, or continuous streams (not paused by the
   * DAILY limit or a revoked grant).
   */
  async needingDrivers(): Promise<PortalNeedingDriver[]> {
    const rows = returnedRows(await this.db.query(
      `SELECT portal_id, bool_or(has_jobs) AS has_jobs FROM (
         SELECT portal_id, true AS has_jobs FROM sync.jobs WHERE status IN ('queued','running')
         UNION ALL
         SELECT s.portal_id, false FROM sync.fetch_streams s
           LEFT JOIN sync.fetch_portals p ON p.portal_id = s.portal_id
          WHERE s.enabled AND (p.paused_until IS NULL OR p.paused_until <= now())
       ) w GROUP BY portal_id ORDER BY bool_or(has_jobs) DESC, portal_id`,
    ));
    return rows.map((r: { portal_id: string; has_jobs: boolean }) => ({ portalId: r.portal_id, hasJobs: r.has_jobs }));
  }

  async hasQueuedJobs(portalId: string): Promise<boolean> {
    const rows = returnedRows(await this.db.query(`SELECT 1 FROM sync.jobs WHERE portal_id = $1 AND status IN ('queued','running') LIMIT 1`, [portalId]));
    return rows.length > 0;
  }

  async streams(portalId: string): Promise<StreamRow[]> {
    const rows = returnedRows(await this.db.query(
      `SELECT connection_id, organization_uid, portal_id, object_type FROM sync.fetch_streams WHERE portal_id = $1 AND enabled ORDER BY connection_id, object_type`,
      [portalId],
    ));
    return rows.map((r: any) => ({ connectionId: r.connection_id, organizationUid: r.organization_uid, portalId: r.portal_id, objectType: r.object_type }));
  }

  async enableStreams(stream: Omit<StreamRow, 'objectType'>, objectTypes: string[]): Promise<void> {
    if (objectTypes.length === 0) return;
    await this.db.query(
      `INSERT INTO sync.fetch_streams (connection_id, object_type, organization_uid, portal_id)
       SELECT $1, unnest($4::text[]), $2, $3
       ON CONFLICT (connection_id, object_type) DO UPDATE SET enabled = true, portal_id = EXCLUDED.portal_id`,
      [stream.connectionId, stream.organizationUid, stream.portalId, objectTypes],
    );
  }

  async disableStream(connectionId: string, objectType: string): Promise<void> {
    await this.db.query(`UPDATE sync.fetch_streams SET enabled = false WHERE connection_id = $1 AND object_type = $2`, [connectionId, objectType]);
  }

  /** Registers the portal and takes over its fence (adoption). */
  async adopt(portalId: string, organizationUid: string, connectionId: string, driver: string, fence: number): Promise<{ snapshot: LimiterSnapshot | null; pausedUntil: Date | null; timeZone: string | null }> {
    const rows = returnedRows(await this.db.query(
      `INSERT INTO sync.fetch_portals (portal_id, organization_uid, connection_id, driver, fence)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (portal_id) DO UPDATE SET driver = EXCLUDED.driver, fence = EXCLUDED.fence, updated_at = now()
       WHERE sync.fetch_portals.fence <= EXCLUDED.fence
       RETURNING limiter_snapshot, paused_until, time_zone`,
      [portalId, organizationUid, connectionId, driver, fence],
    ));
    if (rows.length === 0) throw new FencedOutError(`portal ${portalId}`, fence);
    return { snapshot: rows[0].limiter_snapshot ?? null, pausedUntil: rows[0].paused_until ?? null, timeZone: rows[0].time_zone ?? null };
  }

  async setTimeZone(portalId: string, timeZone: string, fence: number): Promise<void> {
    await this.db.query(`UPDATE sync.fetch_portals SET time_zone = $2 WHERE portal_id = $1 AND fence <= $3`, [portalId, timeZone, fence]);
  }

  /** Rate-limit usage for the status API, and the limiter state the next driver continues from. */
  async saveLimiter(portalId: string, snapshot: LimiterSnapshot, stats: LimiterStats, fence: number, releasing = false): Promise<void> {
    const usage = {
      share: stats.share,
      window: { used: stats.burstUsed, capacity: stats.burstCapacity, max: stats.burstMax, interval_ms: stats.burstIntervalMs },
      search: { used: stats.searchUsed, capacity: stats.searchCapacity },
      daily: { used: stats.dailyUsed, capacity: stats.dailyCapacity, max: stats.dailyMax },
      http_429: stats.http429,
      requests: stats.granted,
      updated_at: new Date().toISOString(),
    };
    await this.db.query(
      `UPDATE sync.fetch_portals SET limiter_snapshot = $2, rate_usage = $3, driver = CASE WHEN $5 THEN NULL ELSE driver END, updated_at = now()
        WHERE portal_id = $1 AND fence <= $4`,
      [portalId, JSON.stringify(snapshot), JSON.stringify(usage), fence, releasing],
    );
  }

  /** DAILY limit reached: no calls until `until` (midnight in the portal's time zone). */
  async pause(portalId: string, until: Date, reason: string, fence: number): Promise<void> {
    await this.db.query(`UPDATE sync.fetch_portals SET paused_until = $2, pause_reason = $3, updated_at = now() WHERE portal_id = $1 AND fence <= $4`, [portalId, until, reason, fence]);
  }

  async clearPause(portalId: string, fence: number): Promise<void> {
    await this.db.query(`UPDATE sync.fetch_portals SET paused_until = NULL, pause_reason = NULL WHERE portal_id = $1 AND fence <= $2 AND paused_until IS NOT NULL`, [portalId, fence]);
  }
}
