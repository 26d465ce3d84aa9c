import { Pool } from 'pg';

export interface FingerprintOptions {
  /** Only the rows of this organization (tables without an organization column are left out). */
  organizationUid?: string;
  /**
   * Columns that legitimately change on any authenticated request, as `schema.table.column`
   * (default: core.api_keys.last_used_at, which the key guard refreshes at most once a minute).
   */
  ignoreColumns?: string[];
}

export const DEFAULT_IGNORED_COLUMNS = ['core.api_keys.last_used_at'];

interface ColumnRow {
  table_schema: string;
  table_name: string;
  column_name: string;
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * One md5 per table over every row's text form (ordered), in one round trip: two fingerprints are
 * equal exactly when no row was inserted, updated or deleted in between (ignored columns aside).
 */
export async function tableFingerprints(db: Pool, options: FingerprintOptions = {}): Promise<Record<string, string>> {
  // Tables come from migrations only, so the query is built once per pool and scope.
  const cacheKey = JSON.stringify([options.organizationUid ? 'org' : 'all', options.ignoreColumns ?? null]);
  let perPool = queries.get(db);
  if (!perPool) queries.set(db, (perPool = new Map()));
  let sql = perPool.get(cacheKey);
  if (sql === undefined) {
    sql = await buildQuery(db, options);
    perPool.set(cacheKey, sql);
  }
  if (!sql) return {};
  const result = await db.query<{ t: string; f: string }>(sql, options.organizationUid ? [options.organizationUid] : []);
  return Object.fromEntries(result.rows.map((r) => [r.t, r.f]));
}

const queries = new WeakMap<Pool, Map<string, string>>();

async function buildQuery(db: Pool, options: FingerprintOptions): Promise<string> {
  const ignored = new Set(options.ignoreColumns ?? DEFAULT_IGNORED_COLUMNS);
  const columns = await db.query<ColumnRow>(
    `SELECT c.table_schema, c.table_name, c.column_name
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg_toast%'
      ORDER BY c.table_schema, c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const c of columns.rows) {
    const key = `${c.table_schema}.${c.table_name}`;
    const list = tables.get(key) ?? [];
    tables.set(key, list);
    if (!ignored.has(`${key}.${c.column_name}`)) list.push(c.column_name);
  }
  const parts: string[] = [];
  for (const [table, cols] of tables) {
    const [schema, name] = table.split('.');
    const where = scopeOf(table, cols, options.organizationUid);
    if (where === null) continue;
    const row = cols.length > 0 ? `row(${cols.map(ident).join(', ')})::text` : `'-'`;
    parts.push(
      `SELECT ${literal(table)} AS t, md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) || ':' || count(*) AS f FROM (SELECT ${row} AS r FROM ${ident(schema)}.${ident(name)} ${where}) s`,
    );
  }
  return parts.join('\nUNION ALL\n');
}

/** The WHERE clause confining a table to one organization; '' for all rows; null to leave it out. */
function scopeOf(table: string, columns: string[], organizationUid: string | undefined): string | null {
  if (!organizationUid) return '';
  if (columns.includes('organization_uid')) return 'WHERE organization_uid = $1::uuid';
  if (table === 'core.organizations') return 'WHERE uid = $1::uuid';
  if (table === 'core.users') return 'WHERE uid IN (SELECT user_uid FROM core.memberships WHERE organization_uid = $1::uuid)';
  return null;
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Tables whose fingerprint differs (added, removed or changed). */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}
