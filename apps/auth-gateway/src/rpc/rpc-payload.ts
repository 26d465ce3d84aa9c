import { TokenAccessError } from '../tokens/token-access.error';
import { isUuid } from '../connections/connections.repository';

/** Validation of incoming request payloads; a bad one is answered `invalid_request` naming the field. */
function field(payload: unknown, name: string): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new TokenAccessError('invalid_request', 'payload must be a JSON object');
  }
  return (payload as Record<string, unknown>)[name];
}

export function uuidField(payload: unknown, name: string): string {
  const value = field(payload, name);
  if (!isUuid(value)) throw new TokenAccessError('invalid_request', `${name} must be a UUID`);
  return value.toLowerCase();
}

export function stringField(payload: unknown, name: string, maxLength: number): string {
  const value = field(payload, name);
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new TokenAccessError('invalid_request', `${name} must be a non-empty string of at most ${maxLength} characters`);
  }
  return value;
}

export function stringArrayField(payload: unknown, name: string): string[] {
  const value = field(payload, name);
  if (!Array.isArray(value) || value.length === 0 || value.length > 200 || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new TokenAccessError('invalid_request', `${name} must be a non-empty array of object type names`);
  }
  return [...new Set(value as string[])];
}
