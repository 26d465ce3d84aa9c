import { sanitizeText } from '@hubsync/domain';

/**
 * Serialises rows for `jsonb_to_recordset($n::jsonb)`. jsonb rejects \u0000 and unpaired surrogates,
 * so every string value is cleaned on the way (property names were cleaned by the coercion step).
 */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'string' ? sanitizeText(v) : v));
}
