import { HubspotAssociationV1, HubspotOwnerV1, HubspotPipelineStageV1, HubspotPropertyDefinitionV1, HubspotRecordV1 } from '@hubsync/contracts';
import { ProviderError } from '../errors/provider-error';

/** HubSpot answered 2xx with something we cannot use; fails the operation, naming the field. */
export function malformed(operation: string, field: string, detail = 'is missing or has the wrong type'): ProviderError {
  return new ProviderError('transient', `${operation}: malformed HubSpot response: ${field} ${detail}`, { operation });
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`, the form HubSpot's JSON sends and `toISOString` produces. */
const CANONICAL_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;

/**
 * True when `toISOString(Date.parse(value))` would give `value` back: canonical form and a real
 * calendar date and time (V8 rolls `02-31` over to March and accepts hour 24, so those are not).
 */
function isCanonicalIso(value: string): boolean {
  const m = CANONICAL_ISO.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (mo === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[mo - 1]);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isoOf(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'string' && value) {
    // Record JSON carries two timestamps per record, nearly always canonical already: skip the
    // parse-and-format round trip for them (it was ~2.5% of the fetcher's busy time).
    if (isCanonicalIso(value)) return value;
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    return Number.isNaN(ms) ? value : new Date(ms).toISOString();
  }
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  return null;
}

/** SDK `SimplePublicObject` (dates already parsed to Date) → the message shape; validates the essentials. */
export function toRecord(raw: unknown, operation: string, archivedDefault = false): HubspotRecordV1 {
  const o = raw as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') throw malformed(operation, 'results[]', 'is not an object');
  const id = o['id'];
  if (typeof id !== 'string' && typeof id !== 'number') throw malformed(operation, 'results[].id');
  const props = o['properties'];
  if (props !== undefined && (typeof props !== 'object' || props === null || Array.isArray(props))) throw malformed(operation, `results[${id}].properties`);
  const properties: Record<string, string | null> = {};
  // Values are strings or null as HubSpot sends them; glitches (numbers) are kept as text for the mapper to judge.
  for (const [k, v] of Object.entries((props as Record<string, unknown>) ?? {})) properties[k] = v === null || v === undefined ? null : String(v);
  const record: HubspotRecordV1 = {
    id: String(id),
    properties,
    createdAt: isoOf(o['createdAt']) ?? '',
    updatedAt: isoOf(o['updatedAt']) ?? '',
    archived: typeof o['archived'] === 'boolean' ? (o['archived'] as boolean) : archivedDefault,
  };
  const archivedAt = isoOf(o['archivedAt']);
  if (archivedAt) record.archivedAt = archivedAt;
  const history = o['propertiesWithHistory'];
  if (history && typeof history === 'object') {
    const out: NonNullable<HubspotRecordV1['propertiesWithHistory']> = {};
    for (const [k, list] of Object.entries(history as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      out[k] = list.map((h) => {
        const e = h as Record<string, unknown>;
        return {
          value: e['value'] === null || e['value'] === undefined ? null : String(e['value']),
          timestamp: isoOf(e['timestamp']) ?? '',
          ...(typeof e['sourceType'] === 'string' ? { sourceType: e['sourceType'] as string } : {}),
        };
      });
    }
    if (Object.keys(out).length) record.propertiesWithHistory = out;
  }
  return record;
}

const CATEGORIES = new Set(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']);

/** v4 `MultiAssociatedObjectWithLabel[]` of one from-object → association rows (one per type). */
export function toAssociations(fromId: string, to: unknown, operation: string): HubspotAssociationV1[] {
  if (!Array.isArray(to)) throw malformed(operation, `results[${fromId}].to`);
  const out: HubspotAssociationV1[] = [];
  for (const t of to) {
    const target = t as Record<string, unknown>;
    const toId = target?.['toObjectId'];
    if (typeof toId !== 'string' && typeof toId !== 'number') throw malformed(operation, `results[${fromId}].to[].toObjectId`);
    const types = target['associationTypes'];
    if (!Array.isArray(types)) throw malformed(operation, `results[${fromId}].to[${toId}].associationTypes`);
    for (const at of types) {
      const a = at as Record<string, unknown>;
      const typeId = Number(a?.['typeId']);
      if (!Number.isInteger(typeId)) throw malformed(operation, `results[${fromId}].to[${toId}].associationTypes[].typeId`);
      const category = CATEGORIES.has(String(a['category'])) ? (a['category'] as HubspotAssociationV1['category']) : 'HUBSPOT_DEFINED';
      out.push({ fromId, toId: String(toId), typeId, category, label: typeof a['label'] === 'string' && a['label'] ? (a['label'] as string) : null });
    }
  }
  return out;
}

export function toPropertyDefinition(raw: unknown, operation: string): HubspotPropertyDefinitionV1 {
  const p = raw as Record<string, unknown>;
  if (!p || typeof p['name'] !== 'string') throw malformed(operation, 'results[].name');
  const def: HubspotPropertyDefinitionV1 = {
    name: p['name'] as string,
    label: typeof p['label'] === 'string' ? (p['label'] as string) : (p['name'] as string),
    type: typeof p['type'] === 'string' ? (p['type'] as string) : 'string',
    fieldType: typeof p['fieldType'] === 'string' ? (p['fieldType'] as string) : 'text',
  };
  if (typeof p['groupName'] === 'string') def.groupName = p['groupName'] as string;
  if (typeof p['hubspotDefined'] === 'boolean') def.hubspotDefined = p['hubspotDefined'] as boolean;
  if (typeof p['calculated'] === 'boolean') def.calculated = p['calculated'] as boolean;
  if (typeof p['hasUniqueValue'] === 'boolean') def.hasUniqueValue = p['hasUniqueValue'] as boolean;
  if (typeof p['archived'] === 'boolean') def.archived = p['archived'] as boolean;
  if (Array.isArray(p['options'])) {
    def.options = (p['options'] as Record<string, unknown>[])
      .filter((o) => o && typeof o['value'] === 'string')
      .map((o) => ({ label: typeof o['label'] === 'string' ? (o['label'] as string) : (o['value'] as string), value: o['value'] as string }));
  }
  return def;
}

export function toOwner(raw: unknown, operation: string): HubspotOwnerV1 {
  const o = raw as Record<string, unknown>;
  if (!o || (typeof o['id'] !== 'string' && typeof o['id'] !== 'number')) throw malformed(operation, 'results[].id');
  return {
    id: String(o['id']),
    email: typeof o['email'] === 'string' ? (o['email'] as string) : null,
    firstName: typeof o['firstName'] === 'string' ? (o['firstName'] as string) : null,
    lastName: typeof o['lastName'] === 'string' ? (o['lastName'] as string) : null,
    userId: typeof o['userId'] === 'number' ? (o['userId'] as number) : null,
    archived: o['archived'] === true,
    createdAt: isoOf(o['createdAt']) ?? '',
    updatedAt: isoOf(o['updatedAt']) ?? '',
  };
}

export interface PipelineShape {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  stages: HubspotPipelineStageV1[];
}

export function toPipeline(raw: unknown, operation: string): PipelineShape {
  const p = raw as Record<string, unknown>;
  if (!p || typeof p['id'] !== 'string') throw malformed(operation, 'results[].id');
  const stages = Array.isArray(p['stages']) ? (p['stages'] as Record<string, unknown>[]) : [];
  return {
    id: p['id'] as string,
    label: String(p['label'] ?? p['id']),
    displayOrder: Number(p['displayOrder'] ?? 0),
    archived: p['archived'] === true,
    stages: stages.map((s) => {
      if (!s || typeof s['id'] !== 'string') throw malformed(operation, `results[${p['id']}].stages[].id`);
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries((s['metadata'] as Record<string, unknown>) ?? {})) if (v !== null && v !== undefined) metadata[k] = String(v);
      return { id: s['id'] as string, label: String(s['label'] ?? s['id']), displayOrder: Number(s['displayOrder'] ?? 0), archived: s['archived'] === true, metadata };
    }),
  };
}
