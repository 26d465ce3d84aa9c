import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Sql } from '../../checkpoints/sql';

/**
 * Ids handed on as live, per connection and object type (`sync.fetch_known_ids`), for object types
 * without an archived listing (custom objects): the id sweep marks the ids it still sees and treats
 * the unmarked rest as deleted. Lives in PostgreSQL so memory does not grow with the portal.
 */
@Injectable()
export class KnownIdsRepository {
  constructor(private readonly db: DataSource) {}

  async remember(organizationUid: string, connectionId: string, objectType: string, ids: string[], sql: Sql = this.db): Promise<void> {
    if (ids.length === 0) return;
    await sql.query(
      `INSERT INTO sync.fetch_known_ids (connection_id, object_type, object_id, organization_uid)
       SELECT $1, $2, unnest($3::text[]), $4 ON CONFLICT DO NOTHING`,
      [connectionId, objectType, ids, organizationUid],
    );
  }

  /** Marks ids seen by sweep `sweepId` (inserting the ones not known yet). */
  async mark(organizationUid: string, connectionId: string, objectType: string, ids: string[], sweepId: string, sql: Sql = this.db): Promise<void> {
    if (ids.length === 0) return;
    await sql.query(
      `INSERT INTO sync.fetch_known_ids (connection_id, object_type, object_id, organization_uid, sweep_id)
       SELECT $1, $2, unnest($3::text[]), $4, $5
       ON CONFLICT (connection_id, object_type, object_id) DO UPDATE SET sweep_id = EXCLUDED.sweep_id`,
      [connectionId, objectType, ids, organizationUid, sweepId],
    );
  }

  /** Known ids the sweep did not see, in id order after `afterId`. */
  async unseen(connectionId: string, objectType: string, sweepId: string, afterId: string, limit: number): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT object_id FROM sync.fetch_known_ids
        WHERE connection_id = $1 AND object_type = $2 AND sweep_id IS DISTINCT FROM $3 AND object_id > $4
        ORDER BY object_id LIMIT $5`,
      [connectionId, objectType, sweepId, afterId, limit],
    );
    return rows.map((r: { object_id: string }) => r.object_id);
  }

  async forget(connectionId: string, objectType: string, ids: string[], sql: Sql = this.db): Promise<void> {
    if (ids.length === 0) return;
    await sql.query(`DELETE FROM sync.fetch_known_ids WHERE connection_id = $1 AND object_type = $2 AND object_id = ANY($3::text[])`, [connectionId, objectType, ids]);
  }
}
