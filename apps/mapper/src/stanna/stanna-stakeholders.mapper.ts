import { Injectable } from '@nestjs/common';
import { engagementLevel, mapContactToStakeholder, StakeholderFields, StannaConfig } from '@hubsync/domain';
import { Sql } from '../database/mapper-database';
import { jsonParam } from '../database/json-param';
import { MirrorObjectsRepository, MirrorRow } from '../mirror/mirror-objects.repository';
import { compareIds } from '../models/association-lookup';
import { MappingRun } from '../models/mapping-run';
import { MapperResult } from './stanna-clients.mapper';

interface Counters {
  contact_id: string;
  a30: number;
  a90: number;
  opens: number;
  clicks: number;
  replies: number;
}

/**
 * Contacts → `stanna.stakeholders` (seed 002 "Contact Data"): the client is the associated company
 * (a client first, then HubSpot's primary association, then the lowest id), else the client named by
 * the contact's `company` property; engagement from the activities linked to the contact.
 */
@Injectable()
export class StannaStakeholdersMapper {
  constructor(private readonly mirror: MirrorObjectsRepository) {}

  async refresh(run: MappingRun, contactIds: string[], preloaded?: MirrorRow[]): Promise<MapperResult> {
    const result: MapperResult = { skips: new Map(), invalidFields: new Map() };
    if (contactIds.length === 0) return result;
    const { sql, organizationUid: org } = run;
    const rows = preloaded ?? (await this.mirror.load(sql, org, 'contacts', contactIds));
    const remove = new Set(rows.filter((r) => r.archived).map((r) => r.id));
    const mapped: StakeholderFields[] = [];
    for (const row of rows) {
      if (row.archived) continue;
      const m = mapContactToStakeholder(row.id, row.properties, run.settings.stanna, run.settings.mappings);
      if (!m.ok) {
        result.skips.set(row.id, m.skip);
        remove.add(row.id);
        continue;
      }
      if (m.invalidFields.length) result.invalidFields.set(row.id, m.invalidFields.map((f) => `${f.field}: ${f.reason}`));
      mapped.push(m.stakeholder);
    }
    if (remove.size) await sql.query(`DELETE FROM stanna.stakeholders WHERE organization_uid = $1 AND contact_id = ANY($2::text[])`, [org, [...remove]]);
    if (mapped.length === 0) return result;

    const ids = mapped.map((m) => m.contact_id);
    const companies = await sql.query<{ id: string; company_id: string; type_id: number; label: string | null; is_client: boolean }>(
      `SELECT l.id, l.company_id, l.type_id, l.label, EXISTS (
                SELECT 1 FROM stanna.clients c WHERE c.organization_uid = $1 AND c.company_id = l.company_id) AS is_client
         FROM (SELECT from_id AS id, to_id AS company_id, type_id, label FROM hubspot.associations
                WHERE organization_uid = $1 AND from_type = 'contacts' AND to_type = 'companies' AND from_id = ANY($2::text[])
               UNION
               SELECT to_id, from_id, type_id, label FROM hubspot.associations
                WHERE organization_uid = $1 AND from_type = 'companies' AND to_type = 'contacts' AND to_id = ANY($2::text[])) l`,
      [org, ids],
    );
    const names = [...new Set(mapped.filter((m) => m.company_name).map((m) => (m.company_name as string).toLowerCase()))];
    const byName = names.length
      ? await sql.query<{ key: string; company_id: string }>(
          `SELECT DISTINCT ON (lower(name)) lower(name) AS key, company_id FROM stanna.clients
            WHERE organization_uid = $1 AND lower(name) = ANY($2::text[]) ORDER BY lower(name), hubspot_created_at NULLS LAST, company_id`,
          [org, names],
        )
      : [];
    const counters = await loadEngagementCounters(sql, org, ids, run.now);

    const best = new Map<string, { company_id: string; rank: number[] }>();
    for (const c of companies) {
      // client first, then HubSpot's primary contact→company association (type 1 / label "Primary"), then lowest id
      const rank = [c.is_client ? 0 : 1, c.type_id === 1 || /primary/i.test(c.label ?? '') ? 0 : 1];
      const cur = best.get(c.id);
      if (!cur || compareRank(rank, cur.rank) < 0 || (compareRank(rank, cur.rank) === 0 && compareIds(c.company_id, cur.company_id) < 0)) {
        best.set(c.id, { company_id: c.company_id, rank });
      }
    }
    const nameMap = new Map(byName.map((b) => [b.key, b.company_id]));
    const updatedAt = new Map(rows.map((r) => [r.id, r.updated_at]));
    const payload = mapped
      .map((m) => {
        const assoc = best.get(m.contact_id);
        const byCompanyName = m.company_name ? nameMap.get(m.company_name.toLowerCase()) : undefined;
        const engagement = engagementFor(counters.get(m.contact_id), run.settings.stanna);
        return {
          ...m,
          client_company_id: assoc?.company_id ?? byCompanyName ?? null,
          client_source: assoc ? 'association' : byCompanyName ? 'company_property' : null,
          ...engagement,
          hubspot_updated_at: updatedAt.get(m.contact_id) ?? null,
        };
      })
      .sort((a, b) => compareIds(a.contact_id, b.contact_id));
    await sql.query(
      `INSERT INTO stanna.stakeholders AS s (organization_uid, contact_id, portal_id, email, name, title, company_name, client_company_id, client_source,
         activities_30d, activities_90d, email_opens, email_clicks, email_replies, engagement_score, engagement_level, custom_fields, hubspot_updated_at, mapped_at)
       SELECT $1, x.contact_id, $2, x.email, x.name, x.title, x.company_name, x.client_company_id, x.client_source,
         x.activities_30d, x.activities_90d, x.email_opens, x.email_clicks, x.email_replies, x.engagement_score, x.engagement_level, x.custom_fields, x.hubspot_updated_at, now()
         FROM jsonb_to_recordset($3::jsonb) AS x(contact_id text, email text, name text, title text, company_name text, client_company_id text, client_source text,
           activities_30d int, activities_90d int, email_opens int, email_clicks int, email_replies int, engagement_score numeric, engagement_level text,
           custom_fields jsonb, hubspot_updated_at timestamptz)
       ON CONFLICT (organization_uid, contact_id) DO UPDATE SET
         portal_id = excluded.portal_id, email = excluded.email, name = excluded.name, title = excluded.title, company_name = excluded.company_name,
         client_company_id = excluded.client_company_id, client_source = excluded.client_source, activities_30d = excluded.activities_30d,
         activities_90d = excluded.activities_90d, email_opens = excluded.email_opens, email_clicks = excluded.email_clicks,
         email_replies = excluded.email_replies, engagement_score = excluded.engagement_score, engagement_level = excluded.engagement_level,
         custom_fields = excluded.custom_fields, hubspot_updated_at = excluded.hubspot_updated_at, mapped_at = now()`,
      [org, run.portalId, jsonParam(payload)],
    );
    return result;
  }

  /** Only the engagement of existing stakeholders, after their activities changed. */
  async refreshEngagement(run: MappingRun, contactIds: string[]): Promise<void> {
    if (contactIds.length === 0) return;
    const counters = await loadEngagementCounters(run.sql, run.organizationUid, contactIds, run.now);
    const payload = contactIds.map((id) => ({ contact_id: id, ...engagementFor(counters.get(id), run.settings.stanna) }));
    await run.sql.query(
      `UPDATE stanna.stakeholders s SET activities_30d = x.activities_30d, activities_90d = x.activities_90d, email_opens = x.email_opens,
         email_clicks = x.email_clicks, email_replies = x.email_replies, engagement_score = x.engagement_score, engagement_level = x.engagement_level
         FROM jsonb_to_recordset($2::jsonb) AS x(contact_id text, activities_30d int, activities_90d int, email_opens int, email_clicks int,
           email_replies int, engagement_score numeric, engagement_level text)
        WHERE s.organization_uid = $1 AND s.contact_id = x.contact_id`,
      [run.organizationUid, jsonParam(payload)],
    );
  }
}

/**
 * Activities linked to each contact in the last 30/90 days (not tasks, not missed meetings), and email
 * opens/clicks/replies. One GIN probe per contact (`@> ARRAY[id]`), not `contact_ids && $2`, which the
 * planner answers with a sequential scan of the org's activities (see StannaHealthMapper).
 */
async function loadEngagementCounters(sql: Sql, org: string, contactIds: string[], now: Date): Promise<Map<string, Counters>> {
  const rows = await sql.query<Counters>(
    `SELECT c.contact_id,
            count(*) FILTER (WHERE a.occurred_at >= $3::timestamptz - interval '30 days')::int AS a30,
            count(*)::int AS a90,
            COALESCE(sum(a.email_opens), 0)::int AS opens,
            COALESCE(sum(a.email_clicks), 0)::int AS clicks,
            COALESCE(sum(a.email_replies), 0)::int AS replies
       FROM (SELECT DISTINCT unnest($2::text[]) AS contact_id) c
       JOIN stanna.activities a ON a.organization_uid = $1 AND a.contact_ids @> ARRAY[c.contact_id]
      WHERE a.activity_type <> 'tasks'
        AND NOT (a.activity_type = 'meetings' AND upper(COALESCE(a.outcome, '')) IN ('NO_SHOW', 'CANCELED', 'CANCELLED'))
        AND a.occurred_at >= $3::timestamptz - interval '90 days' AND a.occurred_at <= $3::timestamptz
      GROUP BY c.contact_id`,
    [org, contactIds, now.toISOString()],
  );
  return new Map(rows.map((r) => [r.contact_id, r]));
}

function engagementFor(c: Counters | undefined, config: StannaConfig) {
  const counters = { activities30d: c?.a30 ?? 0, activities90d: c?.a90 ?? 0, emailOpens: c?.opens ?? 0, emailClicks: c?.clicks ?? 0, emailReplies: c?.replies ?? 0 };
  const { level, score } = engagementLevel(counters, config);
  return {
    activities_30d: counters.activities30d,
    activities_90d: counters.activities90d,
    email_opens: counters.emailOpens,
    email_clicks: counters.emailClicks,
    email_replies: counters.emailReplies,
    engagement_score: score,
    engagement_level: level,
  };
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
