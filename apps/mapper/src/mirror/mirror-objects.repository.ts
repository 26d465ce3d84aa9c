import { Injectable } from '@nestjs/common';
import { Sql } from '../database/mapper-database';
import { jsonParam } from '../database/json-param';

export interface MirrorWrite {
  id: string;
  properties: Record<string, string | null>;
  history: Record<string, unknown> | null;
  created_at: string | null;
  updated_at: string;
  archived: boolean;
  archived_at: string | null;
}

export interface MirrorRow {
  id: string;
  properties: Record<string, string | null>;
  properties_with_history: Record<string, { value: string | null; timestamp: string }[]> | null;
  created_at: Date | null;
  updated_at: Date;
  archived: boolean;
}

/** `hubspot.objects`: one row per (org, object type, id), properties as jsonb. */
@Injectable()
export class MirrorObjectsRepository {
  /**
   * One statement for the whole batch. Last-modified-wins: a row is only overwritten by a version at
   * least as new (an equal one only when it adds something), so batches in any order, or twice, leave
   * the same rows. Archiving wins over an equally old or older live version (the archived listing may
   * not bump updatedAt). Properties merge, so a fetch of fewer properties never erases the others.
   * Returns the ids whose row changed.
   */
  async upsert(sql: Sql, organizationUid: string, portalId: string, objectType: string, rows: MirrorWrite[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const changed = await sql.query<{ id: string }>(
      `INSERT INTO hubspot.objects AS o (organization_uid, object_type, id, portal_id, properties, properties_with_history, created_at, updated_at, archived, archived_at)
       SELECT $1::uuid, $2, r.id, $3, r.properties, r.history, r.created_at, r.updated_at, r.archived, r.archived_at
         FROM jsonb_to_recordset($4::jsonb) AS r(id text, properties jsonb, history jsonb, created_at timestamptz, updated_at timestamptz, archived boolean, archived_at timestamptz)
        ORDER BY r.id
       ON CONFLICT (organization_uid, object_type, id) DO UPDATE SET
         portal_id = excluded.portal_id,
         properties = o.properties || excluded.properties,
         properties_with_history = CASE WHEN excluded.properties_with_history IS NULL THEN o.properties_with_history
                                        ELSE COALESCE(o.properties_with_history, '{}'::jsonb) || excluded.properties_with_history END,
         created_at = COALESCE(excluded.created_at, o.created_at),
         updated_at = GREATEST(excluded.updated_at, o.updated_at),
         archived = excluded.archived,
         archived_at = excluded.archived_at,
         synced_at = now()
       WHERE excluded.updated_at > o.updated_at
          OR (excluded.updated_at = o.updated_at AND (
                (o.properties || excluded.properties) IS DISTINCT FROM o.properties
                OR (excluded.properties_with_history IS NOT NULL
                    AND (COALESCE(o.properties_with_history, '{}'::jsonb) || excluded.properties_with_history) IS DISTINCT FROM o.properties_with_history)))
          OR (excluded.archived AND NOT o.archived AND COALESCE(excluded.archived_at, excluded.updated_at) >= o.updated_at)
       RETURNING o.id`,
      [organizationUid, objectType, portalId, jsonParam(rows)],
    );
    return changed.map((r) => r.id);
  }

  async load(sql: Sql, organizationUid: string, objectType: string, ids: string[]): Promise<MirrorRow[]> {
    if (ids.length === 0) return [];
    return sql.query<MirrorRow>(
      `SELECT id, properties, properties_with_history, created_at, updated_at, archived
         FROM hubspot.objects WHERE organization_uid = $1 AND object_type = $2 AND id = ANY($3::text[]) ORDER BY id`,
      [organizationUid, objectType, ids],
    );
  }

  /** Ids of one object type in pages (re-mapping from the mirror without refetching). */
  async idsAfter(sql: Sql, organizationUid: string, objectType: string, afterId: string | null, limit: number): Promise<string[]> {
    const rows = await sql.query<{ id: string }>(
      `SELECT id FROM hubspot.objects WHERE organization_uid = $1 AND object_type = $2 AND ($3::text IS NULL OR id > $3) ORDER BY id LIMIT $4`,
      [organizationUid, objectType, afterId, limit],
    );
    return rows.map((r) => r.id);
  }
}
