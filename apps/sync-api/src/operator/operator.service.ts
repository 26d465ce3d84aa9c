import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectionsReader } from '../connections/connections.reader';
import { objectState } from '../hubspot-sync/hubspot-sync.service';
import { RunsReader } from '../runs/runs.reader';
import { runProgress } from '../stanna/stanna.service';

/** Read models for operators and dashboards: run history, skipped records, rate-limit usage. */
@Injectable()
export class OperatorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: RunsReader,
    private readonly connections: ConnectionsReader,
  ) {}

  async runHistory(organizationUid: string, limit: number, cursor?: string) {
    const before = cursor ? decodeCursor(cursor) : undefined;
    const rows = await this.runs.page(organizationUid, limit + 1, before);
    const page = rows.slice(0, limit);
    const objects = await this.runs.objectRuns(page.map((r) => r.id));
    const data = page.map((run) => {
      const mine = objects.filter((o) => o.run_id === run.id);
      const progress = runProgress(run, mine);
      return {
        id: run.id,
        kind: run.kind,
        mode: run.mode,
        source: run.source,
        connection_id: run.connection_id,
        portal_id: run.portal_id,
        status: progress.status,
        percent: progress.percent,
        created_at: new Date(run.created_at).toISOString(),
        started_at: progress.started_at,
        finished_at: progress.finished_at,
        objects: Object.fromEntries(mine.map((o) => [o.object_type, objectState(o, run)])),
        errors: progress.errors,
      };
    });
    const last = page[page.length - 1];
    return { organization_uid: organizationUid, data, next_cursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at).toISOString(), last.id) : null };
  }

  /** Skipped records grouped by object type and rule, with counts and a few examples each. */
  async skippedRecords(organizationUid: string, filter: { objectType?: string; rule?: string; runId?: string; examples: number }) {
    const params = [organizationUid, filter.objectType ?? null, filter.rule ?? null, filter.runId ?? null, filter.examples];
    const groups: { object_type: string; rule: string; count: number; last_seen_at: Date; examples: { object_id: string; detail: string | null; run_id: string | null; created_at: string }[] | null }[] =
      await this.dataSource.query(
        `WITH matching AS (
           SELECT * FROM sync.skipped_records
            WHERE organization_uid = $1 AND ($2::text IS NULL OR object_type = $2) AND ($3::text IS NULL OR rule = $3) AND ($4::uuid IS NULL OR run_id = $4)
         ), ranked AS (
           SELECT *, row_number() OVER (PARTITION BY object_type, rule ORDER BY created_at DESC, id DESC) AS rn FROM matching
         )
         SELECT object_type, rule, count(*)::int AS count, max(created_at) AS last_seen_at,
                json_agg(json_build_object('object_id', object_id, 'detail', detail, 'run_id', run_id, 'created_at', created_at) ORDER BY rn)
                  FILTER (WHERE rn <= $5) AS examples
           FROM ranked GROUP BY object_type, rule ORDER BY count DESC, object_type, rule`,
        params,
      );
    return {
      organization_uid: organizationUid,
      total: groups.reduce((sum, g) => sum + g.count, 0),
      groups: groups.map((g) => ({ object_type: g.object_type, rule: g.rule, count: g.count, last_seen_at: new Date(g.last_seen_at).toISOString(), examples: g.examples ?? [] })),
    };
  }

  /**
   * Rate-limit usage per connected portal, as the fetcher driving it last saved it
   * (`sync.fetch_portals.rate_usage`: the 10-second window, search, daily, 429s), plus the DAILY pause.
   */
  async rateLimits(organizationUid: string) {
    const connections = await this.connections.listForOrganization(organizationUid);
    const portalIds = connections.map((c) => c.portal_id);
    const rows: { portal_id: string; rate_usage: Record<string, unknown>; paused_until: Date | null; pause_reason: string | null; time_zone: string | null; driver: string | null; updated_at: Date }[] =
      portalIds.length
        ? await this.dataSource.query(
            `SELECT portal_id, rate_usage, paused_until, pause_reason, time_zone, driver, updated_at FROM sync.fetch_portals WHERE portal_id = ANY($1::text[])`,
            [portalIds],
          )
        : [];
    const today: { portal_id: string; requests: number; http_429: number }[] = portalIds.length
      ? await this.dataSource.query(
          `SELECT r.portal_id, COALESCE(sum(o.requests), 0)::int AS requests, COALESCE(sum(o.http_429), 0)::int AS http_429
             FROM sync.runs r JOIN sync.object_runs o ON o.run_id = r.id
            WHERE r.organization_uid = $1 AND r.created_at >= date_trunc('day', now()) GROUP BY r.portal_id`,
          [organizationUid],
        )
      : [];
    return {
      organization_uid: organizationUid,
      portals: connections.map((c) => {
        const row = rows.find((r) => r.portal_id === c.portal_id);
        const runsToday = today.find((t) => t.portal_id === c.portal_id);
        const paused = row?.paused_until && new Date(row.paused_until) > new Date() ? row : null;
        return {
          portal_id: c.portal_id,
          connection_id: c.id,
          usage: row?.rate_usage ?? null,
          paused_until: paused ? new Date(paused.paused_until as Date).toISOString() : null,
          pause_reason: paused?.pause_reason ?? null,
          time_zone: row?.time_zone ?? null,
          driven_by: row?.driver ?? null,
          updated_at: row ? new Date(row.updated_at).toISOString() : null,
          runs_today: { requests: runsToday?.requests ?? 0, http_429: runsToday?.http_429 ?? 0 },
        };
      }),
    };
  }
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return { createdAt, id };
  } catch {
    // fall through
  }
  throw new BadRequestException({ message: 'cursor is not a next_cursor value from a previous page', details: [{ field: 'cursor', message: 'cursor is invalid' }] });
}
