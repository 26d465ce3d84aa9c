/** Anything that runs parameterised SQL: a TypeORM DataSource or EntityManager (transactions). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/**
 * The rows a statement returned. TypeORM's PostgreSQL driver answers a raw UPDATE/DELETE with
 * `[rows, affectedCount]` but a SELECT/INSERT with the rows alone.
 */
export function returnedRows<T = any>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return Array.isArray(result) ? (result as T[]) : [];
}
