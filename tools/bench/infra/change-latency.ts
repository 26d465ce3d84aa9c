import { Pool } from 'pg';
import { SandboxAdminClient } from '@hubsync/testing';

/** Stanna tables holding the mapped form of each live-mode object type, and their id column. */
const MAPPED_TABLES: Record<string, { table: string; id: string }> = {
  companies: { table: 'stanna.clients', id: 'company_id' },
  contacts: { table: 'stanna.stakeholders', id: 'contact_id' },
  deals: { table: 'stanna.deals', id: 'deal_id' },
};

export interface ChangeLatencies {
  /** Records changed in the sandbox since `sinceMs` (their last change counts). */
  changed: number;
  /** ms from the change (the sandbox's updatedAt) to the mirror row holding it (hubspot.objects.synced_at). */
  mirror: number[];
  /** ms from the change to the mapped Stanna row holding it (mapped_at), where the record maps to one. */
  mapped: number[];
}

/**
 * Change → committed row latency per changed record, from the sandbox's ground truth (id and
 * updatedAt of every record) and the rows' own timestamps, so no polling granularity enters the
 * figure: synced_at/mapped_at are the writing transaction's start (now()), a few ms before commit.
 * Sandbox and PostgreSQL run on this machine: one clock.
 */
export async function changeLatencies(db: Pool, admin: SandboxAdminClient, portalId: number, organizationUid: string, objectTypes: string[], sinceMs: number): Promise<ChangeLatencies> {
  const out: ChangeLatencies = { changed: 0, mirror: [], mapped: [] };
  for (const type of objectTypes) {
    const truth = await admin.truth(portalId, type, { records: true });
    const changed = (truth.records ?? []).filter((r) => !r.archived && r.updatedAtMs >= sinceMs);
    out.changed += changed.length;
    if (changed.length === 0) continue;
    const ids = changed.map((r) => r.id);
    const rows = await db.query<{ id: string; u: string; s: string }>(
      `SELECT id, extract(epoch FROM updated_at) * 1000 AS u, extract(epoch FROM synced_at) * 1000 AS s
         FROM hubspot.objects WHERE organization_uid = $1 AND object_type IN ($2, $3) AND id = ANY($4)`,
      [organizationUid, type, truth.objectTypeId, ids],
    );
    const mirror = new Map(rows.rows.map((r) => [r.id, { u: Number(r.u), s: Number(r.s) }]));
    const mappedTable = MAPPED_TABLES[type];
    const mapped = new Map<string, { u: number; s: number }>();
    if (mappedTable) {
      const m = await db.query<{ id: string; u: string | null; s: string }>(
        `SELECT ${mappedTable.id} AS id, extract(epoch FROM hubspot_updated_at) * 1000 AS u, extract(epoch FROM mapped_at) * 1000 AS s
           FROM ${mappedTable.table} WHERE organization_uid = $1 AND ${mappedTable.id} = ANY($2)`,
        [organizationUid, ids],
      );
      for (const r of m.rows) if (r.u !== null) mapped.set(r.id, { u: Number(r.u), s: Number(r.s) });
    }
    for (const r of changed) {
      const row = mirror.get(r.id);
      // The row must hold this change (its updated_at at least the change's), else it is not synced yet.
      if (row && row.u >= r.updatedAtMs) out.mirror.push(row.s - r.updatedAtMs);
      const m = mapped.get(r.id);
      if (m && m.u >= r.updatedAtMs) out.mapped.push(m.s - r.updatedAtMs);
    }
  }
  return out;
}
