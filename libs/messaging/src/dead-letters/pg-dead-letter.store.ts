import { Pool } from 'pg';
import { DeadLetter, DeadLetterStore } from './dead-letter-store';

/** Anything with pg-style `query(sql, params)`: a pg Pool or Client, or a TypeORM DataSource. */
export interface SqlQueryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Error texts can be huge (stack traces, response bodies); the record keeps the start. */
const MAX_ERROR_CHARS = 8_000;

/** Writes dead letters to `sync.dead_letters` (migration CreateSyncSchema1763830100000). */
export class PgDeadLetterStore implements DeadLetterStore {
  constructor(private readonly db: SqlQueryable, private readonly ownedPool?: Pool) {}

  /** A store with its own small pool, closed by `close()`. */
  static fromUrl(databaseUrl: string): PgDeadLetterStore {
    const pool = new Pool({ connectionString: databaseUrl, max: 2, application_name: 'hubsync-dead-letters' });
    return new PgDeadLetterStore(pool, pool);
  }

  async record(letter: DeadLetter): Promise<void> {
    await this.db.query(
      `INSERT INTO sync.dead_letters (organization_uid, stream, consumer, subject, msg_id, deliveries, error, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        letter.organizationUid,
        letter.stream,
        letter.consumer,
        letter.subject,
        letter.msgId,
        letter.deliveries,
        letter.error.slice(0, MAX_ERROR_CHARS),
        Buffer.from(letter.payload),
      ],
    );
  }

  async close(): Promise<void> {
    await this.ownedPool?.end();
  }
}
