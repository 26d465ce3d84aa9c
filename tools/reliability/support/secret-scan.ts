import { Pool } from 'pg';

export interface SecretHit {
  /** The first characters of the secret (enough to tell which one, never the whole value). */
  secret: string;
  where: string;
}

/** A short, printable stand-in for a secret in test output. */
export function secretLabel(secret: string): string {
  return `${secret.slice(0, 6)}…(${secret.length} chars)`;
}

/**
 * Looks for each secret in every column of every table (SQL over information_schema: the embedded
 * PostgreSQL is newer than the machine's pg_dump). Text-like columns are searched by their text form
 * (jsonb and arrays included), bytea columns by the secret's UTF-8 bytes, so neither a plaintext
 * copy nor an unencrypted byte string escapes.
 */
export async function scanDatabaseForSecrets(db: Pool, secrets: Iterable<string>): Promise<SecretHit[]> {
  const list = [...new Set([...secrets].filter((s) => s.length >= 8))];
  if (list.length === 0) return [];
  const columns = await db.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg_toast%'`,
  );
  const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const hits: SecretHit[] = [];
  for (const c of columns.rows) {
    const table = `${ident(c.table_schema)}.${ident(c.table_name)}`;
    const column = ident(c.column_name);
    const isBytea = c.data_type === 'bytea';
    const sql = isBytea
      ? `SELECT i FROM unnest($1::bytea[]) WITH ORDINALITY AS s(v, i) WHERE EXISTS (SELECT 1 FROM ${table} WHERE position(s.v in ${column}) > 0)`
      : `SELECT i FROM unnest($1::text[]) WITH ORDINALITY AS s(v, i) WHERE EXISTS (SELECT 1 FROM ${table} WHERE strpos(${column}::text, s.v) > 0)`;
    const found = await db.query<{ i: string }>(sql, [isBytea ? list.map((s) => Buffer.from(s, 'utf8')) : list]);
    for (const row of found.rows) hits.push({ secret: secretLabel(list[Number(row.i) - 1]), where: `${c.table_schema}.${c.table_name}.${c.column_name}` });
  }
  return hits;
}

/** Lines of captured logs that contain any of the secrets (each reported once per secret). */
export function scanLinesForSecrets(lines: string[], secrets: Iterable<string>): SecretHit[] {
  const list = [...new Set([...secrets].filter((s) => s.length >= 8))];
  const hits: SecretHit[] = [];
  for (const secret of list) {
    const index = lines.findIndex((line) => line.includes(secret));
    if (index >= 0) hits.push({ secret: secretLabel(secret), where: `log line ${index}: ${lines[index].replace(secret, '<SECRET>').slice(0, 300)}` });
  }
  return hits;
}
