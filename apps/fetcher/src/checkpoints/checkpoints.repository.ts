import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FencedOutError } from './fenced-out.error';
import { returnedRows, Sql } from './sql';

export interface CheckpointKey {
  organizationUid: string;
  connectionId: string;
  portalId: string;
  streamKey: string;
}

/**
 * Cursors in `sync.fetch_checkpoints`. A save is fenced by the lease revision: it applies only if no
 * newer driver has written the row (`fence <= $revision`), else FencedOutError.
 */
@Injectable()
export class CheckpointsRepository {
  constructor(private readonly db: DataSource) {}

  async load<T>(connectionId: string, streamKey: string, sql: Sql = this.db): Promise<T | null> {
    const rows = returnedRows(await sql.query(`SELECT cursor FROM sync.fetch_checkpoints WHERE connection_id = $1 AND stream_key = $2`, [connectionId, streamKey]));
    return rows[0] ? (rows[0].cursor as T) : null;
  }

  async save<T>(key: CheckpointKey, cursor: T, fence: number, sql: Sql = this.db): Promise<void> {
    const rows = returnedRows(await sql.query(
      `INSERT INTO sync.fetch_checkpoints (connection_id, stream_key, organization_uid, portal_id, cursor, fence, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (connection_id, stream_key) DO UPDATE
         SET cursor = EXCLUDED.cursor, fence = EXCLUDED.fence, updated_at = now()
       WHERE sync.fetch_checkpoints.fence <= EXCLUDED.fence
       RETURNING 1`,
      [key.connectionId, key.streamKey, key.organizationUid, key.portalId, JSON.stringify(cursor), fence],
    ));
    if (rows.length === 0) throw new FencedOutError(`checkpoint ${key.streamKey}`, fence);
  }

  async remove(connectionId: string, streamKey: string, fence: number, sql: Sql = this.db): Promise<void> {
    await sql.query(`DELETE FROM sync.fetch_checkpoints WHERE connection_id = $1 AND stream_key = $2 AND fence <= $3`, [connectionId, streamKey, fence]);
  }

  /** Keys with a prefix (e.g. every `edge:` cursor of a connection). */
  async keysWithPrefix(connectionId: string, prefix: string): Promise<string[]> {
    const rows = returnedRows(await this.db.query(`SELECT stream_key FROM sync.fetch_checkpoints WHERE connection_id = $1 AND starts_with(stream_key, $2)`, [connectionId, prefix]));
    return rows.map((r: { stream_key: string }) => r.stream_key);
  }
}
