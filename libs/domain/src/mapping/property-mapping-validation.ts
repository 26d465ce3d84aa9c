import { DATE_FORMATS, MappingExpression } from './mapping-expression';
import { CUSTOM_FIELD_RE, TARGET_ENTITIES } from './target-fields';

export interface PropertyMapping {
  targetEntity: string;
  targetField: string;
  source: MappingExpression;
}

/**
 * Mappings as stored in `sync.property_mappings` (validated when saved): re-checked for shape only, so
 * a row written by hand or by an older version can never make the mapper throw; bad rows are dropped.
 */
export function parseStoredMappings(rows: { target_entity: string; target_field: string; source: unknown }[]): PropertyMapping[] {
  const out: PropertyMapping[] = [];
  for (const row of rows) {
    const r = validatePropertyMappings([row], null);
    if (r.ok) out.push(...r.mappings);
  }
  return out;
}

export type PropertyMappingValidation = { ok: true; mappings: PropertyMapping[] } | { ok: false; errors: string[] };

/** Known property names per HubSpot object type (from the mirror's property metadata); null = don't check. */
export type KnownProperties = Readonly<Record<string, Iterable<string>>> | null;

const MAX_DEPTH = 8;
const MAX_NODES = 200;
const MAX_LOOKUP_ENTRIES = 1000;

/**
 * Validates property mappings as sync-api's `PUT /api/integrations/hubspot/mappings` receives them:
 * `[{ target_entity, target_field, source }]`. Every error names the offending field, and an unknown
 * property names the property and the object types searched (issue 6 §5).
 */
export function validatePropertyMappings(input: unknown, known: KnownProperties): PropertyMappingValidation {
  const errors: string[] = [];
  if (!Array.isArray(input)) return { ok: false, errors: ['mappings must be an array'] };
  const knownSets = known === null ? null : new Map<string, Set<string>>(Object.entries(known).map(([t, names]) => [t, new Set(names)]));
  const seen = new Set<string>();
  const mappings: PropertyMapping[] = [];
  input.forEach((raw, i) => {
    const at = `mappings[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push(`${at} must be an object`);
      return;
    }
    const m = raw as Record<string, unknown>;
    const entity = m['target_entity'];
    const field = m['target_field'];
    const def = typeof entity === 'string' ? TARGET_ENTITIES[entity] : undefined;
    if (!def) {
      errors.push(`${at}.target_entity must be one of ${Object.keys(TARGET_ENTITIES).join(', ')}`);
      return;
    }
    if (typeof field !== 'string' || !(field in def.fields || CUSTOM_FIELD_RE.test(field))) {
      errors.push(`${at}.target_field must be one of ${Object.keys(def.fields).join(', ')} or custom.<key> (a-z, 0-9, _), got ${JSON.stringify(field)}`);
      return;
    }
    const key = `${entity}/${field}`;
    if (seen.has(key)) errors.push(`${at}: ${key} is mapped twice`);
    seen.add(key);
    const before = errors.length;
    const counter = { nodes: 0 };
    checkExpression(m['source'], `${at}.source`, 0, counter, errors, (property, path) => {
      if (knownSets === null) return;
      const types = def.sourceObjectTypes;
      const found = types.some((t) => knownSets.get(t)?.has(property));
      if (!found) errors.push(`${path}: unknown property "${property}" on ${types.join('/')}`);
    });
    if (errors.length === before) mappings.push({ targetEntity: entity as string, targetField: field, source: m['source'] as MappingExpression });
  });
  return errors.length ? { ok: false, errors } : { ok: true, mappings };
}

function checkExpression(
  expr: unknown,
  path: string,
  depth: number,
  counter: { nodes: number },
  errors: string[],
  checkProperty: (name: string, path: string) => void,
): void {
  if (++counter.nodes > MAX_NODES) {
    if (counter.nodes === MAX_NODES + 1) errors.push(`${path}: expression has more than ${MAX_NODES} nodes`);
    return;
  }
  if (depth > MAX_DEPTH) {
    errors.push(`${path}: expression nests deeper than ${MAX_DEPTH} levels`);
    return;
  }
  if (typeof expr === 'string') {
    if (expr === '') errors.push(`${path}: property name must not be empty`);
    else checkProperty(expr, path);
    return;
  }
  if (expr === null || typeof expr !== 'object' || Array.isArray(expr)) {
    errors.push(`${path} must be a property name or an expression object`);
    return;
  }
  const e = expr as Record<string, unknown>;
  const ops = ['property', 'literal', 'concat', 'divide', 'firstNonEmpty', 'lookup', 'dateParse'].filter((k) => k in e);
  if (ops.length !== 1) {
    errors.push(`${path} must have exactly one of property, literal, concat, divide, firstNonEmpty, lookup, dateParse`);
    return;
  }
  const op = ops[0];
  const allowed: Record<string, string[]> = {
    property: ['property'],
    literal: ['literal'],
    concat: ['concat', 'separator'],
    divide: ['divide'],
    firstNonEmpty: ['firstNonEmpty'],
    lookup: ['lookup', 'table', 'default'],
    dateParse: ['dateParse', 'format'],
  };
  const extra = Object.keys(e).filter((k) => !allowed[op].includes(k));
  if (extra.length) errors.push(`${path}: unexpected key(s) ${extra.join(', ')} for ${op}`);
  switch (op) {
    case 'property':
      if (typeof e['property'] !== 'string' || e['property'] === '') errors.push(`${path}.property must be a non-empty string`);
      else checkProperty(e['property'], `${path}.property`);
      return;
    case 'literal':
      if (!isScalar(e['literal'])) errors.push(`${path}.literal must be a string, number, boolean or null`);
      return;
    case 'concat':
    case 'firstNonEmpty': {
      const list = e[op];
      if (!Array.isArray(list) || list.length < 1) {
        errors.push(`${path}.${op} must be a non-empty array`);
        return;
      }
      if (op === 'concat' && e['separator'] !== undefined && typeof e['separator'] !== 'string') errors.push(`${path}.separator must be a string`);
      list.forEach((x, i) => checkExpression(x, `${path}.${op}[${i}]`, depth + 1, counter, errors, checkProperty));
      return;
    }
    case 'divide': {
      const list = e['divide'];
      if (!Array.isArray(list) || list.length !== 2) {
        errors.push(`${path}.divide must be an array of two expressions`);
        return;
      }
      list.forEach((x, i) => checkExpression(x, `${path}.divide[${i}]`, depth + 1, counter, errors, checkProperty));
      return;
    }
    case 'lookup': {
      checkExpression(e['lookup'], `${path}.lookup`, depth + 1, counter, errors, checkProperty);
      const table = e['table'];
      if (table === null || typeof table !== 'object' || Array.isArray(table)) errors.push(`${path}.table must be an object`);
      else {
        const entries = Object.entries(table as Record<string, unknown>);
        if (entries.length > MAX_LOOKUP_ENTRIES) errors.push(`${path}.table has more than ${MAX_LOOKUP_ENTRIES} entries`);
        for (const [k, v] of entries) if (!isScalar(v)) errors.push(`${path}.table["${k}"] must be a string, number, boolean or null`);
      }
      if ('default' in e && !isScalar(e['default'])) errors.push(`${path}.default must be a string, number, boolean or null`);
      return;
    }
    case 'dateParse':
      checkExpression(e['dateParse'], `${path}.dateParse`, depth + 1, counter, errors, checkProperty);
      if (e['format'] !== undefined && !(DATE_FORMATS as readonly unknown[]).includes(e['format'])) {
        errors.push(`${path}.format must be one of ${DATE_FORMATS.join(', ')}`);
      }
      return;
  }
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
