import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Sql } from '../../checkpoints/sql';
import { compareIds } from '@hubsync/hubspot';

/** The records a run reached (`sync.fetch_run_ids`), in PostgreSQL so a resumed run keeps its set. */
@Injectable()
export class RunIdsRepository {
  constructor(private readonly db: DataSource) {}

  async add(runId: string, organizationUid: string, objectType: string, ids: string[], sql: Sql = this.db): Promise<void> {
    if (ids.length === 0) return;
    await sql.query(
      `INSERT INTO sync.fetch_run_ids (run_id, object_type, object_id, organization_uid)
       SELECT $1, $2, unnest($3::text[]), $4 ON CONFLICT DO NOTHING`,
      [runId, objectType, ids, organizationUid],
    );
  }

  /** Which of `ids` the run has not reached yet. */
  async unknown(runId: string, objectType: string, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query(`SELECT object_id FROM sync.fetch_run_ids WHERE run_id = $1 AND object_type = $2 AND object_id = ANY($3::text[])`, [runId, objectType, ids]);
    const known = new Set(rows.map((r: { object_id: string }) => r.object_id));
    return ids.filter((id) => !known.has(id));
  }

  /** Reached ids after `afterId` in numeric id order. */
  async page(runId: string, objectType: string, afterId: string, limit: number): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT object_id FROM sync.fetch_run_ids WHERE run_id = $1 AND object_type = $2
          AND (length(object_id), object_id) > (length($3::text), $3::text)
        ORDER BY length(object_id), object_id LIMIT $4`,
      [runId, objectType, afterId, limit],
    );
    const ids = rows.map((r: { object_id: string }) => r.object_id);
    return ids.sort(compareIds);
  }
}
