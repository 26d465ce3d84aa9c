import { applyMappings } from '../mapping/apply-mappings';
import { PropertyBag, toNumber } from '../mapping/mapping-expression';
import { referencedProperties } from '../mapping/mapping-expression';
import { PropertyMapping } from '../mapping/property-mapping-validation';
import { isValidDomain, normaliseDomain } from '../validation/formats';
import { SKIP_RULES, SkipReason } from '../validation/skip-rules';
import { clientMrr } from './revenue';
import { StannaConfig } from './stanna-config';
import { toIsoDay } from './dates';

export interface OwnerInfo {
  name: string | null;
  email: string | null;
}

export interface ClientContext {
  config: StannaConfig;
  /** Lifecycle stage → status: the org's `stanna.client_status_map` rows over the config defaults. */
  statusMap: Readonly<Record<string, string>>;
  owners: ReadonlyMap<string, OwnerInfo>;
  /** Monthly contributions (org currency) of this company's active subscription deals. */
  subscriptionDealMrr: number[];
  /** Company properties that are not HubSpot-defined (property metadata), for tags. */
  customProperties: ReadonlySet<string>;
  mappings: readonly PropertyMapping[];
}

export interface ClientRow {
  company_id: string;
  name: string | null;
  domain: string;
  mrr: number | null;
  mrr_source: string | null;
  currency: string;
  renewal_date: string | null;
  csm_owner_id: string | null;
  csm_owner_name: string | null;
  csm_owner_email: string | null;
  lifecycle_stage: string | null;
  status: string;
  tags: string[];
  custom_fields: Record<string, unknown>;
}

export type ClientMapping = { ok: true; client: ClientRow; invalidFields: { field: string; reason: string }[] } | { ok: false; skip: SkipReason };

const ENTITY = 'stanna.client';

/** Company → Stanna client (seed 002 "Company Data"); validation rules decide whether it becomes one. */
export function mapCompanyToClient(companyId: string, props: PropertyBag, ctx: ClientContext): ClientMapping {
  const { config } = ctx;
  const mapped = applyMappings(ENTITY, ctx.mappings, props);
  const has = (f: string) => Object.prototype.hasOwnProperty.call(mapped.fields, f);

  const rawDomain = has('domain') ? (mapped.fields['domain'] as string | null) : (props['domain'] ?? null);
  const domain = normaliseDomain(rawDomain);
  if (!domain) return { ok: false, skip: { rule: SKIP_RULES.missingDomain, detail: 'company has no domain (seed 002: companies must have a domain for client matching)' } };
  if (!isValidDomain(domain)) return { ok: false, skip: { rule: SKIP_RULES.invalidDomain, detail: `domain ${JSON.stringify(rawDomain)} is not a valid domain` } };

  let mrr: number | null;
  let mrrSource: string | null;
  if (has('mrr')) {
    mrr = toNumber(mapped.fields['mrr'] as number | null);
    mrrSource = 'mapping';
  } else {
    ({ mrr, source: mrrSource } = clientMrr(props, ctx.subscriptionDealMrr, config));
  }
  if (mrr !== null && (mrr < 0 || mrr > config.maxMonthlyRevenue)) {
    return { ok: false, skip: { rule: SKIP_RULES.mrrOutOfRange, detail: `MRR ${mrr} ${config.orgCurrency} (from ${mrrSource}) is outside 0..${config.maxMonthlyRevenue}` } };
  }

  const renewal = has('renewal_date')
    ? (mapped.fields['renewal_date'] as string | null)
    : firstDay(config.renewalDateProperties.map((p) => props[p] ?? null));
  const ownerId = emptyToNull(has('csm_owner_id') ? (mapped.fields['csm_owner_id'] as string | null) : (props['hubspot_owner_id'] ?? null));
  const owner = ownerId ? ctx.owners.get(ownerId) : undefined;
  const lifecycle = emptyToNull(has('lifecycle_stage') ? (mapped.fields['lifecycle_stage'] as string | null) : (props['lifecyclestage'] ?? null));
  const name = emptyToNull(has('name') ? (mapped.fields['name'] as string | null) : (props['name'] ?? null));

  return {
    ok: true,
    invalidFields: mapped.invalid,
    client: {
      company_id: companyId,
      name: name ?? domain,
      domain,
      mrr,
      mrr_source: mrrSource,
      currency: config.orgCurrency,
      renewal_date: renewal,
      csm_owner_id: ownerId,
      csm_owner_name: owner?.name ?? null,
      csm_owner_email: owner?.email ?? null,
      lifecycle_stage: lifecycle,
      status: (lifecycle && ctx.statusMap[lifecycle.toLowerCase()]) || config.defaultClientStatus,
      tags: clientTags(props, ctx),
      custom_fields: mapped.custom,
    },
  };
}

/** Custom company properties → tags (seed 002 "Sync custom company properties to client tags"). */
export function clientTags(props: PropertyBag, ctx: Pick<ClientContext, 'config' | 'customProperties' | 'mappings'>): string[] {
  const { config } = ctx;
  const consumed = new Set<string>([
    'domain', 'name', 'hubspot_owner_id', 'lifecyclestage',
    ...config.renewalDateProperties,
    ...config.mrrSources.flatMap((s) => (s.kind === 'property' ? [s.property] : [])),
    ...config.tagExcludedProperties,
    ...ctx.mappings.filter((m) => m.targetEntity === ENTITY).flatMap((m) => referencedProperties(m.source)),
  ]);
  const candidates = config.tagProperties === 'custom' ? [...ctx.customProperties] : config.tagProperties;
  const tags = new Set<string>();
  for (const p of candidates) {
    if (consumed.has(p)) continue;
    const v = props[p];
    if (v === null || v === undefined || v.trim() === '' || v === 'false') continue;
    if (v === 'true') tags.add(p);
    else for (const part of v.split(';')) if (part.trim()) tags.add(`${p}:${part.trim()}`.slice(0, 200));
  }
  return [...tags].sort();
}

function firstDay(values: (string | null)[]): string | null {
  for (const v of values) {
    const d = toIsoDay(v);
    if (d) return d;
  }
  return null;
}

function emptyToNull(v: string | null | undefined): string | null {
  return v === undefined || v === null || v.trim() === '' ? null : v;
}
