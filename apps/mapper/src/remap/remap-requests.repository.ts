import { Injectable } from '@nestjs/common';
import { Sql } from '../database/mapper-database';

export interface RemapRequest {
  id: string;
  organization_uid: string;
  target_entity: string | null;
  attempts: number;
}

/** Entities a remap request may name; null = everything, `views` = the typed views. */
export const REMAP_TARGETS = ['views', 'stanna.client', 'stanna.stakeholder', 'stanna.deal', 'stanna.activity', 'exante.document', 'exante.party', 'exante.contact'];

const MAX_ATTEMPTS = 5;

/** `sync.remap_requests`: re-map an org from the mirror without refetching (claimed with SKIP LOCKED). */
@Injectable()
export class RemapRequestsRepository {
  async request(sql: Sql, organizationUid: string, targetEntity: string | null, reason: string): Promise<void> {
    // One open request per org and target is enough.
    await sql.query(
      `INSERT INTO sync.remap_requests (organization_uid, target_entity, reason)
       SELECT $1, $2, $3 WHERE NOT EXISTS (
         SELECT 1 FROM sync.remap_requests WHERE organization_uid = $1 AND target_entity IS NOT DISTINCT FROM $2 AND started_at IS NULL AND finished_at IS NULL)`,
      [organizationUid, targetEntity, reason.slice(0, 500)],
    );
  }

  /** The oldest open request (or one whose worker died mid-way), marked started. */
  async claim(sql: Sql, staleAfterMs: number): Promise<RemapRequest | null> {
    const rows = await sql.query<RemapRequest>(
      `UPDATE sync.remap_requests SET started_at = now(), attempts = attempts + 1
        WHERE id = (SELECT id FROM sync.remap_requests
                     WHERE finished_at IS NULL AND attempts < $2
                       AND (started_at IS NULL OR started_at < now() - make_interval(secs => $1 / 1000.0))
                     ORDER BY requested_at FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING id::text, organization_uid, target_entity, attempts`,
      [staleAfterMs, MAX_ATTEMPTS],
    );
    return rows[0] ?? null;
  }

  async finish(sql: Sql, id: string, error: string | null): Promise<void> {
    await sql.query(
      `UPDATE sync.remap_requests SET finished_at = CASE WHEN $2::text IS NULL OR attempts >= $3 THEN now() END,
              started_at = CASE WHEN $2::text IS NULL OR attempts >= $3 THEN started_at END, error_message = $2
        WHERE id = $1::bigint`,
      [id, error ? error.slice(0, 2000) : null, MAX_ATTEMPTS],
    );
  }
}
