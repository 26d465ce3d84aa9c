import { coerceForSqlType } from '../hubspot/value-coercion';
import { ViewSqlType } from '../hubspot/property-sql-type';
import { evaluateExpression, MappingValue, PropertyBag } from './mapping-expression';
import { PropertyMapping } from './property-mapping-validation';
import { CUSTOM_FIELD_RE, TargetFieldType, targetFieldType } from './target-fields';

export interface AppliedMappings {
  /** Standard target fields the mappings set (coerced to the field's type; null when not coercible). */
  fields: Record<string, string | number | boolean | null>;
  /** `custom.<key>` values, for the entity's custom_fields column. */
  custom: Record<string, MappingValue>;
  /** Fields whose mapped value could not be turned into the field's type. */
  invalid: { field: string; reason: string }[];
}

const SQL_TYPE: Record<TargetFieldType, ViewSqlType> = { text: 'text', number: 'numeric', date: 'date', datetime: 'timestamptz', boolean: 'boolean' };

/** Evaluates an entity's mappings against one record's properties. */
export function applyMappings(entity: string, mappings: readonly PropertyMapping[], props: PropertyBag): AppliedMappings {
  const out: AppliedMappings = { fields: {}, custom: {}, invalid: [] };
  for (const m of mappings) {
    if (m.targetEntity !== entity) continue;
    const value = evaluateExpression(m.source, props);
    if (CUSTOM_FIELD_RE.test(m.targetField)) {
      out.custom[m.targetField.slice('custom.'.length)] = value;
      continue;
    }
    const type = targetFieldType(entity, m.targetField);
    if (!type) continue;
    out.fields[m.targetField] = toFieldType(type, value, m.targetField, out);
  }
  return out;
}

function toFieldType(type: TargetFieldType, value: MappingValue, field: string, out: AppliedMappings): string | number | boolean | null {
  if (value === null) return null;
  const r = coerceForSqlType(SQL_TYPE[type], value);
  if (r.kind === 'dropped') {
    out.invalid.push({ field, reason: r.reason });
    return null;
  }
  if (r.value === null) return null;
  if (type === 'number') return Number(r.value);
  if (type === 'boolean') return r.value === 'true';
  if (type === 'datetime' && /^\d+$/.test(r.value)) return new Date(Number(r.value)).toISOString();
  return r.value;
}
