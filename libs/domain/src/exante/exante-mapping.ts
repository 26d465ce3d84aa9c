import { applyMappings } from '../mapping/apply-mappings';
import { PropertyBag, toNumber } from '../mapping/mapping-expression';
import { PropertyMapping } from '../mapping/property-mapping-validation';
import { toIsoTimestamp } from '../stanna/dates';
import { normaliseDomain, normaliseEmail } from '../validation/formats';

/** Exante entities (seed 000): deals → Documents, companies → Parties, contacts → Contacts. */
export interface DocumentFields {
  deal_id: string;
  title: string | null;
  amount: number | null;
  currency: string | null;
  pipeline_id: string | null;
  stage_id: string | null;
  close_date: string | null;
  custom_fields: Record<string, unknown>;
}

export interface PartyFields {
  company_id: string;
  name: string | null;
  domain: string | null;
  phone: string | null;
  industry: string | null;
  country: string | null;
  city: string | null;
  custom_fields: Record<string, unknown>;
}

export interface ContactFields {
  contact_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  job_title: string | null;
  custom_fields: Record<string, unknown>;
}

function picker(entity: string, mappings: readonly PropertyMapping[], props: PropertyBag) {
  const mapped = applyMappings(entity, mappings, props);
  const pick = (field: string, property: string): string | null => {
    const v = Object.prototype.hasOwnProperty.call(mapped.fields, field) ? mapped.fields[field] : (props[property] ?? null);
    return v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim();
  };
  return { mapped, pick };
}

export function mapDealToDocument(id: string, props: PropertyBag, mappings: readonly PropertyMapping[]): DocumentFields {
  const { mapped, pick } = picker('exante.document', mappings, props);
  return {
    deal_id: id,
    title: pick('title', 'dealname'),
    amount: toNumber(pick('amount', 'amount')),
    currency: pick('currency', 'deal_currency_code')?.toUpperCase() ?? null,
    pipeline_id: props['pipeline'] || null,
    stage_id: props['dealstage'] || null,
    close_date: Object.prototype.hasOwnProperty.call(mapped.fields, 'close_date') ? (mapped.fields['close_date'] as string | null) : toIsoTimestamp(props['closedate']),
    custom_fields: mapped.custom,
  };
}

export function mapCompanyToParty(id: string, props: PropertyBag, mappings: readonly PropertyMapping[]): PartyFields {
  const { mapped, pick } = picker('exante.party', mappings, props);
  return {
    company_id: id,
    name: pick('name', 'name'),
    domain: normaliseDomain(pick('domain', 'domain')),
    phone: pick('phone', 'phone'),
    industry: pick('industry', 'industry'),
    country: pick('country', 'country'),
    city: pick('city', 'city'),
    custom_fields: mapped.custom,
  };
}

export function mapContactToExanteContact(id: string, props: PropertyBag, mappings: readonly PropertyMapping[]): ContactFields {
  const { mapped, pick } = picker('exante.contact', mappings, props);
  return {
    contact_id: id,
    email: normaliseEmail(pick('email', 'email')),
    first_name: pick('first_name', 'firstname'),
    last_name: pick('last_name', 'lastname'),
    phone: pick('phone', 'phone'),
    job_title: pick('job_title', 'jobtitle'),
    custom_fields: mapped.custom,
  };
}

/** The ExternalObjectCatalog's display name for a deal, company or contact. */
export function catalogDisplayName(objectType: string, id: string, props: PropertyBag): string {
  const s = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);
  switch (objectType) {
    case 'deals':
      return s(props['dealname']) ?? `Deal ${id}`;
    case 'companies':
      return s(props['name']) ?? s(props['domain']) ?? `Company ${id}`;
    case 'contacts':
      return s([props['firstname'], props['lastname']].filter((x) => x && x.trim()).join(' ')) ?? s(props['email']) ?? `Contact ${id}`;
    default:
      return `${objectType} ${id}`;
  }
}
