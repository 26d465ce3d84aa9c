import { applyMappings } from '../mapping/apply-mappings';
import { PropertyBag, toNumber } from '../mapping/mapping-expression';
import { PropertyMapping } from '../mapping/property-mapping-validation';
import { SKIP_RULES, SkipReason } from '../validation/skip-rules';
import { toIsoTimestamp, toTimestamp } from './dates';
import { findStage, PipelineDirectory, StageInfo } from './pipeline-stages';
import { dealMrrContribution, homeToOrgCurrency, round2, toOrgCurrency } from './revenue';
import { StannaConfig } from './stanna-config';

export type DealKind = 'renewal' | 'expansion' | 'new_business' | 'other';
export type ChurnRisk = 'high' | 'medium' | 'low';

export interface StageChange {
  stage_id: string;
  stage_label: string | null;
  at: string;
}

export interface DealRow {
  deal_id: string;
  name: string | null;
  pipeline_id: string | null;
  pipeline_label: string | null;
  stage_id: string | null;
  stage_label: string | null;
  close_date: string | null;
  amount: number | null;
  currency: string | null;
  /** Amount in org currency: `amount_in_home_currency` when present, else converted with org rates. */
  amount_org: number | null;
  probability: number | null;
  mrr_contribution: number | null;
  deal_kind: DealKind;
  is_closed: boolean;
  is_won: boolean;
  is_lost: boolean;
  renewal_probability: number | null;
  stage_history: StageChange[] | null;
  stage_regressions: number;
  churn_risk: ChurnRisk;
  churn_reasons: string[];
  health_indicator: number | null;
  custom_fields: Record<string, unknown>;
}

export interface DealContext {
  config: StannaConfig;
  pipelines: PipelineDirectory;
  lineItems: PropertyBag[];
  /** `propertiesWithHistory.dealstage` when fetched (HubSpot lists versions newest first). */
  stageHistory?: { value: string | null; timestamp: string }[] | null;
  mappings: readonly PropertyMapping[];
}

export type DealMapping = { ok: true; deal: DealRow; invalidFields: { field: string; reason: string }[] } | { ok: false; skip: SkipReason };

const ENTITY = 'stanna.deal';

/** Deal → Stanna deal (seed 002 "Deal Information", "Renewal Tracking"). */
export function mapDeal(dealId: string, props: PropertyBag, ctx: DealContext): DealMapping {
  const { config } = ctx;
  const mapped = applyMappings(ENTITY, ctx.mappings, props);
  const has = (f: string) => Object.prototype.hasOwnProperty.call(mapped.fields, f);

  const amount = has('amount') ? toNumber(mapped.fields['amount'] as number | null) : toNumber(props['amount'] ?? null);
  if (amount !== null && amount < 0) return { ok: false, skip: { rule: SKIP_RULES.negativeAmount, detail: `deal amount ${amount} is negative` } };
  const currency = ((has('currency') ? (mapped.fields['currency'] as string | null) : props['deal_currency_code']) || null)?.toUpperCase() ?? null;
  const home = toNumber(props['amount_in_home_currency'] ?? null);
  const amountOrg = home !== null ? homeToOrgCurrency(home, config) : toOrgCurrency(amount, currency, config);

  const pipelineId = props['pipeline'] || null;
  const pipeline = pipelineId ? ctx.pipelines.get(pipelineId) : undefined;
  const stageId = props['dealstage'] || null;
  const stage = findStage(ctx.pipelines, pipelineId, stageId);
  const { isClosed, isWon, isLost } = closedState(props, stage, stageId);

  const probability = has('probability')
    ? toNumber(mapped.fields['probability'] as number | null)
    : (stage?.probability ?? toNumber(props['hs_deal_stage_probability'] ?? null));

  const kind = has('deal_type') ? kindFromDealType(mapped.fields['deal_type'] as string | null, config) : dealKind(props, pipelineId, pipeline?.label ?? null, config);
  const history = stageHistory(ctx.stageHistory, ctx.pipelines, pipelineId);
  const regressions = countRegressions(history, ctx.pipelines, pipelineId);
  const reasons: string[] = [];
  if (kind === 'renewal' && isLost) reasons.push('closed_lost_renewal');
  if (regressions > 0) reasons.push(`stage_regressions:${regressions}`);
  const churnRisk: ChurnRisk = kind === 'renewal' && isLost ? 'high' : regressions >= 2 ? 'high' : regressions === 1 ? 'medium' : 'low';

  const mrr = has('mrr_contribution') ? toNumber(mapped.fields['mrr_contribution'] as number | null) : dealMrrContribution({ properties: props, lineItems: ctx.lineItems }, config);
  const name = has('name') ? (mapped.fields['name'] as string | null) : (props['dealname'] ?? null);
  const closeDate = has('close_date') ? (mapped.fields['close_date'] as string | null) : toIsoTimestamp(props['closedate']);

  return {
    ok: true,
    invalidFields: mapped.invalid,
    deal: {
      deal_id: dealId,
      name: name || null,
      pipeline_id: pipelineId,
      pipeline_label: pipeline?.label ?? null,
      stage_id: stageId,
      stage_label: stage?.label ?? null,
      close_date: closeDate,
      amount,
      currency,
      amount_org: amountOrg === null ? null : round2(amountOrg),
      probability,
      mrr_contribution: mrr,
      deal_kind: kind,
      is_closed: isClosed,
      is_won: isWon,
      is_lost: isLost,
      renewal_probability: kind === 'renewal' ? (isClosed ? (isWon ? 1 : 0) : probability) : null,
      stage_history: history,
      stage_regressions: regressions,
      churn_risk: churnRisk,
      churn_reasons: reasons,
      health_indicator: healthIndicator(props, config),
      custom_fields: mapped.custom,
    },
  };
}

function closedState(props: PropertyBag, stage: StageInfo | null, stageId: string | null): { isClosed: boolean; isWon: boolean; isLost: boolean } {
  if (stage && stage.isClosed !== null) {
    const won = stage.isClosed && stage.probability !== null && stage.probability >= 1;
    return { isClosed: stage.isClosed, isWon: won, isLost: stage.isClosed && !won };
  }
  if (props['hs_is_closed'] === 'true' || props['hs_is_closed_won'] === 'true') {
    const won = props['hs_is_closed_won'] === 'true';
    return { isClosed: true, isWon: won, isLost: !won };
  }
  if (stageId === 'closedwon') return { isClosed: true, isWon: true, isLost: false };
  if (stageId === 'closedlost') return { isClosed: true, isWon: false, isLost: true };
  return { isClosed: false, isWon: false, isLost: false };
}

/** Renewal pipelines first, then the deal type (`existingbusiness` / `newbusiness`), all configurable. */
export function dealKind(props: PropertyBag, pipelineId: string | null, pipelineLabel: string | null, config: StannaConfig): DealKind {
  const lowered = config.renewalPipelines.map((p) => p.toLowerCase());
  if ((pipelineId && lowered.includes(pipelineId.toLowerCase())) || (pipelineLabel && lowered.includes(pipelineLabel.toLowerCase()))) return 'renewal';
  const pattern = config.renewalPipelineLabelPattern?.toLowerCase();
  if (pattern && pipelineLabel && pipelineLabel.toLowerCase().includes(pattern)) return 'renewal';
  return kindFromDealType(props['dealtype'] ?? null, config);
}

function kindFromDealType(value: string | null, config: StannaConfig): DealKind {
  if (!value) return 'other';
  return config.dealTypeKinds[value.toLowerCase()] ?? 'other';
}

function stageHistory(versions: DealContext['stageHistory'], pipelines: PipelineDirectory, pipelineId: string | null): StageChange[] | null {
  if (!versions || !Array.isArray(versions) || versions.length === 0) return null;
  const changes = versions
    .filter((v) => v && typeof v.value === 'string' && v.value !== '' && toTimestamp(String(v.timestamp)))
    .map((v) => ({ stage_id: v.value as string, at: (toTimestamp(String(v.timestamp)) as Date).toISOString() }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const out: StageChange[] = [];
  for (const c of changes) {
    if (out.length && out[out.length - 1].stage_id === c.stage_id) continue;
    out.push({ ...c, stage_label: findStage(pipelines, pipelineId, c.stage_id)?.label ?? null });
  }
  return out;
}

/** A move to an earlier open stage (lower display order) is a regression; closing is not. */
function countRegressions(history: StageChange[] | null, pipelines: PipelineDirectory, pipelineId: string | null): number {
  if (!history) return 0;
  let count = 0;
  for (let i = 1; i < history.length; i++) {
    const prev = findStage(pipelines, pipelineId, history[i - 1].stage_id);
    const cur = findStage(pipelines, pipelineId, history[i].stage_id);
    if (!prev || !cur || cur.isClosed) continue;
    if (cur.displayOrder < prev.displayOrder) count++;
  }
  return count;
}

function healthIndicator(props: PropertyBag, config: StannaConfig): number | null {
  const scores: number[] = [];
  for (const ind of config.health.dealIndicators) {
    const v = props[ind.property];
    if (v !== null && v !== undefined && Object.prototype.hasOwnProperty.call(ind.scores, v)) scores.push(ind.scores[v]);
  }
  return scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
}
