import { coerceValue, sanitizeText } from './value-coercion';

export interface DroppedField {
  property: string;
  reason: string;
}

export interface CoercedProperties {
  properties: Record<string, string | null>;
  dropped: DroppedField[];
  coerced: string[];
}

/**
 * Cleans one record's properties against the object type's property metadata (name → HubSpot type).
 * Unknown properties are kept as text. Dropped values become null (the newer record says "no usable
 * value"), and are reported so the caller can record them.
 */
export function coerceRecordProperties(raw: unknown, types: ReadonlyMap<string, string>): CoercedProperties {
  const properties: Record<string, string | null> = {};
  const dropped: DroppedField[] = [];
  const coerced: string[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { properties, dropped, coerced };
  for (const [rawName, value] of Object.entries(raw as Record<string, unknown>)) {
    const name = sanitizeText(rawName);
    if (name === '') continue;
    const result = coerceValue(types.get(name) ?? 'string', value);
    if (result.kind === 'dropped') {
      properties[name] = null;
      dropped.push({ property: name, reason: result.reason });
    } else {
      properties[name] = result.value;
      if (result.kind === 'coerced') coerced.push(name);
    }
  }
  return { properties, dropped, coerced };
}
