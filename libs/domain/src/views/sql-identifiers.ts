import { createHash } from 'node:crypto';
import { sanitizeText } from '../hubspot/value-coercion';

/** PostgreSQL truncates identifiers to NAMEDATALEN - 1 = 63 bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

/** Double-quotes an identifier; embedded quotes are doubled, so any property name is safe (issue 6 §2). */
export function quoteIdent(name: string): string {
  return `"${sanitizeText(name).replace(/"/g, '""')}"`;
}

/** A standard-conforming string literal ('' doubles a quote; backslashes are literal). */
export function quoteLiteral(value: string): string {
  return `'${sanitizeText(value).replace(/'/g, "''")}'`;
}

export function utf8Bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** The longest prefix of `value` within `maxBytes` UTF-8 bytes, never splitting a character. */
export function truncateToBytes(value: string, maxBytes: number): string {
  if (utf8Bytes(value) <= maxBytes) return value;
  let out = '';
  let bytes = 0;
  for (const ch of value) {
    const b = utf8Bytes(ch);
    if (bytes + b > maxBytes) break;
    out += ch;
    bytes += b;
  }
  return out;
}

export function shortHash(value: string, length = 8): string {
  return createHash('sha1').update(value).digest('hex').slice(0, length);
}

/**
 * A name that fits 63 bytes and is not in `taken` (compared exactly, as quoted identifiers are):
 * the name itself if possible, else a truncated prefix plus a short hash of the full name, then a counter.
 */
export function allocateIdentifier(wanted: string, taken: ReadonlySet<string>): string {
  const clean = sanitizeText(wanted) || 'unnamed';
  if (utf8Bytes(clean) <= MAX_IDENTIFIER_BYTES && !taken.has(clean)) return clean;
  const hash = shortHash(clean);
  const base = `${truncateToBytes(clean, MAX_IDENTIFIER_BYTES - hash.length - 1)}_${hash}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const suffix = `_${hash}_${i}`;
    const candidate = `${truncateToBytes(clean, MAX_IDENTIFIER_BYTES - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
