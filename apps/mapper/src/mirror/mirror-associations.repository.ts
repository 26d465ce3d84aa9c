import { Injectable } from '@nestjs/common';
import { HubspotAssociationV1 } from '@hubsync/contracts';
import { Sql } from '../database/mapper-database';
import { jsonParam } from '../database/json-param';

export interface AssociationChange {
  change: 'added' | 'removed';
  from_id: string;
  to_id: string;
}

export interface AssociationPair {
  fromType: string;
  toType: string;
}

/** `hubspot.associations`, written by association sweeps (mark and sweep; seeds/001). */
@Injectable()
export class MirrorAssociationsRepository {
  /** True when `sweepId` completed before another sweep of the pair completed: its late batches are stale. */
  async isStaleSweep(sql: Sql, organizationUid: string, pair: AssociationPair, sweepId: string): Promise<boolean> {
    const rows = await sql.query<{ stale: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM hubspot.association_sweeps mine JOIN hubspot.association_sweeps later
           ON later.organization_uid = mine.organization_uid AND later.from_type = mine.from_type AND later.to_type = mine.to_type
          AND later.completed_at > mine.completed_at
        WHERE mine.organization_uid = $1 AND mine.from_type = $2 AND mine.to_type = $3 AND mine.sweep_id = $4) AS stale`,
      [organizationUid, pair.fromType, pair.toType, sweepId],
    );
    return rows[0]?.stale === true;
  }

  /**
   * Replaces the association sets of `fromIds` with `associations` in one statement and returns what
   * changed (added or removed pairs; label updates are applied but are not "changes" for re-mapping).
   */
  async replaceSets(sql: Sql, organizationUid: string, pair: AssociationPair, sweepId: string, fromIds: string[], associations: HubspotAssociationV1[]): Promise<AssociationChange[]> {
    const ids = [...new Set([...fromIds, ...associations.map((a) => a.fromId)])];
    if (ids.length === 0) return [];
    return sql.query<AssociationChange>(
      `WITH input AS (
         SELECT DISTINCT ON (x."fromId", x."toId", x."typeId") x."fromId" AS from_id, x."toId" AS to_id, x."typeId" AS type_id, x.category, x.label
           FROM jsonb_to_recordset($5::jsonb) AS x("fromId" text, "toId" text, "typeId" int, category text, label text)
       ), removed AS (
         DELETE FROM hubspot.associations a
          WHERE a.organization_uid = $1 AND a.from_type = $2 AND a.to_type = $3 AND a.from_id = ANY($4::text[])
            AND NOT EXISTS (SELECT 1 FROM input i WHERE i.from_id = a.from_id AND i.to_id = a.to_id AND i.type_id = a.type_id)
         RETURNING a.from_id, a.to_id
       ), upserted AS (
         INSERT INTO hubspot.associations (organization_uid, from_type, to_type, from_id, to_id, type_id, category, label, sweep_id)
         SELECT $1, $2, $3, i.from_id, i.to_id, i.type_id, i.category, i.label, $6 FROM input i ORDER BY i.from_id, i.to_id, i.type_id
         ON CONFLICT (organization_uid, from_type, to_type, from_id, to_id, type_id) DO UPDATE SET
           category = excluded.category, label = excluded.label, sweep_id = excluded.sweep_id, updated_at = now()
         RETURNING from_id, to_id, (xmax = 0) AS inserted
       )
       SELECT 'removed' AS change, from_id, to_id FROM removed
       UNION ALL
       SELECT 'added', from_id, to_id FROM upserted WHERE inserted`,
      [organizationUid, pair.fromType, pair.toType, ids, jsonParam(associations), sweepId],
    );
  }

  /**
   * End of a sweep: recorded (so late batches of older sweeps are recognised as stale). With
   * `deleteUnseen`, rows of the pair not written by this sweep are deleted (mark and sweep in the
   * mapper) — only right for a producer that re-sends every set each sweep. The fetcher's sweep sends
   * changed sets only (fingerprints) and hands on an emptied set for every from-object gone, so it
   * does the marking itself and the mapper must not delete what it was not told about.
   */
  async completeSweep(sql: Sql, organizationUid: string, pair: AssociationPair, sweepId: string, deleteUnseen: boolean): Promise<AssociationChange[]> {
    await sql.query(
      `INSERT INTO hubspot.association_sweeps (organization_uid, from_type, to_type, sweep_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [organizationUid, pair.fromType, pair.toType, sweepId],
    );
    if (!deleteUnseen) return [];
    return sql.query<AssociationChange>(
      `DELETE FROM hubspot.associations WHERE organization_uid = $1 AND from_type = $2 AND to_type = $3 AND sweep_id <> $4
       RETURNING 'removed' AS change, from_id, to_id`,
      [organizationUid, pair.fromType, pair.toType, sweepId],
    );
  }
}
