import { Injectable } from '@nestjs/common';
import { DealRow, mapDeal } from '@hubsync/domain';
import { jsonParam } from '../database/json-param';
import { MirrorObjectsRepository, MirrorRow } from '../mirror/mirror-objects.repository';
import { compareIds, groupLinks, linkedIds, uniqueIds } from '../models/association-lookup';
import { MappingRun } from '../models/mapping-run';
import { OrgSettingsRepository } from '../models/org-settings.repository';
import { MapperResult } from './stanna-clients.mapper';

export interface DealsResult extends MapperResult {
  /** Companies whose revenue or health may have changed: linked to these deals before or now. */
  affectedCompanies: string[];
}

/** Deals → `stanna.deals` (seed 002 "Deal Information", "Renewal Tracking"), with recurring line items. */
@Injectable()
export class StannaDealsMapper {
  constructor(
    private readonly mirror: MirrorObjectsRepository,
    private readonly settings: OrgSettingsRepository,
  ) {}

  async refresh(run: MappingRun, dealIds: string[], preloaded?: MirrorRow[]): Promise<DealsResult> {
    const result: DealsResult = { skips: new Map(), invalidFields: new Map(), affectedCompanies: [] };
    if (dealIds.length === 0) return result;
    const { sql, organizationUid: org } = run;
    const rows = preloaded ?? (await this.mirror.load(sql, org, 'deals', dealIds));
    const ids = rows.map((r) => r.id);
    const pipelines = await run.pipelines(() => this.settings.dealPipelines(sql, org));
    const links = groupLinks(await linkedIds(sql, org, 'deals', ids, ['companies', 'line_items']));
    const lineItemIds = uniqueIds([...links.values()].flat().filter((l) => l.other_type === 'line_items').map((l) => l.other_id));
    const lineItems = lineItemIds.length
      ? await sql.query<{ id: string; properties: Record<string, string | null> }>(
          `SELECT id, properties FROM hubspot.objects WHERE organization_uid = $1 AND object_type = 'line_items' AND id = ANY($2::text[]) AND NOT archived`,
          [org, lineItemIds],
        )
      : [];
    const lineItemProps = new Map(lineItems.map((l) => [l.id, l.properties]));
    const previous = await sql.query<{ company_ids: string[] }>(
      `SELECT company_ids FROM stanna.deals WHERE organization_uid = $1 AND deal_id = ANY($2::text[])`,
      [org, ids],
    );

    const remove = new Set(rows.filter((r) => r.archived).map((r) => r.id));
    const payload: (DealRow & { company_ids: string[]; client_company_id: string | null; hubspot_updated_at: Date })[] = [];
    for (const row of rows) {
      if (row.archived) continue;
      const dealLinks = links.get(row.id) ?? [];
      const companies = uniqueIds(dealLinks.filter((l) => l.other_type === 'companies').map((l) => l.other_id));
      const primary = dealLinks.find((l) => l.other_type === 'companies' && (l.type_id === 5 || /primary/i.test(l.label ?? '')))?.other_id;
      const m = mapDeal(row.id, row.properties, {
        config: run.settings.stanna,
        pipelines,
        lineItems: dealLinks.filter((l) => l.other_type === 'line_items').map((l) => lineItemProps.get(l.other_id)).filter((p): p is Record<string, string | null> => !!p),
        stageHistory: row.properties_with_history?.['dealstage'] ?? null,
        mappings: run.settings.mappings,
      });
      if (!m.ok) {
        result.skips.set(row.id, m.skip);
        remove.add(row.id);
        continue;
      }
      if (m.invalidFields.length) result.invalidFields.set(row.id, m.invalidFields.map((f) => `${f.field}: ${f.reason}`));
      payload.push({ ...m.deal, company_ids: companies, client_company_id: primary ?? companies[0] ?? null, hubspot_updated_at: row.updated_at });
    }
    result.affectedCompanies = uniqueIds([...previous.flatMap((p) => p.company_ids), ...payload.flatMap((p) => p.company_ids)]);

    if (remove.size) await sql.query(`DELETE FROM stanna.deals WHERE organization_uid = $1 AND deal_id = ANY($2::text[])`, [org, [...remove]]);
    if (payload.length) {
      payload.sort((a, b) => compareIds(a.deal_id, b.deal_id));
      await sql.query(
        `INSERT INTO stanna.deals AS d (organization_uid, deal_id, portal_id, name, pipeline_id, pipeline_label, stage_id, stage_label, close_date, amount,
           currency, amount_org, probability, mrr_contribution, deal_kind, is_closed, is_won, is_lost, renewal_probability, stage_history,
           stage_regressions, churn_risk, churn_reasons, health_indicator, company_ids, client_company_id, custom_fields, hubspot_updated_at, mapped_at)
         SELECT $1, x.deal_id, $2, x.name, x.pipeline_id, x.pipeline_label, x.stage_id, x.stage_label, x.close_date, x.amount,
           x.currency, x.amount_org, x.probability, x.mrr_contribution, x.deal_kind, x.is_closed, x.is_won, x.is_lost, x.renewal_probability, x.stage_history,
           x.stage_regressions, x.churn_risk, ARRAY(SELECT jsonb_array_elements_text(x.churn_reasons)), x.health_indicator,
           ARRAY(SELECT jsonb_array_elements_text(x.company_ids)), x.client_company_id, x.custom_fields, x.hubspot_updated_at, now()
           FROM jsonb_to_recordset($3::jsonb) AS x(deal_id text, name text, pipeline_id text, pipeline_label text, stage_id text, stage_label text,
             close_date timestamptz, amount numeric, currency text, amount_org numeric, probability numeric, mrr_contribution numeric, deal_kind text,
             is_closed boolean, is_won boolean, is_lost boolean, renewal_probability numeric, stage_history jsonb, stage_regressions int, churn_risk text,
             churn_reasons jsonb, health_indicator numeric, company_ids jsonb, client_company_id text, custom_fields jsonb, hubspot_updated_at timestamptz)
         ON CONFLICT (organization_uid, deal_id) DO UPDATE SET
           portal_id = excluded.portal_id, name = excluded.name, pipeline_id = excluded.pipeline_id, pipeline_label = excluded.pipeline_label,
           stage_id = excluded.stage_id, stage_label = excluded.stage_label, close_date = excluded.close_date, amount = excluded.amount,
           currency = excluded.currency, amount_org = excluded.amount_org, probability = excluded.probability, mrr_contribution = excluded.mrr_contribution,
           deal_kind = excluded.deal_kind, is_closed = excluded.is_closed, is_won = excluded.is_won, is_lost = excluded.is_lost,
           renewal_probability = excluded.renewal_probability,
           stage_history = excluded.stage_history, stage_regressions = excluded.stage_regressions,
           churn_risk = excluded.churn_risk, churn_reasons = excluded.churn_reasons, health_indicator = excluded.health_indicator,
           company_ids = excluded.company_ids, client_company_id = excluded.client_company_id, custom_fields = excluded.custom_fields,
           hubspot_updated_at = excluded.hubspot_updated_at, mapped_at = now()`,
        [org, run.portalId, jsonParam(payload)],
      );
    }
    return result;
  }

  /** Deals linked to these line items (a line item change moves its deal's MRR contribution). */
  async dealsOfLineItems(run: MappingRun, lineItemIds: string[]): Promise<string[]> {
    const links = await linkedIds(run.sql, run.organizationUid, 'line_items', lineItemIds, ['deals']);
    return uniqueIds(links.map((l) => l.other_id));
  }
}
