import { Sql } from '../database/mapper-database';

/**
 * Serialises the batches of one organization for the rest of the transaction. Mapping reads what
 * other batches write (a contact is an Exante Contact only if its company's association rows and a
 * deal in scope are in the mirror): two batches mapped at once in READ COMMITTED each miss the
 * other's uncommitted rows, and neither re-maps afterwards. Under this lock the later batch sees the
 * earlier one's committed rows. Organizations still map in parallel.
 */
export async function lockOrganizationMapping(sql: Sql, organizationUid: string): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 727278))`, [`mapping:${organizationUid}`]);
}
