import { Injectable } from '@nestjs/common';
import { computeHealthScore, HealthActivity, HealthDeal } from '@hubsync/domain';
import { jsonParam } from '../database/json-param';
import { compareIds } from '../models/association-lookup';
import { MappingRun } from '../models/mapping-run';

/**
 * `stanna.health_scores`: recomputed for clients whose activities or deals changed, stored with the
 * components (seed 002 "Activity-Based Insights"). Companies that are not clients have none.
 */
@Injectable()
export class StannaHealthMapper {
  async refresh(run: MappingRun, companyIds: string[]): Promise<void> {
    if (companyIds.length === 0) return;
    const { sql, organizationUid: org, now } = run;
    const config = run.settings.stanna;
    const windowDays = Math.max(90, config.health.recencyZeroAfterDays);
    // One row per (wanted company, linked activity/deal). Probed per company id with `@> ARRAY[id]`
    // (a parameterised GIN lookup) rather than `company_ids && $2`: for the latter the planner, whose
    // estimate ignores the array's length, prefers a sequential scan evaluating a 200-element overlap
    // on every row of the org (40 ms at 4 k deals, growing with the table). Ordered, so the score's
    // sums and its `indicators` list do not depend on the physical row order.
    const activities = await sql.query<{ company_id: string; activity_type: string; occurred_at: Date | null; outcome: string | null; status: string | null; sentiment_comparative: string | null }>(
      `SELECT c.company_id, a.activity_type, a.occurred_at, a.outcome, a.status, a.sentiment_comparative
         FROM (SELECT DISTINCT unnest($2::text[]) AS company_id) c
         JOIN stanna.activities a ON a.organization_uid = $1 AND a.company_ids @> ARRAY[c.company_id]
        WHERE a.occurred_at >= $3::timestamptz - make_interval(days => $4) OR (a.activity_type = 'tasks' AND upper(COALESCE(a.status, '')) <> 'COMPLETED')
        ORDER BY a.activity_type, a.activity_id`,
      [org, companyIds, now.toISOString(), windowDays],
    );
    const deals = await sql.query<{ company_id: string; is_closed: boolean; is_lost: boolean; churn_risk: 'high' | 'medium' | 'low'; health_indicator: string | null }>(
      `SELECT c.company_id, d.is_closed, d.is_lost, d.churn_risk, d.health_indicator
         FROM (SELECT DISTINCT unnest($2::text[]) AS company_id) c
         JOIN stanna.deals d ON d.organization_uid = $1 AND d.company_ids @> ARRAY[c.company_id]
        ORDER BY d.deal_id`,
      [org, companyIds],
    );
    const wanted = new Set(companyIds);
    const actsBy = new Map<string, HealthActivity[]>();
    for (const a of activities) {
      const h: HealthActivity = {
        type: a.activity_type,
        occurredAt: a.occurred_at ? new Date(a.occurred_at) : null,
        outcome: a.outcome,
        status: a.status,
        sentimentComparative: a.sentiment_comparative === null ? null : Number(a.sentiment_comparative),
      };
      pushTo(actsBy, a.company_id, h);
    }
    const dealsBy = new Map<string, HealthDeal[]>();
    for (const d of deals) {
      const h: HealthDeal = { isClosed: d.is_closed, isLost: d.is_lost, churnRisk: d.churn_risk, healthIndicator: d.health_indicator === null ? null : Number(d.health_indicator) };
      pushTo(dealsBy, d.company_id, h);
    }
    const payload = [...wanted].sort(compareIds).map((companyId) => {
      const h = computeHealthScore(actsBy.get(companyId) ?? [], dealsBy.get(companyId) ?? [], config, now);
      return { company_id: companyId, score: h.score, components: h.components };
    });
    await sql.query(
      `WITH input AS (
         SELECT x.* FROM jsonb_to_recordset($2::jsonb) AS x(company_id text, score numeric, components jsonb)
       ), gone AS (
         DELETE FROM stanna.health_scores h USING input i
          WHERE h.organization_uid = $1 AND h.company_id = i.company_id
            AND NOT EXISTS (SELECT 1 FROM stanna.clients c WHERE c.organization_uid = $1 AND c.company_id = i.company_id)
       )
       INSERT INTO stanna.health_scores AS h (organization_uid, company_id, score, components, computed_at)
       SELECT $1, i.company_id, i.score, i.components, $3::timestamptz FROM input i
        WHERE EXISTS (SELECT 1 FROM stanna.clients c WHERE c.organization_uid = $1 AND c.company_id = i.company_id)
       ON CONFLICT (organization_uid, company_id) DO UPDATE SET score = excluded.score, components = excluded.components, computed_at = excluded.computed_at`,
      [org, jsonParam(payload), now.toISOString()],
    );
  }
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
