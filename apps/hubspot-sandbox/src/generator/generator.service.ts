import { Injectable } from '@nestjs/common';
import { ObjectTypeInfo, Portal } from '../crm/portal';
import { makeDealPipeline } from '../crm/pipelines';
import { PropertyType, defineProperty } from '../crm/property-definitions';
import { validationError } from '../http/hubspot-error';
import { Random } from '../state/random';
import * as W from './word-lists';

export interface SeedOptions {
  seed: number;
  sizes?: Record<string, number>;
  /** Spread this many records over the standard types in typical proportions (used when `sizes` is absent). */
  total?: number;
  customObjects?: Array<{ name: string; count: number; properties?: number }>;
  extraProperties?: Record<string, number>;
  dealPipelines?: number;
  owners?: number;
  dirtyRate?: number;
  burst?: { objectType: string; count: number; at?: string | number };
  historyDays?: number;
  /** End of the generated history (epoch ms or ISO); fixed by default so a seed always gives the same data. */
  anchor?: string | number;
}

/** Share of each standard type when only a total is given. */
const PROPORTIONS: Record<string, number> = {
  companies: 0.08, contacts: 0.4, deals: 0.1, tickets: 0.04, products: 0.002, line_items: 0.08, quotes: 0.01,
  calls: 0.07, emails: 0.08, meetings: 0.04, notes: 0.06, tasks: 0.038,
};
const DEFAULT_SIZES: Record<string, number> = {
  companies: 200, contacts: 1000, deals: 300, tickets: 100, products: 20, line_items: 400, quotes: 50, calls: 300, emails: 300, meetings: 150, notes: 300, tasks: 150,
};
const GENERATION_ORDER = ['companies', 'contacts', 'products', 'deals', 'tickets', 'line_items', 'quotes', 'calls', 'emails', 'meetings', 'notes', 'tasks'];
const ENGAGEMENTS = ['calls', 'emails', 'meetings', 'notes', 'tasks'];
const DEFAULT_ANCHOR = Date.parse('2025-06-01T00:00:00.000Z');
const DAY = 86_400_000;
const FREEMAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me'];

const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]/g, '').toLowerCase();

interface Ctx {
  portal: Portal;
  rng: Random;
  dirty: number;
  companyDomains: string[];
  companyNames: string[];
  /** Generated rows per type name (base row + count), for associations. */
  rows: Map<string, { base: number; count: number }>;
  contactCompany: Int32Array;
  ownerIds: string[];
  dealPipelines: Array<{ id: string; stages: Array<{ id: string; probability: string }> }>;
}

/**
 * Deterministic data for a portal: the same seed and options give the same records, ids,
 * timestamps and associations. Records are written straight into the columnar tables (no search
 * lag, no webhook events: seeded data exists "before" a test starts).
 */
@Injectable()
export class GeneratorService {
  seed(portal: Portal, raw: unknown) {
    const started = Date.now();
    const options = parseSeedOptions(raw);
    const rng = new Random(options.seed);
    const anchor = options.anchor === undefined ? DEFAULT_ANCHOR : typeof options.anchor === 'number' ? options.anchor : Date.parse(options.anchor);
    if (Number.isNaN(anchor)) throw validationError('anchor must be epoch ms or ISO 8601');
    const span = (options.historyDays ?? 730) * DAY;

    this.owners(portal, rng, options.owners ?? 12);
    this.pipelines(portal, options.dealPipelines ?? 2);
    this.extraProperties(portal, options.extraProperties ?? {});
    const customs = (options.customObjects ?? []).map((c) => this.customType(portal, c.name, c.properties ?? 4));

    const sizes = options.sizes ?? (options.total ? proportional(options.total) : DEFAULT_SIZES);
    const ctx: Ctx = {
      portal, rng, dirty: options.dirtyRate ?? 0.05, companyDomains: [], companyNames: [], rows: new Map(),
      contactCompany: new Int32Array(0), ownerIds: portal.owners.map((o) => o.id),
      dealPipelines: (portal.pipelines.get('0-3') ?? []).map((p) => ({ id: p.id, stages: p.stages.map((s) => ({ id: s.id, probability: s.metadata['probability'] ?? '0' })) })),
    };
    const counts: Record<string, number> = {};
    for (const name of GENERATION_ORDER) {
      const n = sizes[name] ?? 0;
      if (n <= 0) continue;
      counts[name] = this.records(ctx, portal.requireType(name), n, anchor, span);
    }
    customs.forEach((info, i) => {
      counts[info.name] = this.records(ctx, info, options.customObjects?.[i]?.count ?? 0, anchor, span);
    });
    const associations = this.associations(ctx, customs);
    let burst: { objectType: string; count: number; timestamp: string } | undefined;
    if (options.burst) {
      const info = portal.resolveType(options.burst.objectType);
      if (!info) throw validationError(`burst.objectType "${options.burst.objectType}" is unknown`);
      const at = options.burst.at === undefined ? anchor - 7 * DAY : typeof options.burst.at === 'number' ? options.burst.at : Date.parse(options.burst.at);
      if (Number.isNaN(at)) throw validationError('burst.at must be epoch ms or ISO 8601');
      this.records(ctx, info, options.burst.count, at, 0, true);
      counts[info.name] = (counts[info.name] ?? 0) + options.burst.count;
      burst = { objectType: info.name, count: options.burst.count, timestamp: new Date(at).toISOString() };
    }
    return {
      portalId: portal.portalId,
      seed: options.seed,
      counts,
      associations,
      customObjects: customs.map((c) => ({ objectTypeId: c.objectTypeId, fullyQualifiedName: c.name, name: c.schema?.name ?? c.name })),
      ...(burst ? { burst } : {}),
      millis: Date.now() - started,
    };
  }

  private owners(portal: Portal, rng: Random, n: number): void {
    if (portal.owners.length >= n) return;
    const t = Date.parse('2021-03-01T10:00:00.000Z');
    for (let i = portal.owners.length; i < n; i++) {
      const first = rng.pick(W.FIRST_NAMES);
      const last = rng.pick(W.LAST_NAMES);
      portal.owners.push({
        id: String(41_000_000 + i * 7919), email: `${ascii(first)}.${ascii(last)}@portal${portal.portalId}.example.com`, firstName: first, lastName: last,
        userId: 9_000_000 + i, createdAt: t + i * DAY, updatedAt: t + i * DAY, archived: false,
        teams: [{ id: String(100 + (i % 3)), name: ['Sales', 'Customer Success', 'Support'][i % 3], primary: true }],
      });
    }
  }

  private pipelines(portal: Portal, extra: number): void {
    const deals = portal.pipelines.get('0-3') ?? [];
    portal.pipelines.set('0-3', deals);
    const names = ['Renewals', 'Expansion', 'Partner deals', 'Enterprise', 'SMB'];
    for (let i = deals.length - 1; i < extra; i++) {
      deals.push(makeDealPipeline(String(7_000_001 + i * 13), names[i % names.length] + (i >= names.length ? ` ${i}` : ''), i + 1, ['Discovery', 'Proposal', 'Negotiation', 'Verbal yes', 'Closed won', 'Closed lost']));
    }
  }

  /** Company fields Stanna maps (mrr, renewal dates) plus `n` generic custom properties per type ("many props"). */
  private extraProperties(portal: Portal, extra: Record<string, number>): void {
    const companies = portal.requireType('companies');
    const custom = (name: string, type: PropertyType, options?: string[]) => ({ ...defineProperty(name, type, { group: 'custom_properties', enumValues: options }), hubspotDefined: false });
    for (const p of [custom('mrr', 'number'), custom('annual_recurring_revenue', 'number'), custom('renewal_date', 'date'), custom('contract_end_date', 'date'), custom('customer_tier', 'enumeration', ['gold', 'silver', 'bronze'])]) {
      if (!companies.properties.has(p.name)) companies.properties.set(p.name, p);
    }
    const types: PropertyType[] = ['string', 'number', 'enumeration', 'datetime', 'bool'];
    for (const [typeName, n] of Object.entries(extra)) {
      const info = portal.resolveType(typeName);
      if (!info) throw validationError(`extraProperties: unknown object type "${typeName}"`);
      for (let i = 0; i < n; i++) {
        const name = `custom_field_${String(i + 1).padStart(3, '0')}`;
        if (!info.properties.has(name)) info.properties.set(name, custom(name, types[i % types.length], types[i % types.length] === 'enumeration' ? ['alpha', 'beta', 'gamma'] : undefined));
      }
    }
  }

  private customType(portal: Portal, name: string, propertyCount: number): ObjectTypeInfo {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw validationError(`customObjects: name "${name}" must be lower-case letters, digits, underscores`);
    const existing = portal.resolveType(`p${portal.portalId}_${name}`);
    if (existing) return existing;
    const props = [defineProperty(`${name}_name`, 'string', { group: `${name}_information` }), defineProperty(`${name}_status`, 'enumeration', { group: `${name}_information`, enumValues: ['active', 'paused', 'retired'] })];
    for (let i = 0; i < propertyCount; i++) props.push(defineProperty(`${name}_attr_${i + 1}`, i % 2 === 0 ? 'string' : 'number', { group: `${name}_information` }));
    return portal.createCustomType({
      name, labels: { singular: name.replace(/_/g, ' '), plural: `${name.replace(/_/g, ' ')}s` }, primaryDisplayProperty: `${name}_name`,
      searchableProperties: [`${name}_name`], requiredProperties: [`${name}_name`], properties: props, associatedObjects: ['contacts', 'companies'],
    });
  }

  /** Appends `n` records of a type; `span` 0 gives them all the same create/modify time (burst). */
  private records(ctx: Ctx, info: ObjectTypeInfo, n: number, anchor: number, span: number, burst = false): number {
    const table = info.table;
    const base = table.size;
    table.ensureCapacity(base + n);
    const { rng } = ctx;
    const name = info.custom ? 'custom' : info.name;
    const companyCount = ctx.rows.get('companies')?.count ?? 0;
    if (name === 'contacts' && !burst) ctx.contactCompany = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const created = span === 0 ? anchor : Math.floor(anchor - span + ((i + rng.next()) / n) * span);
      // Most records were last touched soon after creation, a few recently (cubed uniform).
      const updated = span === 0 ? anchor : Math.min(anchor, created + Math.floor(Math.pow(rng.next(), 3) * (anchor - created)));
      const row = table.appendRow(created, updated, 'IMPORT');
      const set = (p: string, v: string | null) => table.setValue(row, p, v);
      const owner = ctx.ownerIds.length && rng.chance(0.9) ? rng.pick(ctx.ownerIds) : null;
      switch (name) {
        case 'companies': this.company(ctx, set, i, owner); break;
        case 'contacts': {
          const company = companyCount > 0 && rng.chance(0.85) ? zipf(rng, companyCount) : -1;
          if (!burst) ctx.contactCompany[i] = company;
          this.contact(ctx, set, i, company, owner);
          break;
        }
        case 'deals': this.deal(ctx, set, owner, created); break;
        case 'tickets':
          set('subject', `${rng.pick(['Login issue', 'Billing question', 'Feature request', 'Bug report', 'Data import'])} #${i + 1}`);
          set('content', rng.pick([...W.ACTIVITY_NEGATIVE, ...W.ACTIVITY_NEUTRAL]));
          set('hs_pipeline', '0');
          set('hs_pipeline_stage', rng.pick(['1', '2', '3', '4']));
          set('hs_ticket_priority', rng.pick(['LOW', 'MEDIUM', 'HIGH', 'URGENT']));
          set('hs_ticket_category', rng.pick(['PRODUCT_ISSUE', 'BILLING_ISSUE', 'FEATURE_REQUEST', 'GENERAL_INQUIRY']));
          set('hubspot_owner_id', owner);
          break;
        case 'products':
          set('name', `${W.PRODUCT_NAMES[i % W.PRODUCT_NAMES.length]}${i >= W.PRODUCT_NAMES.length ? ` v${Math.floor(i / W.PRODUCT_NAMES.length) + 1}` : ''}`);
          set('price', String(50 * (1 + rng.int(40))));
          set('hs_sku', `SKU-${String(i + 1).padStart(5, '0')}`);
          set('description', 'Subscription product');
          break;
        case 'line_items': {
          const price = 50 * (1 + rng.int(40));
          const qty = 1 + rng.int(20);
          const products = ctx.rows.get('products');
          set('name', rng.pick(W.PRODUCT_NAMES));
          set('price', String(price));
          set('quantity', String(qty));
          set('amount', String(price * qty));
          if (products && products.count > 0) set('hs_product_id', String(ctx.portal.requireType('products').table.ids[products.base + rng.int(products.count)]));
          break;
        }
        case 'quotes':
          set('hs_title', `Quote ${i + 1}`);
          set('hs_status', rng.pick(['DRAFT', 'APPROVAL_NOT_NEEDED', 'APPROVED']));
          set('hs_expiration_date', new Date(created + 30 * DAY).toISOString());
          set('hs_public_url_key', ascii(`q${options36(rng)}${i}`));
          break;
        case 'custom': {
          const s = info.schema?.name ?? info.singular;
          set(`${s}_name`, `${s.replace(/_/g, ' ')} ${i + 1}`);
          set(`${s}_status`, rng.pick(['active', 'paused', 'retired']));
          for (const p of info.properties.values()) {
            if (!p.name.startsWith(`${s}_attr_`)) continue;
            set(p.name, p.type === 'number' ? String(rng.int(10_000)) : `${rng.pick(W.COMPANY_WORDS)} ${rng.int(100)}`);
          }
          break;
        }
        default:
          if (ENGAGEMENTS.includes(name)) this.engagement(ctx, name, set, created, owner);
      }
      this.fillExtra(ctx, info, set);
    }
    if (!burst) ctx.rows.set(info.custom ? info.name : name, { base, count: n });
    return n;
  }

  private company(ctx: Ctx, set: (p: string, v: string | null) => void, i: number, owner: string | null): void {
    const { rng } = ctx;
    const word = W.COMPANY_WORDS[i % W.COMPANY_WORDS.length];
    const kind = W.COMPANY_KINDS[Math.floor(i / W.COMPANY_WORDS.length) % W.COMPANY_KINDS.length];
    const round = Math.floor(i / (W.COMPANY_WORDS.length * W.COMPANY_KINDS.length));
    const suffix = rng.pick(W.COMPANY_SUFFIXES);
    const name = `${word} ${kind}${round > 0 ? ` ${round + 1}` : ''}${suffix ? ` ${suffix}` : ''}`;
    let domain: string | null = `${ascii(word)}${ascii(kind)}${round > 0 ? round + 1 : ''}.${rng.pick(W.TLDS)}`;
    // Dirty data: missing domains, duplicated domains, unnormalised domains.
    const r = rng.next();
    if (r < ctx.dirty * 0.4) domain = null;
    else if (r < ctx.dirty * 0.7 && ctx.companyDomains.length > 0) domain = ctx.companyDomains[rng.int(ctx.companyDomains.length)] ?? domain;
    else if (r < ctx.dirty && domain) domain = `WWW.${domain.toUpperCase()}`;
    ctx.companyDomains.push(domain ?? '');
    ctx.companyNames.push(name);
    set('name', name);
    set('domain', domain);
    set('website', domain ? `https://${domain.toLowerCase().replace(/^www\./, 'www.')}` : null);
    set('industry', rng.pick(['COMPUTER_SOFTWARE', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE', 'RETAIL', 'MARKETING_AND_ADVERTISING', 'EDUCATION_MANAGEMENT']));
    set('city', rng.pick(W.CITIES));
    set('country', rng.pick(W.COUNTRIES));
    set('phone', `+46 8 ${100 + rng.int(900)} ${1000 + rng.int(9000)}`);
    set('numberofemployees', String(rng.powerLaw(1, 50_000)));
    const mrr = 100 * rng.powerLaw(1, 2000);
    set('mrr', String(mrr));
    set('annual_recurring_revenue', String(mrr * 12));
    set('annualrevenue', String(mrr * 40));
    const renewal = DEFAULT_ANCHOR + (rng.int(540) - 90) * DAY;
    set('renewal_date', new Date(renewal - (renewal % DAY)).toISOString().slice(0, 10));
    set('contract_end_date', new Date(renewal - (renewal % DAY)).toISOString().slice(0, 10));
    set('customer_tier', rng.pick(['gold', 'silver', 'bronze']));
    set('lifecyclestage', rng.pick(['lead', 'opportunity', 'customer', 'customer', 'customer', 'evangelist']));
    set('hubspot_owner_id', owner);
  }

  private contact(ctx: Ctx, set: (p: string, v: string | null) => void, i: number, company: number, owner: string | null): void {
    const { rng } = ctx;
    const first = rng.pick(W.FIRST_NAMES);
    const last = rng.pick(W.LAST_NAMES);
    const companyDomain = company >= 0 ? ctx.companyDomains[company].toLowerCase().replace(/^www\./, '') : '';
    const domain = companyDomain || rng.pick(FREEMAIL);
    let email: string | null = `${ascii(first)}.${ascii(last)}${i}@${domain}`;
    const r = rng.next();
    if (r < ctx.dirty * 0.5) email = null;
    else if (r < ctx.dirty) email = rng.pick([`${ascii(first)}.${ascii(last)}${i}@`, `${ascii(first)}${i}(at)${domain}`, `${ascii(last)}${i}@@${domain}`, `${ascii(first)} ${i}@${domain}`]);
    set('firstname', first);
    set('lastname', rng.chance(ctx.dirty * 0.3) ? null : last);
    set('email', email);
    set('jobtitle', rng.pick(W.JOB_TITLES));
    set('phone', rng.chance(0.7) ? `+1 555 ${100 + rng.int(900)} ${1000 + rng.int(9000)}` : null);
    set('city', rng.pick(W.CITIES));
    set('country', rng.pick(W.COUNTRIES));
    set('lifecyclestage', rng.pick(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer']));
    set('hubspot_owner_id', owner);
    if (company >= 0) {
      set('company', ctx.companyNames[company]);
      const companies = ctx.rows.get('companies');
      if (companies) set('associatedcompanyid', String(ctx.portal.requireType('companies').table.ids[companies.base + company]));
    }
  }

  private deal(ctx: Ctx, set: (p: string, v: string | null) => void, owner: string | null, created: number): void {
    const { rng } = ctx;
    const pipeline = ctx.dealPipelines[rng.chance(0.6) ? 0 : rng.int(ctx.dealPipelines.length)];
    const stage = rng.pick(pipeline.stages);
    const company = ctx.companyNames.length ? rng.pick(ctx.companyNames) : 'Prospect';
    set('dealname', `${company} – ${rng.pick(W.DEAL_WORDS)}`);
    set('amount', rng.chance(0.05) ? null : String(500 * rng.powerLaw(1, 400)));
    set('pipeline', pipeline.id);
    set('dealstage', stage.id);
    set('hs_deal_stage_probability', stage.probability);
    set('closedate', new Date(created + (15 + rng.int(180)) * DAY).toISOString());
    set('deal_currency_code', rng.pick(['USD', 'EUR', 'SEK', 'GBP']));
    set('dealtype', rng.pick(['newbusiness', 'existingbusiness']));
    set('hubspot_owner_id', owner);
  }

  private engagement(ctx: Ctx, type: string, set: (p: string, v: string | null) => void, created: number, owner: string | null): void {
    const { rng } = ctx;
    const text = () => rng.pick(rng.chance(0.35) ? W.ACTIVITY_POSITIVE : rng.chance(0.4) ? W.ACTIVITY_NEGATIVE : W.ACTIVITY_NEUTRAL);
    set('hs_timestamp', new Date(created).toISOString());
    set('hubspot_owner_id', owner);
    switch (type) {
      case 'calls':
        set('hs_call_title', 'Call');
        set('hs_call_body', text());
        set('hs_call_duration', String(1000 * (30 + rng.int(3600))));
        set('hs_call_direction', rng.pick(['INBOUND', 'OUTBOUND']));
        set('hs_call_status', rng.pick(['COMPLETED', 'COMPLETED', 'NO_ANSWER', 'BUSY']));
        break;
      case 'emails':
        set('hs_email_subject', rng.pick(['Re: proposal', 'Follow-up', 'Invoice question', 'Renewal', 'Welcome']));
        set('hs_email_text', text());
        set('hs_email_direction', rng.pick(['EMAIL', 'INCOMING_EMAIL']));
        set('hs_email_status', 'SENT');
        break;
      case 'meetings':
        set('hs_meeting_title', rng.pick(['QBR', 'Kickoff', 'Demo', 'Check-in']));
        set('hs_meeting_body', text());
        set('hs_meeting_start_time', new Date(created).toISOString());
        set('hs_meeting_end_time', new Date(created + 1_800_000).toISOString());
        set('hs_meeting_outcome', rng.pick(['COMPLETED', 'COMPLETED', 'SCHEDULED', 'NO_SHOW', 'CANCELED']));
        break;
      case 'notes':
        set('hs_note_body', text());
        break;
      case 'tasks':
        set('hs_task_subject', rng.pick(['Send contract', 'Call back', 'Prepare QBR', 'Check usage']));
        set('hs_task_body', text());
        set('hs_task_status', rng.pick(['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED']));
        set('hs_task_priority', rng.pick(['LOW', 'MEDIUM', 'HIGH']));
        set('hs_task_type', rng.pick(['CALL', 'EMAIL', 'TODO']));
        break;
    }
  }

  /** Values for the generic custom properties (sparse: about half the records have each). */
  private fillExtra(ctx: Ctx, info: ObjectTypeInfo, set: (p: string, v: string | null) => void): void {
    for (const p of info.properties.values()) {
      if (!p.name.startsWith('custom_field_') || !ctx.rng.chance(0.5)) continue;
      const r = ctx.rng;
      const v = p.type === 'number' ? String(r.int(100_000)) : p.type === 'enumeration' ? r.pick(['alpha', 'beta', 'gamma'])
        : p.type === 'datetime' ? new Date(DEFAULT_ANCHOR - r.int(700) * DAY).toISOString() : p.type === 'bool' ? String(r.chance(0.5)) : `${r.pick(W.COMPANY_WORDS)} ${r.int(1000)}`;
      set(p.name, v);
    }
  }

  /** Power-law association counts with labels; returns edges per pair name. */
  private associations(ctx: Ctx, customs: ObjectTypeInfo[]): Record<string, number> {
    const { portal, rng } = ctx;
    const out: Record<string, number> = {};
    const type = (n: string) => portal.requireType(n);
    const rows = (n: string) => ctx.rows.get(n);
    // One lookup per kind of edge (pair + labels), not per edge: generation makes millions.
    const kinds = new Map<string, { from: string; to: string; fwd: number; rev: number; key: string }>();
    const link = (fromName: string, fromRow: number, toName: string, toRow: number, extra: number[] = []) => {
      const kindKey = `${fromName}>${toName}>${extra.join(',')}`;
      let k = kinds.get(kindKey);
      if (!k) {
        const from = type(fromName);
        const to = type(toName);
        const reg = portal.associationTypes;
        const typeIds = [reg.defaultType(from.objectTypeId, to.objectTypeId).typeId, ...extra];
        k = {
          from: from.objectTypeId, to: to.objectTypeId, key: `${from.name}->${to.name}`,
          fwd: portal.associations.internTypeSet(typeIds), rev: portal.associations.internTypeSet(typeIds.map((t) => reg.find(t)?.def.inverseTypeId ?? t)),
        };
        kinds.set(kindKey, k);
      }
      portal.associations.appendFast(k.from, fromRow, k.to, toRow, k.fwd, k.rev);
      out[k.key] = (out[k.key] ?? 0) + 1;
    };
    const companies = rows('companies');
    const contacts = rows('contacts');
    const deals = rows('deals');
    const decisionMaker = portal.associationTypes.addLabel('0-1', '0-2', 'Decision maker', 'Decision maker at');
    const billing = portal.associationTypes.addLabel('0-1', '0-2', 'Billing contact', 'Billing contact at');
    const champion = portal.associationTypes.addLabel('0-3', '0-1', 'Champion', 'Champion of');

    // contacts → companies: the contact's company, primary; some labelled.
    const contactsByCompany = new Map<number, number[]>();
    if (contacts && companies) {
      for (let i = 0; i < contacts.count; i++) {
        const c = ctx.contactCompany[i];
        if (c < 0) continue;
        const extra = [1];
        if (rng.chance(0.08)) extra.push(decisionMaker);
        else if (rng.chance(0.05)) extra.push(billing);
        link('contacts', contacts.base + i, 'companies', companies.base + c, extra);
        const list = contactsByCompany.get(c) ?? [];
        list.push(i);
        contactsByCompany.set(c, list);
      }
    }
    const pickContactsOf = (company: number, max: number): number[] => {
      const pool = contactsByCompany.get(company);
      const n = rng.powerLaw(0, max);
      const picked = new Set<number>();
      for (let k = 0; k < n; k++) {
        if (pool && pool.length) picked.add(rng.pick(pool));
        else if (contacts) picked.add(rng.int(contacts.count));
      }
      return [...picked].sort((a, b) => a - b);
    };
    const dealCompany = new Int32Array(deals?.count ?? 0).fill(-1);
    if (deals) {
      for (let i = 0; i < deals.count; i++) {
        const company = companies && rng.chance(0.9) ? zipf(rng, companies.count) : -1;
        dealCompany[i] = company;
        if (company >= 0 && companies) link('deals', deals.base + i, 'companies', companies.base + company, [5]);
        if (contacts) for (const c of pickContactsOf(company, 8)) link('deals', deals.base + i, 'contacts', contacts.base + c, rng.chance(0.15) ? [champion] : []);
      }
    }
    const tickets = rows('tickets');
    if (tickets) {
      for (let i = 0; i < tickets.count; i++) {
        if (contacts) link('tickets', tickets.base + i, 'contacts', contacts.base + rng.int(contacts.count));
        if (companies && rng.chance(0.7)) link('tickets', tickets.base + i, 'companies', companies.base + zipf(rng, companies.count), [26]);
      }
    }
    const lineItems = rows('line_items');
    if (lineItems && deals) for (let i = 0; i < lineItems.count; i++) link('line_items', lineItems.base + i, 'deals', deals.base + rng.int(deals.count));
    const quotes = rows('quotes');
    if (quotes && deals) for (let i = 0; i < quotes.count; i++) link('quotes', quotes.base + i, 'deals', deals.base + rng.int(deals.count));
    // Engagements: linked to contacts, their company, sometimes a deal of that company.
    for (const e of ENGAGEMENTS) {
      const r = rows(e);
      if (!r) continue;
      for (let i = 0; i < r.count; i++) {
        const contact = contacts ? zipf(rng, contacts.count, 1.5) : -1;
        if (contact >= 0 && contacts) link(e, r.base + i, 'contacts', contacts.base + contact);
        const company = contact >= 0 ? ctx.contactCompany[contact] : companies ? rng.int(companies.count) : -1;
        if (company >= 0 && companies && rng.chance(0.8)) link(e, r.base + i, 'companies', companies.base + company);
        if (deals && rng.chance(0.3)) link(e, r.base + i, 'deals', deals.base + rng.int(deals.count));
      }
    }
    for (const info of customs) {
      const r = ctx.rows.get(info.name);
      if (!r) continue;
      for (let i = 0; i < r.count; i++) {
        if (contacts) for (const c of pickContactsOf(-1, 3)) link(info.name, r.base + i, 'contacts', contacts.base + c);
        if (companies && rng.chance(0.6)) link(info.name, r.base + i, 'companies', companies.base + zipf(rng, companies.count));
      }
    }
    return out;
  }
}

/** Skewed index in [0, n): low indices are picked far more often (power-law popularity). */
function zipf(rng: Random, n: number, exponent = 2.5): number {
  return Math.min(n - 1, Math.floor(n * Math.pow(rng.next(), exponent)));
}

function options36(rng: Random): string {
  return Math.floor(rng.next() * 36 ** 6).toString(36);
}

function proportional(total: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, share] of Object.entries(PROPORTIONS)) out[k] = Math.max(1, Math.round(total * share));
  return out;
}

function parseSeedOptions(raw: unknown): SeedOptions {
  if (!raw || typeof raw !== 'object') throw validationError('seed options must be a JSON object');
  const o = raw as Record<string, unknown>;
  if (typeof o['seed'] !== 'number' || !Number.isInteger(o['seed'])) throw validationError('seed must be an integer');
  const count = (v: unknown, field: string) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 5_000_000) throw validationError(`${field} must be an integer between 0 and 5,000,000`);
    return v;
  };
  if (o['sizes'] !== undefined) {
    if (!o['sizes'] || typeof o['sizes'] !== 'object') throw validationError('sizes must be an object of type → count');
    for (const [k, v] of Object.entries(o['sizes'] as Record<string, unknown>)) {
      if (!(k in PROPORTIONS)) throw validationError(`sizes: "${k}" is not a standard object type (custom objects go in customObjects)`);
      count(v, `sizes.${k}`);
    }
  }
  if (o['total'] !== undefined) count(o['total'], 'total');
  if (o['customObjects'] !== undefined) {
    if (!Array.isArray(o['customObjects'])) throw validationError('customObjects must be an array');
    (o['customObjects'] as Array<Record<string, unknown>>).forEach((c, i) => {
      if (typeof c?.['name'] !== 'string') throw validationError(`customObjects[${i}].name is required`);
      count(c['count'], `customObjects[${i}].count`);
    });
  }
  if (o['burst'] !== undefined) {
    const b = o['burst'] as Record<string, unknown>;
    if (!b || typeof b['objectType'] !== 'string') throw validationError('burst.objectType is required');
    count(b['count'], 'burst.count');
  }
  for (const f of ['dealPipelines', 'owners', 'historyDays'] as const) if (o[f] !== undefined) count(o[f], f);
  if (o['dirtyRate'] !== undefined && (typeof o['dirtyRate'] !== 'number' || o['dirtyRate'] < 0 || o['dirtyRate'] > 1)) throw validationError('dirtyRate must be between 0 and 1');
  return o as unknown as SeedOptions;
}
