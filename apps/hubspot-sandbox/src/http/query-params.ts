import { validationError } from './hubspot-error';

/**
 * Query arrays arrive as repeated parameters (`?properties=a&properties=b`, how the SDK sends
 * them) or comma-separated (`?properties=a,b`, how HubSpot's docs show them); both are accepted.
 */
export function listParam(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  const cleaned = parts.map((p) => p.trim()).filter(Boolean);
  return cleaned.length > 0 ? cleaned : undefined;
}

export function boolParam(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  const v = String(Array.isArray(value) ? value[0] : value).toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw validationError(`${name} must be true or false`);
}

export function intParam(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const v = Number(Array.isArray(value) ? value[0] : value);
  if (!Number.isInteger(v) || v < 1) throw validationError(`${name} must be a positive integer`);
  if (v > max) throw validationError(`${name} must be at most ${max}; got ${v}`);
  return v;
}

export function stringParam(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const v = String(Array.isArray(value) ? value[0] : value);
  return v === '' ? undefined : v;
}
