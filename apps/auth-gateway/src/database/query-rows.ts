/** Anything with TypeORM's `query(sql, params)`: a DataSource, an EntityManager, a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/**
 * Rows of a statement. TypeORM's postgres driver answers UPDATE and DELETE with `[rows, rowCount]`
 * instead of the rows (PostgresQueryRunner.query), so `UPDATE … RETURNING` needs unwrapping.
 */
export async function queryRows<T>(db: Queryable, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result = await db.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
