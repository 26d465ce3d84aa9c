/**
 * Each org's typed views live in its own destination schema (DESIGN §5): Weld's
 * `destination_schema_name` (seeds/003) or `hubspot_<short org id>`, unique per org; the platform's
 * own schemas and PostgreSQL's are reserved.
 */
export const RESERVED_SCHEMA_NAMES = ['public', 'hubspot', 'core', 'sync', 'integration', 'stanna', 'exante', 'information_schema'];

const SCHEMA_NAME_RE = /^[a-z_][a-z0-9_]*$/;

/** Null when the name is usable, else the reason it is not. */
export function destinationSchemaNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'destination_schema_name must be a non-empty string';
  if (Buffer.byteLength(name, 'utf8') > 63) return 'destination_schema_name must be at most 63 bytes';
  if (!SCHEMA_NAME_RE.test(name)) return 'destination_schema_name must match ^[a-z_][a-z0-9_]*$ (lower-case letters, digits, underscores)';
  if (RESERVED_SCHEMA_NAMES.includes(name) || name.startsWith('pg_')) return `destination_schema_name "${name}" is reserved`;
  return null;
}

export function assertDestinationSchemaName(name: unknown): string {
  const problem = destinationSchemaNameProblem(name);
  if (problem) throw new Error(problem);
  return name as string;
}

/** `hubspot_<first 8 hex digits of the org uuid>`; `length` grows only when that name is taken by another org. */
export function defaultDestinationSchema(organizationUid: string, length = 8): string {
  const hex = organizationUid.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`organizationUid must be a uuid, got ${JSON.stringify(organizationUid)}`);
  return `hubspot_${hex.slice(0, Math.min(Math.max(length, 8), 32))}`;
}
