/** Anything that runs parameterised SQL: a TypeORM DataSource or EntityManager (transactions). */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** Rows of a TypeORM raw UPDATE/DELETE come back as [rows, affected]; of a SELECT/INSERT … RETURNING as rows. */
export function affectedRows(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  if (Array.isArray(result)) return result.length;
  return 0;
}
