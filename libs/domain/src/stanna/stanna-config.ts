/**
 * Stanna's mapping defaults from seed 002 ("Standard Field Mapping", "MRR Calculation", "Renewal
 * Tracking", "Activity-Based Insights"), each overridable per org (`stanna.settings.config`).
 */
export type MrrSource = { kind: 'property'; property: string; divisor: number } | { kind: 'deals' };

export interface HealthWeights {
  recency: number;
  frequency: number;
  meetings: number;
  tasks: number;
  deals: number;
  sentiment: number;
}

export interface DealIndicator {
  /** A deal property whose value indicates client health, e.g. a custom "health" dropdown. */
  property: string;
  /** value → score 0..100. */
  scores: Record<string, number>;
}

export interface StannaConfig {
  /** Currency clients' MRR and deals' home amounts are reported in. */
  orgCurrency: string;
  /** Currency of company revenue properties and `amount_in_home_currency` (the portal's); defaults to orgCurrency. */
  portalCurrency: string | null;
  /** 1 unit of the key currency = `rate` units of orgCurrency. */
  currencyRates: Record<string, number>;
  /** Client MRR sources, first usable one wins. */
  mrrSources: MrrSource[];
  /** A client MRR above this (per month, org currency) or below 0 fails validation. */
  maxMonthlyRevenue: number;
  renewalDateProperties: string[];
  /** Company lifecycle stage → client status; rows of `stanna.client_status_map` override these. */
  lifecycleStatusMap: Record<string, string>;
  defaultClientStatus: string;
  /** 'custom' = every non-HubSpot-defined company property not consumed by another mapping. */
  tagProperties: 'custom' | string[];
  tagExcludedProperties: string[];
  requireStakeholderEmail: boolean;
  /** Deals in these pipelines (id or label, case-insensitive) are renewals… */
  renewalPipelines: string[];
  /** …as are deals in pipelines whose label contains this (case-insensitive); null disables. */
  renewalPipelineLabelPattern: string | null;
  /** `dealtype` value → deal kind. */
  dealTypeKinds: Record<string, 'renewal' | 'expansion' | 'new_business'>;
  health: {
    weights: HealthWeights;
    /** Days after which the recency component reaches 0. */
    recencyZeroAfterDays: number;
    /** Activities in 30 days that score 100 on frequency. */
    frequencyTarget30d: number;
    dealIndicators: DealIndicator[];
  };
  engagement: {
    /** score = 3·activities30 + activities90 + opens/2 + clicks + 2·replies */
    highAtLeast: number;
    mediumAtLeast: number;
  };
  emailCounterProperties: { opens: string; clicks: string; replies: string };
}

export const DEFAULT_STANNA_CONFIG: StannaConfig = {
  orgCurrency: 'USD',
  portalCurrency: null,
  currencyRates: {},
  mrrSources: [
    { kind: 'property', property: 'mrr', divisor: 1 },
    { kind: 'property', property: 'annual_recurring_revenue', divisor: 12 },
    { kind: 'property', property: 'hs_mrr', divisor: 1 },
    { kind: 'property', property: 'hs_arr', divisor: 12 },
    { kind: 'property', property: 'hs_acv', divisor: 12 },
    { kind: 'deals' },
  ],
  maxMonthlyRevenue: 10_000_000,
  renewalDateProperties: ['renewal_date', 'contract_end_date'],
  lifecycleStatusMap: {
    subscriber: 'prospect',
    lead: 'prospect',
    marketingqualifiedlead: 'prospect',
    salesqualifiedlead: 'prospect',
    opportunity: 'onboarding',
    customer: 'active',
    evangelist: 'active',
    other: 'inactive',
  },
  defaultClientStatus: 'unknown',
  tagProperties: 'custom',
  tagExcludedProperties: [],
  requireStakeholderEmail: true,
  renewalPipelines: [],
  renewalPipelineLabelPattern: 'renewal',
  dealTypeKinds: { existingbusiness: 'expansion', newbusiness: 'new_business', renewal: 'renewal' },
  health: {
    weights: { recency: 25, frequency: 20, meetings: 10, tasks: 10, deals: 20, sentiment: 15 },
    recencyZeroAfterDays: 90,
    frequencyTarget30d: 8,
    dealIndicators: [],
  },
  engagement: { highAtLeast: 12, mediumAtLeast: 4 },
  emailCounterProperties: { opens: 'hs_email_open_count', clicks: 'hs_email_click_count', replies: 'hs_email_reply_count' },
};

/**
 * Merges an org's overrides onto the defaults (objects merge, arrays and scalars replace) and checks
 * the result; throws an Error naming the bad field.
 */
export function resolveStannaConfig(overrides: unknown): StannaConfig {
  if (overrides === null || overrides === undefined) return DEFAULT_STANNA_CONFIG;
  if (typeof overrides !== 'object' || Array.isArray(overrides)) throw new Error('stanna config must be an object');
  const merged = deepMerge(DEFAULT_STANNA_CONFIG, overrides as Record<string, unknown>, '') as StannaConfig;
  checkConfig(merged);
  return merged;
}

function deepMerge(base: unknown, over: unknown, path: string): unknown {
  if (over === undefined) return base;
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
      const sub = path ? `${path}.${k}` : k;
      out[k] = k in out ? deepMerge(out[k], v, sub) : v;
    }
    return out;
  }
  return over;
}

function isPlainObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkConfig(c: StannaConfig): void {
  const fail = (field: string, msg: string): never => {
    throw new Error(`stanna config: ${field} ${msg}`);
  };
  if (typeof c.orgCurrency !== 'string' || !/^[A-Z]{3}$/.test(c.orgCurrency)) fail('orgCurrency', 'must be a 3-letter ISO currency code');
  if (c.portalCurrency !== null && (typeof c.portalCurrency !== 'string' || !/^[A-Z]{3}$/.test(c.portalCurrency))) fail('portalCurrency', 'must be a 3-letter ISO currency code or null');
  if (!isPlainObject(c.currencyRates)) fail('currencyRates', 'must be an object');
  for (const [code, rate] of Object.entries(c.currencyRates)) {
    if (!/^[A-Z]{3}$/.test(code)) fail(`currencyRates.${code}`, 'key must be a 3-letter ISO currency code');
    if (typeof rate !== 'number' || !(rate > 0) || !Number.isFinite(rate)) fail(`currencyRates.${code}`, 'must be a positive number');
  }
  if (!Array.isArray(c.mrrSources) || c.mrrSources.length === 0) fail('mrrSources', 'must be a non-empty array');
  c.mrrSources.forEach((s, i) => {
    if (!isPlainObject(s)) fail(`mrrSources[${i}]`, 'must be an object');
    if (s.kind === 'deals') return;
    if (s.kind !== 'property') fail(`mrrSources[${i}].kind`, 'must be "property" or "deals"');
    const p = s as { property: unknown; divisor: unknown };
    if (typeof p.property !== 'string' || p.property === '') fail(`mrrSources[${i}].property`, 'must be a property name');
    if (typeof p.divisor !== 'number' || !(p.divisor > 0)) fail(`mrrSources[${i}].divisor`, 'must be a positive number');
  });
  // stanna.clients.mrr is numeric(18,2): anything larger could never be stored.
  if (typeof c.maxMonthlyRevenue !== 'number' || !(c.maxMonthlyRevenue > 0) || c.maxMonthlyRevenue > 1e15) fail('maxMonthlyRevenue', 'must be a positive number up to 1e15');
  if (!isStringArray(c.renewalDateProperties)) fail('renewalDateProperties', 'must be an array of property names');
  if (!isPlainObject(c.lifecycleStatusMap) || !Object.values(c.lifecycleStatusMap).every((v) => typeof v === 'string')) fail('lifecycleStatusMap', 'must map lifecycle stages to status strings');
  if (typeof c.defaultClientStatus !== 'string') fail('defaultClientStatus', 'must be a string');
  if (c.tagProperties !== 'custom' && !isStringArray(c.tagProperties)) fail('tagProperties', 'must be "custom" or an array of property names');
  if (!isStringArray(c.tagExcludedProperties)) fail('tagExcludedProperties', 'must be an array of property names');
  if (typeof c.requireStakeholderEmail !== 'boolean') fail('requireStakeholderEmail', 'must be a boolean');
  if (!isStringArray(c.renewalPipelines)) fail('renewalPipelines', 'must be an array of pipeline ids or labels');
  if (c.renewalPipelineLabelPattern !== null && typeof c.renewalPipelineLabelPattern !== 'string') fail('renewalPipelineLabelPattern', 'must be a string or null');
  for (const [k, v] of Object.entries(c.dealTypeKinds ?? {})) {
    if (!['renewal', 'expansion', 'new_business'].includes(v as string)) fail(`dealTypeKinds.${k}`, 'must be renewal, expansion or new_business');
  }
  const w = c.health?.weights;
  if (!isPlainObject(w)) fail('health.weights', 'must be an object');
  for (const k of ['recency', 'frequency', 'meetings', 'tasks', 'deals', 'sentiment'] as const) {
    if (typeof w[k] !== 'number' || w[k] < 0) fail(`health.weights.${k}`, 'must be a number ≥ 0');
  }
  if (!(c.health.recencyZeroAfterDays > 0)) fail('health.recencyZeroAfterDays', 'must be a positive number');
  if (!(c.health.frequencyTarget30d > 0)) fail('health.frequencyTarget30d', 'must be a positive number');
  if (!Array.isArray(c.health.dealIndicators)) fail('health.dealIndicators', 'must be an array');
  c.health.dealIndicators.forEach((d, i) => {
    if (typeof d?.property !== 'string') fail(`health.dealIndicators[${i}].property`, 'must be a property name');
    if (!isPlainObject(d.scores) || !Object.values(d.scores).every((s) => typeof s === 'number' && s >= 0 && s <= 100)) {
      fail(`health.dealIndicators[${i}].scores`, 'must map values to scores 0..100');
    }
  });
  if (!(c.engagement?.highAtLeast > c.engagement?.mediumAtLeast && c.engagement.mediumAtLeast > 0)) fail('engagement', 'needs highAtLeast > mediumAtLeast > 0');
  const e = c.emailCounterProperties;
  if (!isPlainObject(e) || typeof e.opens !== 'string' || typeof e.clicks !== 'string' || typeof e.replies !== 'string') fail('emailCounterProperties', 'needs opens, clicks and replies property names');
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
