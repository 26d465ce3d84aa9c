/**
 * Destination schema names (DESIGN §5): each becomes a PostgreSQL schema holding an org's typed
 * views, so it must be a plain identifier (63 bytes at most), and never one of the platform's own
 * schemas or PostgreSQL's.
 */
export const RESERVED_SCHEMA_NAMES = ['public', 'hubspot', 'core', 'sync', 'integration', 'stanna', 'exante', 'information_schema'];

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Why the name cannot be used, or null when it can (uniqueness is checked against the database separately). */
export function destinationSchemaNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'must be a non-empty string';
  if (!IDENTIFIER.test(name)) {
    return 'must start with a lower-case letter or underscore and contain only lower-case letters, digits and underscores (at most 63 characters)';
  }
  if (RESERVED_SCHEMA_NAMES.includes(name) || name.startsWith('pg_')) return `"${name}" is reserved`;
  return null;
}

/** The default destination schema of an organization: `hubspot_<first 8 hex digits of its uid>`. */
export function defaultDestinationSchemaName(organizationUid: string): string {
  return `hubspot_${organizationUid.replace(/-/g, '').slice(0, 8).toLowerCase()}`;
}
