import { Injectable } from '@nestjs/common';
import { ActivityFields, ActivityType, mapEngagementToActivity } from '@hubsync/domain';
import { jsonParam } from '../database/json-param';
import { MirrorObjectsRepository, MirrorRow } from '../mirror/mirror-objects.repository';
import { compareIds, uniqueIds } from '../models/association-lookup';
import { MappingRun } from '../models/mapping-run';

export interface ActivitiesResult {
  /** Clients whose health may have changed (linked before or now). */
  affectedCompanies: string[];
  /** Stakeholders whose engagement may have changed. */
  affectedContacts: string[];
  invalidFields: Map<string, string[]>;
}

/**
 * Engagements (calls, emails, meetings, notes, tasks) → `stanna.activities`, linked to companies,
 * contacts and deals as HubSpot associates them; re-run when only an association changes.
 */
@Injectable()
export class StannaActivitiesMapper {
  constructor(private readonly mirror: MirrorObjectsRepository) {}

  async refresh(run: MappingRun, type: ActivityType, ids: string[], preloaded?: MirrorRow[]): Promise<ActivitiesResult> {
    const result: ActivitiesResult = { affectedCompanies: [], affectedContacts: [], invalidFields: new Map() };
    if (ids.length === 0) return result;
    const { sql, organizationUid: org } = run;
    const rows = preloaded ?? (await this.mirror.load(sql, org, type, ids));
    const rowIds = rows.map((r) => r.id);
    const links = await sql.query<{ id: string; other_type: string; other_id: string; is_client: boolean }>(
      `SELECT l.id, l.other_type, l.other_id,
              l.other_type = 'companies' AND EXISTS (SELECT 1 FROM stanna.clients c WHERE c.organization_uid = $1 AND c.company_id = l.other_id) AS is_client
         FROM (SELECT from_id AS id, to_type AS other_type, to_id AS other_id FROM hubspot.associations
                WHERE organization_uid = $1 AND from_type = $2 AND to_type IN ('companies','contacts','deals') AND from_id = ANY($3::text[])
               UNION
               SELECT to_id, from_type, from_id FROM hubspot.associations
                WHERE organization_uid = $1 AND to_type = $2 AND from_type IN ('companies','contacts','deals') AND to_id = ANY($3::text[])) l`,
      [org, type, rowIds],
    );
    const previous = await sql.query<{ company_ids: string[]; contact_ids: string[] }>(
      `SELECT company_ids, contact_ids FROM stanna.activities WHERE organization_uid = $1 AND activity_type = $2 AND activity_id = ANY($3::text[])`,
      [org, type, rowIds],
    );
    const byId = new Map<string, typeof links>();
    for (const l of links) {
      const list = byId.get(l.id);
      if (list) list.push(l);
      else byId.set(l.id, [l]);
    }

    const removed = rows.filter((r) => r.archived).map((r) => r.id);
    const payload: (ActivityFields & { company_ids: string[]; contact_ids: string[]; deal_ids: string[]; client_company_id: string | null; hubspot_updated_at: Date })[] = [];
    for (const row of rows) {
      if (row.archived) continue;
      const { activity, invalidFields } = mapEngagementToActivity(type, row.id, row.properties, row.created_at ? new Date(row.created_at).toISOString() : null, run.settings.stanna, run.settings.mappings);
      if (invalidFields.length) result.invalidFields.set(row.id, invalidFields.map((f) => `${f.field}: ${f.reason}`));
      const mine = byId.get(row.id) ?? [];
      const companies = uniqueIds(mine.filter((l) => l.other_type === 'companies').map((l) => l.other_id));
      const clientCompany = mine.filter((l) => l.is_client).map((l) => l.other_id).sort(compareIds)[0] ?? companies[0] ?? null;
      payload.push({
        ...activity,
        company_ids: companies,
        contact_ids: uniqueIds(mine.filter((l) => l.other_type === 'contacts').map((l) => l.other_id)),
        deal_ids: uniqueIds(mine.filter((l) => l.other_type === 'deals').map((l) => l.other_id)),
        client_company_id: clientCompany,
        hubspot_updated_at: row.updated_at,
      });
    }
    result.affectedCompanies = uniqueIds([...previous.flatMap((p) => p.company_ids), ...payload.flatMap((p) => p.company_ids)]);
    result.affectedContacts = uniqueIds([...previous.flatMap((p) => p.contact_ids), ...payload.flatMap((p) => p.contact_ids)]);

    if (removed.length) {
      await sql.query(`DELETE FROM stanna.activities WHERE organization_uid = $1 AND activity_type = $2 AND activity_id = ANY($3::text[])`, [org, type, removed]);
    }
    if (payload.length) {
      payload.sort((a, b) => compareIds(a.activity_id, b.activity_id));
      await sql.query(
        `INSERT INTO stanna.activities AS a (organization_uid, activity_type, activity_id, portal_id, occurred_at, direction, outcome, status, subject, body,
           sentiment_score, sentiment_comparative, email_opens, email_clicks, email_replies, company_ids, contact_ids, deal_ids, client_company_id,
           custom_fields, hubspot_updated_at, mapped_at)
         SELECT $1, x.activity_type, x.activity_id, $2, x.occurred_at, x.direction, x.outcome, x.status, x.subject, x.body,
           x.sentiment_score, x.sentiment_comparative, x.email_opens, x.email_clicks, x.email_replies,
           ARRAY(SELECT jsonb_array_elements_text(x.company_ids)), ARRAY(SELECT jsonb_array_elements_text(x.contact_ids)),
           ARRAY(SELECT jsonb_array_elements_text(x.deal_ids)), x.client_company_id, x.custom_fields, x.hubspot_updated_at, now()
           FROM jsonb_to_recordset($3::jsonb) AS x(activity_type text, activity_id text, occurred_at timestamptz, direction text, outcome text, status text,
             subject text, body text, sentiment_score numeric, sentiment_comparative numeric, email_opens int, email_clicks int, email_replies int,
             company_ids jsonb, contact_ids jsonb, deal_ids jsonb, client_company_id text, custom_fields jsonb, hubspot_updated_at timestamptz)
         ON CONFLICT (organization_uid, activity_type, activity_id) DO UPDATE SET
           portal_id = excluded.portal_id, occurred_at = excluded.occurred_at, direction = excluded.direction, outcome = excluded.outcome,
           status = excluded.status, subject = excluded.subject, body = excluded.body, sentiment_score = excluded.sentiment_score,
           sentiment_comparative = excluded.sentiment_comparative, email_opens = excluded.email_opens, email_clicks = excluded.email_clicks,
           email_replies = excluded.email_replies, company_ids = excluded.company_ids, contact_ids = excluded.contact_ids, deal_ids = excluded.deal_ids,
           client_company_id = excluded.client_company_id, custom_fields = excluded.custom_fields, hubspot_updated_at = excluded.hubspot_updated_at,
           mapped_at = now()`,
        [org, run.portalId, jsonParam(payload)],
      );
    }
    return result;
  }
}
