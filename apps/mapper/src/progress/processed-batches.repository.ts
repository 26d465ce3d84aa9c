import { Injectable } from '@nestjs/common';
import { Sql } from '../database/mapper-database';

export interface BatchClaim {
  batchId: string;
  organizationUid: string;
  runId: string | null;
  subject: string;
  objectType: string;
  records: number;
}

/**
 * Batch ids the mapper has committed. Claimed inside the batch's own transaction: a redelivered batch
 * (or one delivered twice at once — the second insert waits for the first to commit) finds its id
 * taken and changes nothing, so counters never double-count.
 */
@Injectable()
export class ProcessedBatchesRepository {
  /** True when this batch is new (the caller processes it), false when it was already committed. */
  async claim(sql: Sql, c: BatchClaim): Promise<boolean> {
    const rows = await sql.query(
      `INSERT INTO sync.mapper_batches (batch_id, organization_uid, run_id, subject, object_type, records)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id`,
      [c.batchId, c.organizationUid, c.runId, c.subject, c.objectType, c.records],
    );
    return rows.length === 1;
  }

  /** Forgets batch ids older than the retention (far beyond any redelivery). */
  async prune(sql: Sql, olderThanDays: number): Promise<number> {
    const rows = await sql.query(`DELETE FROM sync.mapper_batches WHERE processed_at < now() - make_interval(days => $1) RETURNING 1`, [olderThanDays]);
    return rows.length;
  }
}
