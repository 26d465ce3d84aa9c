import { Pool } from 'pg';
import { SandboxAdminClient } from '@hubsync/testing';

/**
 * Exact reconciliation of one organization's mirror against the sandbox's ground truth, per object
 * type (ids, last-modified, archived) and per association type pair, and of the mapped Stanna model
 * against the mirror. Definitions (each must be 0):
 * - missed: live in HubSpot, absent from the mirror (or an association HubSpot has that the mirror lacks;
 *   a live mirror record neither mapped nor skipped with a reason);
 * - duplicated: one HubSpot record present twice (a merged-away record still live beside its primary,
 *   or the same id stored under two spellings of its object type);
 * - stale: present in both, but the mirror's last-modified or archived state differs from HubSpot's;
 * - extra: live in the mirror, unknown to HubSpot (or an association between two live records that
 *   HubSpot does not have; a mapped row whose record is not live in the mirror).
 */
export interface Counts {
  missed: number;
  duplicated: number;
  stale: number;
  extra: number;
}

export interface ObjectReconciliation extends Counts {
  objectType: string;
  truthLive: number;
  truthArchived: number;
  mirrorLive: number;
  mirrorArchived: number;
  examples: Partial<Record<keyof Counts, string[]>>;
}

export interface AssociationReconciliation {
  fromType: string;
  toType: string;
  truth: number;
  mirror: number;
  missed: number;
  extra: number;
  /** Mirror associations touching a record HubSpot has archived (reported, not counted as extra). */
  toArchived: number;
  examples: { missed?: string[]; extra?: string[] };
}

export interface MappedReconciliation {
  entity: string;
  objectTypes: string[];
  mirrorLive: number;
  mapped: number;
  skipped: number;
  missed: number;
  extra: number;
  examples: { missed?: string[]; extra?: string[] };
}

export interface Reconciliation {
  objects: ObjectReconciliation[];
  associations: AssociationReconciliation[];
  mapped: MappedReconciliation[];
  totals: Counts;
}

export interface ReconcileInput {
  db: Pool;
  admin: SandboxAdminClient;
  portalId: number;
  organizationUid: string;
  /** Object types kept in sync (stream names). */
  objectTypes: string[];
  /** Ids merged away (per object type name) by the run: live in the mirror = duplicated, not stale. */
  mergedAway?: Record<string, Set<string>>;
}

const EXAMPLES = 5;

/** The Stanna entities and the mirror types they map (apps/mapper/src/stanna). */
const STANNA: Array<{ entity: string; table: string; idColumn: string; objectTypes: string[]; typeColumn?: string }> = [
  { entity: 'stanna.clients', table: 'stanna.clients', idColumn: 'company_id', objectTypes: ['companies'] },
  { entity: 'stanna.stakeholders', table: 'stanna.stakeholders', idColumn: 'contact_id', objectTypes: ['contacts'] },
  { entity: 'stanna.deals', table: 'stanna.deals', idColumn: 'deal_id', objectTypes: ['deals'] },
  { entity: 'stanna.activities', table: 'stanna.activities', idColumn: 'activity_id', typeColumn: 'activity_type', objectTypes: ['calls', 'emails', 'meetings', 'notes', 'tasks'] },
];

export async function reconcile(input: ReconcileInput): Promise<Reconciliation> {
  const { db, admin, portalId, organizationUid } = input;
  const spellings = await mirrorSpellings(db, admin, portalId, organizationUid, input.objectTypes);
  const liveTruth = new Map<string, Set<string>>();
  const objects: ObjectReconciliation[] = [];

  for (const type of input.objectTypes) {
    const truth = await admin.truth(portalId, type, { records: true });
    liveTruth.set(type, new Set((truth.records ?? []).filter((r) => !r.archived).map((r) => r.id)));
    const rows = await db.query<{ object_type: string; id: string; updated_ms: string; archived: boolean }>(
      `SELECT object_type, id, (extract(epoch FROM updated_at) * 1000)::bigint AS updated_ms, archived
         FROM hubspot.objects WHERE organization_uid = $1 AND object_type = ANY($2::text[])`,
      [organizationUid, spellings.get(type)],
    );
    objects.push(
      classifyObjects(
        type,
        truth.records ?? [],
        rows.rows.map((r) => ({ objectType: r.object_type, id: r.id, updatedMs: Number(r.updated_ms), archived: r.archived })),
        input.mergedAway?.[type] ?? new Set<string>(),
      ),
    );
  }

  const associations = await reconcileAssociations(input, spellings, liveTruth);
  const mapped = await reconcileMapped(db, organizationUid, spellings, input.objectTypes);
  const totals: Counts = { missed: 0, duplicated: 0, stale: 0, extra: 0 };
  for (const o of objects) for (const k of ['missed', 'duplicated', 'stale', 'extra'] as const) totals[k] += o[k];
  for (const a of associations) {
    totals.missed += a.missed;
    totals.extra += a.extra;
  }
  for (const m of mapped) {
    totals.missed += m.missed;
    totals.extra += m.extra;
  }
  return { objects, associations, mapped, totals };
}

export interface TruthRecord {
  id: string;
  updatedAt: string;
  updatedAtMs: number;
  archived: boolean;
}

export interface MirrorRecord {
  objectType: string;
  id: string;
  updatedMs: number;
  archived: boolean;
}

/** Compares one type's mirror rows with HubSpot's records (see the definitions at the top). */
export function classifyObjects(objectType: string, truth: TruthRecord[], rows: MirrorRecord[], mergedAway: Set<string>): ObjectReconciliation {
  const truthById = new Map(truth.map((r) => [r.id, r]));
  const mirror = new Map<string, MirrorRecord>();
  const seen = new Map<string, number>();
  for (const r of rows) {
    seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
    mirror.set(r.id, r);
  }
  const out: ObjectReconciliation = {
    objectType,
    truthLive: truth.filter((r) => !r.archived).length,
    truthArchived: truth.filter((r) => r.archived).length,
    mirrorLive: rows.filter((r) => !r.archived).length,
    mirrorArchived: rows.filter((r) => r.archived).length,
    missed: 0,
    duplicated: 0,
    stale: 0,
    extra: 0,
    examples: {},
  };
  const note = (kind: keyof Counts, text: string) => {
    out[kind]++;
    const list = (out.examples[kind] ??= []);
    if (list.length < EXAMPLES) list.push(text);
  };
  for (const [id, times] of seen) if (times > 1) note('duplicated', `${id} stored under ${times} type names`);
  for (const [id, t] of truthById) {
    const m = mirror.get(id);
    if (!t.archived) {
      if (!m) note('missed', id);
      else if (m.archived) note('stale', `${id} archived in the mirror, live in HubSpot`);
      else if (m.updatedMs !== t.updatedAtMs) note('stale', `${id} mirror ${new Date(m.updatedMs).toISOString()} vs HubSpot ${t.updatedAt}`);
    } else if (m && !m.archived) {
      if (mergedAway.has(id)) note('duplicated', `${id} merged away in HubSpot, still live in the mirror`);
      else note('stale', `${id} archived in HubSpot, live in the mirror`);
    }
  }
  for (const [id, m] of mirror) if (!m.archived && !truthById.has(id)) note('extra', id);
  return out;
}

/** Compares one unordered type pair's associations (as `fromId:toId`); pairs touching archived records are only counted. */
export function classifyAssociations(fromType: string, toType: string, truthPairs: Set<string>, mirrorPairs: Set<string>, liveFrom: Set<string>, liveTo: Set<string>): AssociationReconciliation {
  const r: AssociationReconciliation = { fromType, toType, truth: truthPairs.size, mirror: mirrorPairs.size, missed: 0, extra: 0, toArchived: 0, examples: {} };
  for (const p of truthPairs) {
    if (mirrorPairs.has(p)) continue;
    r.missed++;
    if ((r.examples.missed ??= []).length < EXAMPLES) r.examples.missed.push(p);
  }
  for (const p of mirrorPairs) {
    if (truthPairs.has(p)) continue;
    const [a, b] = p.split(':');
    if (!liveFrom.has(a) || !liveTo.has(b)) r.toArchived++;
    else {
      r.extra++;
      if ((r.examples.extra ??= []).length < EXAMPLES) r.examples.extra.push(p);
    }
  }
  return r;
}

/** A mapped entity against the mirror: every live record mapped or skipped with a reason, nothing else mapped. */
export function classifyMapped(entity: string, objectTypes: string[], liveIds: Set<string>, mappedIds: Set<string>, skippedIds: Set<string>): MappedReconciliation {
  const r: MappedReconciliation = { entity, objectTypes, mirrorLive: liveIds.size, mapped: mappedIds.size, skipped: skippedIds.size, missed: 0, extra: 0, examples: {} };
  for (const id of liveIds) {
    if (mappedIds.has(id) || skippedIds.has(id)) continue;
    r.missed++;
    if ((r.examples.missed ??= []).length < EXAMPLES) r.examples.missed.push(id);
  }
  for (const id of mappedIds) {
    if (liveIds.has(id)) continue;
    r.extra++;
    if ((r.examples.extra ??= []).length < EXAMPLES) r.examples.extra.push(id);
  }
  return r;
}

/** The object_type values the mirror may use for a type (name, fully qualified name, type id). */
async function mirrorSpellings(db: Pool, admin: SandboxAdminClient, portalId: number, organizationUid: string, types: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const present = new Set((await db.query<{ object_type: string }>(`SELECT DISTINCT object_type FROM hubspot.objects WHERE organization_uid = $1`, [organizationUid])).rows.map((r) => r.object_type));
  for (const type of types) {
    const truth = await admin.truth(portalId, type, { records: false });
    const names = [...new Set([type, truth.objectType, truth.objectTypeId])];
    const portal = await admin.portal(portalId);
    const custom = portal.customObjects.find((c) => c.objectTypeId === truth.objectTypeId);
    if (custom) names.push(custom.fullyQualifiedName);
    out.set(type, names.filter((n) => present.has(n) || n === type));
  }
  return out;
}

async function reconcileAssociations(input: ReconcileInput, spellings: Map<string, string[]>, liveTruth: Map<string, Set<string>>): Promise<AssociationReconciliation[]> {
  const { db, admin, portalId, organizationUid, objectTypes } = input;
  const out: AssociationReconciliation[] = [];
  for (let i = 0; i < objectTypes.length; i++) {
    for (let j = i + 1; j < objectTypes.length; j++) {
      const [x, y] = [objectTypes[i], objectTypes[j]];
      const truth = await admin.associationsTruth(portalId, x, y, { pairs: true });
      const rows = await db.query<{ a: string; b: string; forward: boolean }>(
        `SELECT from_id AS a, to_id AS b, true AS forward FROM hubspot.associations WHERE organization_uid = $1 AND from_type = ANY($2::text[]) AND to_type = ANY($3::text[])
         UNION ALL
         SELECT to_id AS a, from_id AS b, false AS forward FROM hubspot.associations WHERE organization_uid = $1 AND from_type = ANY($3::text[]) AND to_type = ANY($2::text[])`,
        [organizationUid, spellings.get(x), spellings.get(y)],
      );
      if (truth.count === 0 && rows.rows.length === 0) continue;
      const truthPairs = new Set((truth.pairs ?? []).map((p) => `${p.fromId}:${p.toId}`));
      const mirrorPairs = new Set(rows.rows.map((r) => `${r.a}:${r.b}`));
      out.push(classifyAssociations(x, y, truthPairs, mirrorPairs, liveTruth.get(x) ?? new Set(), liveTruth.get(y) ?? new Set()));
    }
  }
  return out;
}

async function reconcileMapped(db: Pool, organizationUid: string, spellings: Map<string, string[]>, synced: string[]): Promise<MappedReconciliation[]> {
  const out: MappedReconciliation[] = [];
  for (const model of STANNA) {
    const types = model.objectTypes.filter((t) => synced.includes(t));
    if (types.length === 0) continue;
    const names = types.flatMap((t) => spellings.get(t) ?? [t]);
    const live = await db.query<{ id: string }>(`SELECT DISTINCT id FROM hubspot.objects WHERE organization_uid = $1 AND object_type = ANY($2::text[]) AND NOT archived`, [organizationUid, names]);
    const mapped = await db.query<{ id: string }>(`SELECT ${model.idColumn} AS id FROM ${model.table} WHERE organization_uid = $1`, [organizationUid]);
    const skipped = await db.query<{ id: string }>(`SELECT DISTINCT object_id AS id FROM sync.skipped_records WHERE organization_uid = $1 AND object_type = ANY($2::text[])`, [organizationUid, names]);
    out.push(classifyMapped(model.entity, types, new Set(live.rows.map((r) => r.id)), new Set(mapped.rows.map((r) => r.id)), new Set(skipped.rows.map((r) => r.id))));
  }
  return out;
}

export function isClean(r: Reconciliation): boolean {
  return r.totals.missed === 0 && r.totals.duplicated === 0 && r.totals.stale === 0 && r.totals.extra === 0;
}
