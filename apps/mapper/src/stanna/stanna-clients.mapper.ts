import { Injectable } from '@nestjs/common';
import { ClientRow, mapCompanyToClient, OwnerInfo, SKIP_RULES, SkipReason } from '@hubsync/domain';
import { jsonParam } from '../database/json-param';
import { MirrorObjectsRepository, MirrorRow } from '../mirror/mirror-objects.repository';
import { compareIds } from '../models/association-lookup';
import { MappingRun } from '../models/mapping-run';

export interface MapperResult {
  skips: Map<string, SkipReason>;
  invalidFields: Map<string, string[]>;
}

interface Candidate {
  client: ClientRow;
  createdAt: number;
}

/**
 * Companies → `stanna.clients` (seed 002). Validation decides which companies become clients; one
 * client per domain — the earliest created company with that domain holds it (ties: lowest id), the
 * others are reported as duplicates.
 */
@Injectable()
export class StannaClientsMapper {
  constructor(private readonly mirror: MirrorObjectsRepository) {}

  async refresh(run: MappingRun, companyIds: string[], preloaded?: MirrorRow[]): Promise<MapperResult> {
    const result: MapperResult = { skips: new Map(), invalidFields: new Map() };
    if (companyIds.length === 0) return result;
    const { sql, organizationUid: org } = run;
    const rows = preloaded ?? (await this.mirror.load(sql, org, 'companies', companyIds));
    const live = rows.filter((r) => !r.archived);
    // Deals per company are probed with `@> ARRAY[id]` (a GIN lookup per company; see StannaHealthMapper).
    const ownerIds = [...new Set(live.map((r) => r.properties['hubspot_owner_id']).filter((x): x is string => !!x))];
    const [context] = await sql.query<{ owners: Record<string, OwnerInfo> | null; custom_properties: string[] | null; deal_mrr: Record<string, (number | string)[]> | null }>(
      `SELECT
         (SELECT jsonb_object_agg(id, jsonb_build_object('name', NULLIF(btrim(concat_ws(' ', first_name, last_name)), ''), 'email', email))
            FROM hubspot.owners WHERE organization_uid = $1 AND id = ANY($2::text[])) AS owners,
         (SELECT jsonb_agg(name) FROM hubspot.properties
           WHERE organization_uid = $1 AND object_type = 'companies' AND hubspot_defined IS NOT TRUE AND NOT archived) AS custom_properties,
         (SELECT jsonb_object_agg(company_id, contributions) FROM (
            SELECT c.company_id, jsonb_agg(d.mrr_contribution ORDER BY d.deal_id) AS contributions
              FROM (SELECT DISTINCT unnest($3::text[]) AS company_id) c
              JOIN stanna.deals d ON d.organization_uid = $1 AND d.company_ids @> ARRAY[c.company_id]
             WHERE d.mrr_contribution IS NOT NULL AND NOT d.is_lost
             GROUP BY c.company_id) x) AS deal_mrr`,
      [org, ownerIds, live.map((r) => r.id)],
    );
    const owners = new Map(Object.entries(context?.owners ?? {}));
    const customProperties = new Set(context?.custom_properties ?? []);
    const dealMrr = context?.deal_mrr ?? {};

    const remove = new Set<string>(rows.filter((r) => r.archived).map((r) => r.id));
    const byDomain = new Map<string, Candidate[]>();
    for (const row of live) {
      const mapped = mapCompanyToClient(row.id, row.properties, {
        config: run.settings.stanna,
        statusMap: run.settings.statusMap,
        owners,
        subscriptionDealMrr: (dealMrr[row.id] ?? []).map(Number),
        customProperties,
        mappings: run.settings.mappings,
      });
      if (!mapped.ok) {
        result.skips.set(row.id, mapped.skip);
        remove.add(row.id);
        continue;
      }
      if (mapped.invalidFields.length) result.invalidFields.set(row.id, mapped.invalidFields.map((f) => `${f.field}: ${f.reason}`));
      const list = byDomain.get(mapped.client.domain) ?? [];
      list.push({ client: mapped.client, createdAt: row.created_at ? new Date(row.created_at).getTime() : Number.POSITIVE_INFINITY });
      byDomain.set(mapped.client.domain, list);
    }

    // Existing holders of these domains among companies outside this pass.
    const passIds = rows.map((r) => r.id);
    const holders = byDomain.size
      ? await sql.query<{ company_id: string; domain: string; hubspot_created_at: Date | null }>(
          `SELECT company_id, domain, hubspot_created_at FROM stanna.clients
            WHERE organization_uid = $1 AND domain = ANY($2::text[]) AND NOT (company_id = ANY($3::text[]))`,
          [org, [...byDomain.keys()], passIds],
        )
      : [];
    const holderByDomain = new Map(holders.map((h) => [h.domain, h]));

    const winners: Candidate[] = [];
    for (const [domain, list] of byDomain) {
      const contenders: (Candidate & { holder?: boolean })[] = [...list];
      const holder = holderByDomain.get(domain);
      if (holder) {
        contenders.push({
          client: { company_id: holder.company_id } as ClientRow,
          createdAt: holder.hubspot_created_at ? new Date(holder.hubspot_created_at).getTime() : Number.POSITIVE_INFINITY,
          holder: true,
        });
      }
      contenders.sort((a, b) => a.createdAt - b.createdAt || compareIds(a.client.company_id, b.client.company_id));
      const [winner, ...losers] = contenders;
      const detail = (id: string) => `domain ${domain} already belongs to the client of company ${id}`;
      for (const loser of losers) {
        remove.add(loser.client.company_id);
        if (loser.holder) run.cascadeSkips.push({ objectType: 'companies', objectId: loser.client.company_id, skip: { rule: SKIP_RULES.duplicateDomain, detail: detail(winner.client.company_id) } });
        else result.skips.set(loser.client.company_id, { rule: SKIP_RULES.duplicateDomain, detail: detail(winner.client.company_id) });
      }
      if (!winner.holder) winners.push(winner);
    }

    if (remove.size) {
      await sql.query(
        `WITH health AS (DELETE FROM stanna.health_scores WHERE organization_uid = $1 AND company_id = ANY($2::text[]))
         DELETE FROM stanna.clients WHERE organization_uid = $1 AND company_id = ANY($2::text[])`,
        [org, [...remove]],
      );
      await sql.query(
        `UPDATE stanna.stakeholders SET client_company_id = NULL, client_source = NULL
          WHERE organization_uid = $1 AND client_source = 'company_property' AND client_company_id = ANY($2::text[])`,
        [org, [...remove]],
      );
    }
    if (winners.length) {
      const createdAt = new Map(live.map((r) => [r.id, r.created_at]));
      const updatedAt = new Map(live.map((r) => [r.id, r.updated_at]));
      const payload = winners
        .map((w) => ({ ...w.client, hubspot_created_at: createdAt.get(w.client.company_id) ?? null, hubspot_updated_at: updatedAt.get(w.client.company_id) ?? null }))
        .sort((a, b) => compareIds(a.company_id, b.company_id));
      await sql.query(
        `INSERT INTO stanna.clients AS c (organization_uid, company_id, portal_id, name, domain, mrr, mrr_source, currency, renewal_date, csm_owner_id,
           csm_owner_name, csm_owner_email, lifecycle_stage, status, tags, custom_fields, hubspot_created_at, hubspot_updated_at, mapped_at)
         SELECT $1, x.company_id, $2, x.name, x.domain, x.mrr, x.mrr_source, x.currency, x.renewal_date, x.csm_owner_id,
           x.csm_owner_name, x.csm_owner_email, x.lifecycle_stage, x.status, ARRAY(SELECT jsonb_array_elements_text(x.tags)), x.custom_fields,
           x.hubspot_created_at, x.hubspot_updated_at, now()
           FROM jsonb_to_recordset($3::jsonb) AS x(company_id text, name text, domain text, mrr numeric, mrr_source text, currency text, renewal_date date,
             csm_owner_id text, csm_owner_name text, csm_owner_email text, lifecycle_stage text, status text, tags jsonb, custom_fields jsonb,
             hubspot_created_at timestamptz, hubspot_updated_at timestamptz)
         ON CONFLICT (organization_uid, company_id) DO UPDATE SET
           portal_id = excluded.portal_id, name = excluded.name, domain = excluded.domain, mrr = excluded.mrr, mrr_source = excluded.mrr_source,
           currency = excluded.currency, renewal_date = excluded.renewal_date, csm_owner_id = excluded.csm_owner_id,
           csm_owner_name = excluded.csm_owner_name, csm_owner_email = excluded.csm_owner_email, lifecycle_stage = excluded.lifecycle_stage,
           status = excluded.status, tags = excluded.tags, custom_fields = excluded.custom_fields,
           hubspot_created_at = excluded.hubspot_created_at, hubspot_updated_at = excluded.hubspot_updated_at, mapped_at = now()`,
        [org, run.portalId, jsonParam(payload)],
      );
      // Contacts whose `company` property names one of these clients (seed 002: "company → Client Association").
      await sql.query(
        `UPDATE stanna.stakeholders s SET client_company_id = c.company_id, client_source = 'company_property'
           FROM stanna.clients c
          WHERE s.organization_uid = $1 AND c.organization_uid = $1 AND c.company_id = ANY($2::text[])
            AND s.client_company_id IS NULL AND s.company_name IS NOT NULL AND lower(s.company_name) = lower(c.name)`,
        [org, payload.map((p) => p.company_id)],
      );
    }
    return result;
  }
}
