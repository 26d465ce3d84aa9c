import { ENGAGEMENT_OBJECT_TYPES, OpsHubCriterion, STANDARD_OBJECT_TYPES, isCustomObjectType } from '@hubsync/contracts';
import { FieldError } from '../http/error-body';

/**
 * What to sync, per organization (seed 002 "Data Filtering"; OpsHub criteria from seed 004):
 * - companies: by lifecycle stage, owner, or property criteria;
 * - contacts: by role, engagement (activity within N days), or criteria;
 * - deals: by pipeline, stage, or amount thresholds;
 * - activities: by type, date range, or outcome;
 * - criteria: raw OpsHub criteria per object type.
 * Every filter becomes an OpsHub criterion the fetcher turns into a Search filter (SyncJobFilters.criteria).
 */
export interface SyncFilters {
  companies?: { lifecycle_stages?: string[]; owner_ids?: string[]; criteria?: OpsHubCriterion[] };
  contacts?: { roles?: string[]; engaged_within_days?: number; criteria?: OpsHubCriterion[] };
  deals?: { pipelines?: string[]; stages?: string[]; amount_greater_than?: number; amount_less_than?: number; criteria?: OpsHubCriterion[] };
  activities?: {
    types?: string[];
    from?: string;
    to?: string;
    outcomes?: { calls?: string[]; meetings?: string[]; tasks?: string[] };
  };
  criteria?: Record<string, OpsHubCriterion[]>;
}

export const CRITERION_CONDITIONS: OpsHubCriterion['condition'][] = ['EQUALS', 'NOT_EQUALS', 'GREATER_THAN', 'LESS_THAN', 'IN', 'CONTAINS'];

/**
 * HubSpot Search allows 6 filters per group and 18 in total (HUBSPOT-FACTS.md "Search": the stricter
 * of the two documented limits). All criteria of one object type are ANDed into one group, and the
 * fetcher adds up to 3 of its own (cursor, tie-break id, lookback / deal stage), so 3 remain for users.
 */
export const MAX_FILTERS_PER_GROUP = 6;
export const FETCHER_RESERVED_FILTERS = 3;
export const MAX_USER_FILTERS_PER_OBJECT = MAX_FILTERS_PER_GROUP - FETCHER_RESERVED_FILTERS;

const PROPERTY_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
const MAX_VALUES = 100;
const MAX_STRING = 500;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Object types a filter document may address: standard ones and custom object ids / fully qualified names. */
export function isKnownObjectType(name: string): boolean {
  return STANDARD_OBJECT_TYPES.some((t) => t.name === name) || isCustomObjectType(name);
}

export type FilterValidation = { ok: true; filters: SyncFilters } | { ok: false; errors: FieldError[] };

/** Validates a filters document; every error names its field path. */
export function validateSyncFilters(input: unknown, knownProperties?: Record<string, Set<string>>): FilterValidation {
  const errors: FieldError[] = [];
  const err = (field: string, message: string, allowed?: unknown[]) => errors.push({ field, message: `${field} ${message}`, ...(allowed ? { allowed } : {}) });
  if (!isObject(input)) return { ok: false, errors: [{ field: 'filters', message: 'filters must be a JSON object' }] };
  const allowedTop = ['companies', 'contacts', 'deals', 'activities', 'criteria'];
  for (const key of Object.keys(input)) if (!allowedTop.includes(key)) err(key, 'is not a known filter group', allowedTop);

  const section = (name: string, keys: string[]): Record<string, unknown> | undefined => {
    const value = input[name];
    if (value === undefined) return undefined;
    if (!isObject(value)) {
      err(name, 'must be an object');
      return undefined;
    }
    for (const key of Object.keys(value)) if (!keys.includes(key)) err(`${name}.${key}`, 'is not a known filter', keys);
    return value;
  };
  const strings = (path: string, value: unknown) => {
    if (value === undefined) return;
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_VALUES) return err(path, `must be an array of 1 to ${MAX_VALUES} strings`);
    value.forEach((v, i) => {
      if (typeof v !== 'string' || v.length === 0 || v.length > MAX_STRING) err(`${path}.${i}`, `must be a non-empty string of at most ${MAX_STRING} characters`);
    });
  };
  const number = (path: string, value: unknown, min: number, max: number) => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) err(path, `must be a number between ${min} and ${max}`);
  };
  const date = (path: string, value: unknown) => {
    if (value === undefined) return;
    if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) err(path, 'must be an ISO-8601 date or timestamp');
  };

  const companies = section('companies', ['lifecycle_stages', 'owner_ids', 'criteria']);
  if (companies) {
    strings('companies.lifecycle_stages', companies['lifecycle_stages']);
    strings('companies.owner_ids', companies['owner_ids']);
    criteriaList('companies.criteria', companies['criteria'], 'companies', err, knownProperties);
  }
  const contacts = section('contacts', ['roles', 'engaged_within_days', 'criteria']);
  if (contacts) {
    strings('contacts.roles', contacts['roles']);
    number('contacts.engaged_within_days', contacts['engaged_within_days'], 1, 3650);
    if (contacts['engaged_within_days'] !== undefined && !Number.isInteger(contacts['engaged_within_days'])) err('contacts.engaged_within_days', 'must be an integer');
    criteriaList('contacts.criteria', contacts['criteria'], 'contacts', err, knownProperties);
  }
  const deals = section('deals', ['pipelines', 'stages', 'amount_greater_than', 'amount_less_than', 'criteria']);
  if (deals) {
    strings('deals.pipelines', deals['pipelines']);
    strings('deals.stages', deals['stages']);
    number('deals.amount_greater_than', deals['amount_greater_than'], -1e15, 1e15);
    number('deals.amount_less_than', deals['amount_less_than'], -1e15, 1e15);
    const gt = deals['amount_greater_than'];
    const lt = deals['amount_less_than'];
    if (typeof gt === 'number' && typeof lt === 'number' && gt >= lt) err('deals.amount_less_than', 'must be greater than deals.amount_greater_than');
    criteriaList('deals.criteria', deals['criteria'], 'deals', err, knownProperties);
  }
  const activities = section('activities', ['types', 'from', 'to', 'outcomes']);
  if (activities) {
    strings('activities.types', activities['types']);
    if (Array.isArray(activities['types'])) {
      activities['types'].forEach((t, i) => {
        if (typeof t === 'string' && !ENGAGEMENT_OBJECT_TYPES.includes(t)) err(`activities.types.${i}`, `"${t}" is not an activity type`, ENGAGEMENT_OBJECT_TYPES);
      });
    }
    date('activities.from', activities['from']);
    date('activities.to', activities['to']);
    if (typeof activities['from'] === 'string' && typeof activities['to'] === 'string' && Date.parse(activities['from']) >= Date.parse(activities['to'])) {
      err('activities.to', 'must be after activities.from');
    }
    const outcomes = activities['outcomes'];
    if (outcomes !== undefined) {
      if (!isObject(outcomes)) err('activities.outcomes', 'must be an object keyed by calls, meetings or tasks');
      else {
        for (const [type, values] of Object.entries(outcomes)) {
          if (!['calls', 'meetings', 'tasks'].includes(type)) err(`activities.outcomes.${type}`, 'is not an activity type with outcomes', ['calls', 'meetings', 'tasks']);
          else strings(`activities.outcomes.${type}`, values);
        }
      }
    }
  }
  const criteria = input['criteria'];
  if (criteria !== undefined) {
    if (!isObject(criteria)) err('criteria', 'must be an object keyed by object type');
    else {
      for (const [objectType, list] of Object.entries(criteria)) {
        if (!isKnownObjectType(objectType)) err(`criteria.${objectType}`, 'is not a HubSpot object type');
        else criteriaList(`criteria.${objectType}`, list, objectType, err, knownProperties);
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const filters = input as SyncFilters;
  // Count what each object type's search would carry, after compilation.
  const compiled = compileFilterCriteria(filters, new Date());
  for (const [objectType, list] of Object.entries(compiled.criteria)) {
    if (list.length > MAX_USER_FILTERS_PER_OBJECT) {
      errors.push({
        field: `criteria.${objectType}`,
        message: `filters for ${objectType} add up to ${list.length} search filters; HubSpot allows ${MAX_FILTERS_PER_GROUP} per search and the sync needs ${FETCHER_RESERVED_FILTERS} of them, so at most ${MAX_USER_FILTERS_PER_OBJECT} remain`,
      });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, filters };
}

function criteriaList(
  path: string,
  value: unknown,
  objectType: string,
  err: (field: string, message: string, allowed?: unknown[]) => void,
  knownProperties?: Record<string, Set<string>>,
) {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length > MAX_FILTERS_PER_GROUP) return err(path, `must be an array of at most ${MAX_FILTERS_PER_GROUP} criteria`);
  value.forEach((c, i) => {
    const at = `${path}.${i}`;
    if (!isObject(c)) return err(at, 'must be an object { condition, field, value }');
    for (const key of Object.keys(c)) if (!['condition', 'field', 'value'].includes(key)) err(`${at}.${key}`, 'is not a known criterion key', ['condition', 'field', 'value']);
    const condition = c['condition'];
    if (typeof condition !== 'string' || !CRITERION_CONDITIONS.includes(condition as OpsHubCriterion['condition'])) {
      err(`${at}.condition`, `must be one of ${CRITERION_CONDITIONS.join(', ')}`, CRITERION_CONDITIONS);
    }
    const field = c['field'];
    if (typeof field !== 'string' || !PROPERTY_NAME.test(field)) err(`${at}.field`, 'must be a HubSpot property name (letters, digits, _ . -; at most 100 characters)');
    else {
      const known = knownProperties?.[objectType];
      if (known && known.size > 0 && !known.has(field)) err(`${at}.field`, `"${field}" is not a property of ${objectType}`);
    }
    if (!('value' in c)) return err(`${at}.value`, 'is required (use null with EQUALS / NOT_EQUALS to test for an empty property)');
    const v = c['value'];
    switch (condition) {
      case 'IN':
        if (!Array.isArray(v) || v.length === 0 || v.length > MAX_VALUES || !v.every((x) => (typeof x === 'string' && x.length <= MAX_STRING) || (typeof x === 'number' && Number.isFinite(x)))) {
          err(`${at}.value`, `must be an array of 1 to ${MAX_VALUES} strings or numbers for IN`);
        }
        break;
      case 'CONTAINS':
        if (typeof v !== 'string' || v.length === 0 || v.length > MAX_STRING) err(`${at}.value`, 'must be a non-empty string for CONTAINS');
        break;
      case 'GREATER_THAN':
      case 'LESS_THAN':
        if (!((typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v))))) {
          err(`${at}.value`, `must be a number or an ISO-8601 date for ${condition}`);
        }
        break;
      case 'EQUALS':
      case 'NOT_EQUALS':
        if (!(v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= MAX_STRING))) {
          err(`${at}.value`, `must be a string, number, boolean or null for ${condition}`);
        }
        break;
    }
  });
}

export interface CompiledFilters {
  /** OpsHub criteria per object type, as `SyncJobFilters.criteria`. */
  criteria: Record<string, OpsHubCriterion[]>;
  /** When set, only these activity types are synced. */
  activityTypes?: string[];
}

/**
 * Filters → criteria per object type. Property names are HubSpot's: `lifecyclestage`,
 * `hubspot_owner_id` (companies), `hs_role` (contacts' employment role), `notes_last_updated`
 * (last activity date), `pipeline`, `dealstage`, `amount` (deals), `hs_timestamp` (every engagement),
 * `hs_call_status`, `hs_meeting_outcome`, `hs_task_status`.
 */
export function compileFilterCriteria(filters: SyncFilters, now: Date): CompiledFilters {
  const criteria: Record<string, OpsHubCriterion[]> = {};
  const add = (type: string, c: OpsHubCriterion) => (criteria[type] ??= []).push(c);
  const c = filters.companies;
  if (c?.lifecycle_stages) add('companies', { field: 'lifecyclestage', condition: 'IN', value: c.lifecycle_stages });
  if (c?.owner_ids) add('companies', { field: 'hubspot_owner_id', condition: 'IN', value: c.owner_ids });
  c?.criteria?.forEach((x) => add('companies', x));
  const p = filters.contacts;
  if (p?.roles) add('contacts', { field: 'hs_role', condition: 'IN', value: p.roles });
  if (p?.engaged_within_days) {
    add('contacts', { field: 'notes_last_updated', condition: 'GREATER_THAN', value: new Date(now.getTime() - p.engaged_within_days * 86_400_000).toISOString() });
  }
  p?.criteria?.forEach((x) => add('contacts', x));
  const d = filters.deals;
  if (d?.pipelines) add('deals', { field: 'pipeline', condition: 'IN', value: d.pipelines });
  if (d?.stages) add('deals', { field: 'dealstage', condition: 'IN', value: d.stages });
  if (d?.amount_greater_than !== undefined) add('deals', { field: 'amount', condition: 'GREATER_THAN', value: d.amount_greater_than });
  if (d?.amount_less_than !== undefined) add('deals', { field: 'amount', condition: 'LESS_THAN', value: d.amount_less_than });
  d?.criteria?.forEach((x) => add('deals', x));
  const a = filters.activities;
  const activityTypes = a?.types ?? ENGAGEMENT_OBJECT_TYPES;
  if (a) {
    for (const type of activityTypes) {
      if (a.from) add(type, { field: 'hs_timestamp', condition: 'GREATER_THAN', value: new Date(a.from).toISOString() });
      if (a.to) add(type, { field: 'hs_timestamp', condition: 'LESS_THAN', value: new Date(a.to).toISOString() });
    }
    const outcomeProperty: Record<string, string> = { calls: 'hs_call_status', meetings: 'hs_meeting_outcome', tasks: 'hs_task_status' };
    for (const [type, values] of Object.entries(a.outcomes ?? {})) {
      if (values && activityTypes.includes(type)) add(type, { field: outcomeProperty[type], condition: 'IN', value: values });
    }
  }
  for (const [type, list] of Object.entries(filters.criteria ?? {})) list.forEach((x) => add(type, x));
  return { criteria, ...(a?.types ? { activityTypes: a.types } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
