import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Sql } from '../../checkpoints/sql';
import { FingerprintCache } from './fingerprint-cache';

export interface PairKey {
  connectionId: string;
  fromType: string;
  toType: string;
}

/** Default of FINGERPRINT_CACHE_SIZE (see FingerprintCache for why it is small). */
export const DEFAULT_FINGERPRINT_CACHE_SIZE = 10_000;

/**
 * Association fingerprints in PostgreSQL (`sync.association_fingerprints`): one per (pair, from-id),
 * with the sweep that last saw it — so unchanged sets emit nothing, a restart does not resend
 * everything, and memory does not grow with the portal. A bounded in-memory LRU sits in front.
 */
@Injectable()
export class FingerprintsRepository {
  private readonly cache = new FingerprintCache(DEFAULT_FINGERPRINT_CACHE_SIZE);

  constructor(private readonly db: DataSource) {}

  setCacheSize(size: number): void {
    this.cache.resize(size);
  }

  async lookup(pair: PairKey, fromIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const missing: string[] = [];
    for (const id of fromIds) {
      const hit = this.cache.get(pair, id);
      if (hit !== undefined) out.set(id, hit);
      else missing.push(id);
    }
    if (missing.length) {
      const rows = await this.db.query(
        `SELECT from_id, fingerprint FROM sync.association_fingerprints
          WHERE connection_id = $1 AND from_type = $2 AND to_type = $3 AND from_id = ANY($4::text[])`,
        [pair.connectionId, pair.fromType, pair.toType, missing],
      );
      for (const r of rows as { from_id: string; fingerprint: string }[]) {
        out.set(r.from_id, r.fingerprint);
        this.cache.set(pair, r.from_id, r.fingerprint);
      }
    }
    return out;
  }

  /** Stores new fingerprints and marks unchanged ones as seen by `sweepId` (one statement). */
  async save(pair: PairKey, organizationUid: string, sweepId: string, entries: { fromId: string; fingerprint: string }[], sql: Sql = this.db): Promise<void> {
    if (entries.length === 0) return;
    await sql.query(
      `INSERT INTO sync.association_fingerprints (connection_id, from_type, to_type, from_id, organization_uid, fingerprint, sweep_id)
       SELECT $1, $2, $3, f.from_id, $4, f.fingerprint, $5 FROM unnest($6::text[], $7::text[]) AS f(from_id, fingerprint)
       ON CONFLICT (connection_id, from_type, to_type, from_id)
       DO UPDATE SET fingerprint = EXCLUDED.fingerprint, sweep_id = EXCLUDED.sweep_id, updated_at = now()`,
      [pair.connectionId, pair.fromType, pair.toType, organizationUid, sweepId, entries.map((e) => e.fromId), entries.map((e) => e.fingerprint)],
    );
    for (const e of entries) this.cache.set(pair, e.fromId, e.fingerprint);
  }

  async remove(pair: PairKey, fromIds: string[], sql: Sql = this.db): Promise<void> {
    if (fromIds.length === 0) return;
    await sql.query(
      `DELETE FROM sync.association_fingerprints WHERE connection_id = $1 AND from_type = $2 AND to_type = $3 AND from_id = ANY($4::text[])`,
      [pair.connectionId, pair.fromType, pair.toType, fromIds],
    );
    for (const id of fromIds) this.cache.delete(pair, id);
  }

  /** From-ids with a fingerprint the sweep did not see (their objects are gone or lost every association). */
  async unseen(pair: PairKey, sweepId: string, limit: number): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT from_id FROM sync.association_fingerprints
        WHERE connection_id = $1 AND from_type = $2 AND to_type = $3 AND sweep_id <> $4
        ORDER BY from_id LIMIT $5`,
      [pair.connectionId, pair.fromType, pair.toType, sweepId, limit],
    );
    return rows.map((r: { from_id: string }) => r.from_id);
  }
}
