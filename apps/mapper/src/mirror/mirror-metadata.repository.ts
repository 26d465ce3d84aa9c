import { Injectable } from '@nestjs/common';
import { HubspotOwnersV1, HubspotPipelinesV1, HubspotSchemaV1 } from '@hubsync/contracts';
import { createHash } from 'node:crypto';
import { Sql } from '../database/mapper-database';
import { jsonParam } from '../database/json-param';

/** Property metadata, pipelines and stages, owners: the mirror's reference data. */
@Injectable()
export class MirrorMetadataRepository {
  /** name → HubSpot type of one object type's properties (used to coerce glitched values). */
  async propertyTypes(sql: Sql, organizationUid: string, objectType: string): Promise<Map<string, string>> {
    const rows = await sql.query<{ name: string; type: string }>(
      `SELECT name, type FROM hubspot.properties WHERE organization_uid = $1 AND object_type = $2`,
      [organizationUid, objectType],
    );
    return new Map(rows.map((r) => [r.name, r.type]));
  }

  /**
   * Stores an introspected schema. Returns true when the property list (names, types, archived) or
   * the object's naming changed, i.e. when its typed views must be regenerated. An introspection older
   * than the stored one is ignored.
   */
  async saveSchema(sql: Sql, s: HubspotSchemaV1): Promise<boolean> {
    const fingerprint = createHash('sha1')
      .update(JSON.stringify([s.fullyQualifiedName ?? null, [...s.properties].map((p) => [p.name, p.type, !!p.archived]).sort()]))
      .digest('hex');
    const stored = await sql.query<{ written: number; old_fingerprint: string | null }>(
      `WITH old AS (
         SELECT property_fingerprint FROM hubspot.object_schemas WHERE organization_uid = $1 AND object_type = $2
       ), up AS (
         INSERT INTO hubspot.object_schemas AS s (organization_uid, object_type, object_type_id, fully_qualified_name, is_custom, property_fingerprint, introspected_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (organization_uid, object_type) DO UPDATE SET
           object_type_id = excluded.object_type_id, fully_qualified_name = excluded.fully_qualified_name, is_custom = excluded.is_custom,
           property_fingerprint = excluded.property_fingerprint, introspected_at = excluded.introspected_at
         WHERE excluded.introspected_at >= s.introspected_at
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM up)::int AS written, (SELECT property_fingerprint FROM old) AS old_fingerprint`,
      [s.organizationUid, s.objectType, s.objectTypeId, s.fullyQualifiedName ?? null, s.isCustom, fingerprint, s.introspectedAt],
    );
    if (stored[0].written === 0) return false; // an older introspection
    // Properties: upsert the introspected ones, mark the vanished ones archived.
    await sql.query(
      `WITH input AS (
         SELECT DISTINCT ON (p.name) p.* FROM jsonb_to_recordset($3::jsonb) AS p(name text, label text, type text, "fieldType" text, "groupName" text,
           "hubspotDefined" boolean, calculated boolean, "hasUniqueValue" boolean, options jsonb, archived boolean)
       ), gone AS (
         UPDATE hubspot.properties SET archived = true, introspected_at = $4
          WHERE organization_uid = $1 AND object_type = $2 AND NOT archived AND name NOT IN (SELECT name FROM input)
       )
       INSERT INTO hubspot.properties (organization_uid, object_type, name, label, type, field_type, group_name, hubspot_defined, calculated, has_unique_value, options, archived, introspected_at)
       SELECT $1, $2, i.name, i.label, COALESCE(i.type, 'string'), i."fieldType", i."groupName", i."hubspotDefined", i.calculated, i."hasUniqueValue", i.options, COALESCE(i.archived, false), $4
         FROM input i ORDER BY i.name
       ON CONFLICT (organization_uid, object_type, name) DO UPDATE SET
         label = excluded.label, type = excluded.type, field_type = excluded.field_type, group_name = excluded.group_name,
         hubspot_defined = excluded.hubspot_defined, calculated = excluded.calculated, has_unique_value = excluded.has_unique_value,
         options = excluded.options, archived = excluded.archived, introspected_at = excluded.introspected_at`,
      [
        s.organizationUid,
        s.objectType,
        jsonParam(
          s.properties.map((p) => ({
            name: p.name,
            label: text(p.label),
            type: text(p.type) ?? 'string',
            fieldType: text(p.fieldType),
            groupName: text(p.groupName),
            hubspotDefined: bool(p.hubspotDefined),
            calculated: bool(p.calculated),
            hasUniqueValue: bool(p.hasUniqueValue),
            options: Array.isArray(p.options) ? p.options : null,
            archived: p.archived === true,
          })),
        ),
        s.introspectedAt,
      ],
    );
    return stored[0].old_fingerprint !== fingerprint;
  }

  /**
   * A pipelines snapshot; pipelines or stages missing from it are marked archived. Older snapshots are
   * ignored. Returns whether the live pipelines or stages changed (labels, order, probabilities…).
   */
  async savePipelines(sql: Sql, p: HubspotPipelinesV1): Promise<'older' | 'unchanged' | 'changed'> {
    const [current] = await sql.query<{ newer: boolean; live: unknown }>(
      `SELECT EXISTS (SELECT 1 FROM hubspot.pipelines WHERE organization_uid = $1 AND object_type = $2 AND fetched_at > $3) AS newer,
              (SELECT jsonb_agg(jsonb_build_array(s.pipeline_id, pl.label, pl.display_order, s.stage_id, s.label, s.display_order, s.probability::float8, s.is_closed)
                                ORDER BY s.pipeline_id, s.stage_id)
                 FROM hubspot.pipeline_stages s JOIN hubspot.pipelines pl
                   ON pl.organization_uid = s.organization_uid AND pl.object_type = s.object_type AND pl.pipeline_id = s.pipeline_id
                WHERE s.organization_uid = $1 AND s.object_type = $2 AND NOT s.archived AND NOT pl.archived) AS live`,
      [p.organizationUid, p.objectType, p.fetchedAt],
    );
    if (current.newer) return 'older';
    const stages = p.pipelines.flatMap((pl) =>
      pl.stages.map((s) => ({
        pipeline_id: pl.id,
        stage_id: s.id,
        label: s.label,
        display_order: int(s.displayOrder),
        archived: s.archived === true,
        metadata: s.metadata && typeof s.metadata === 'object' && !Array.isArray(s.metadata) ? s.metadata : {},
        probability: parseProbability(s.metadata?.['probability']),
        is_closed: s.metadata?.['isClosed'] === undefined ? null : String(s.metadata['isClosed']) === 'true',
      })),
    );
    await sql.query(
      `WITH input AS (
         SELECT DISTINCT ON (x.id) x.* FROM jsonb_to_recordset($3::jsonb) AS x(id text, label text, "displayOrder" int, archived boolean)
       ), gone AS (
         UPDATE hubspot.pipelines SET archived = true, fetched_at = $4
          WHERE organization_uid = $1 AND object_type = $2 AND pipeline_id NOT IN (SELECT id FROM input)
       )
       INSERT INTO hubspot.pipelines (organization_uid, object_type, pipeline_id, label, display_order, archived, fetched_at)
       SELECT $1, $2, i.id, i.label, COALESCE(i."displayOrder", 0), COALESCE(i.archived, false), $4 FROM input i ORDER BY i.id
       ON CONFLICT (organization_uid, object_type, pipeline_id) DO UPDATE SET
         label = excluded.label, display_order = excluded.display_order, archived = excluded.archived, fetched_at = excluded.fetched_at`,
      [p.organizationUid, p.objectType, jsonParam(p.pipelines.map((pl) => ({ id: pl.id, label: pl.label, displayOrder: int(pl.displayOrder), archived: pl.archived === true }))), p.fetchedAt],
    );
    await sql.query(
      `WITH input AS (
         SELECT DISTINCT ON (x.pipeline_id, x.stage_id) x.* FROM jsonb_to_recordset($3::jsonb)
           AS x(pipeline_id text, stage_id text, label text, display_order int, archived boolean, metadata jsonb, probability numeric, is_closed boolean)
       ), gone AS (
         UPDATE hubspot.pipeline_stages s SET archived = true, fetched_at = $4
          WHERE s.organization_uid = $1 AND s.object_type = $2
            AND NOT EXISTS (SELECT 1 FROM input i WHERE i.pipeline_id = s.pipeline_id AND i.stage_id = s.stage_id)
       )
       INSERT INTO hubspot.pipeline_stages (organization_uid, object_type, pipeline_id, stage_id, label, display_order, archived, metadata, probability, is_closed, fetched_at)
       SELECT $1, $2, i.pipeline_id, i.stage_id, i.label, COALESCE(i.display_order, 0), COALESCE(i.archived, false), COALESCE(i.metadata, '{}'), i.probability, i.is_closed, $4
         FROM input i ORDER BY i.pipeline_id, i.stage_id
       ON CONFLICT (organization_uid, object_type, pipeline_id, stage_id) DO UPDATE SET
         label = excluded.label, display_order = excluded.display_order, archived = excluded.archived, metadata = excluded.metadata,
         probability = excluded.probability, is_closed = excluded.is_closed, fetched_at = excluded.fetched_at`,
      [p.organizationUid, p.objectType, jsonParam(stages), p.fetchedAt],
    );
    const incoming = p.pipelines
      .filter((pl) => !pl.archived)
      .flatMap((pl) =>
        pl.stages.filter((s) => !s.archived).map((s) => {
          const st = stages.find((x) => x.pipeline_id === pl.id && x.stage_id === s.id);
          return [pl.id, pl.label, int(pl.displayOrder), s.id, s.label, int(s.displayOrder), st?.probability ?? null, st?.is_closed ?? null];
        }),
      )
      .sort(byPipelineAndStage);
    const stored = ((current.live ?? []) as unknown[][]).sort(byPipelineAndStage);
    return JSON.stringify(incoming) === JSON.stringify(stored) ? 'unchanged' : 'changed';
  }

  /** Owners, last-modified-wins per owner (a snapshot may be split across messages, so none is deleted). */
  async saveOwners(sql: Sql, o: HubspotOwnersV1): Promise<string[]> {
    if (o.owners.length === 0) return [];
    const rows = await sql.query<{ id: string }>(
      `INSERT INTO hubspot.owners AS w (organization_uid, id, email, first_name, last_name, user_id, archived, created_at, updated_at, fetched_at)
       SELECT DISTINCT ON (x.id) $1::uuid, x.id, x.email, x."firstName", x."lastName", x."userId", COALESCE(x.archived, false), x."createdAt", x."updatedAt", $3::timestamptz
         FROM jsonb_to_recordset($2::jsonb) AS x(id text, email text, "firstName" text, "lastName" text, "userId" bigint, archived boolean, "createdAt" timestamptz, "updatedAt" timestamptz)
        ORDER BY x.id, x."updatedAt" DESC NULLS LAST
       ON CONFLICT (organization_uid, id) DO UPDATE SET
         email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name, user_id = excluded.user_id,
         archived = excluded.archived, created_at = excluded.created_at, updated_at = excluded.updated_at, fetched_at = excluded.fetched_at
       WHERE w.updated_at IS NULL OR excluded.updated_at IS NULL OR excluded.updated_at > w.updated_at
          OR (excluded.updated_at = w.updated_at AND excluded.archived IS DISTINCT FROM w.archived)
       RETURNING w.id`,
      [
        o.organizationUid,
        jsonParam(
          o.owners.map((w) => ({
            id: w.id,
            email: text(w.email),
            firstName: text(w.firstName),
            lastName: text(w.lastName),
            userId: Number.isSafeInteger(w.userId) ? w.userId : null,
            archived: w.archived === true,
            createdAt: timestamp(w.createdAt),
            updatedAt: timestamp(w.updatedAt),
          })),
        ),
        o.fetchedAt,
      ],
    );
    return rows.map((r) => r.id);
  }
}

// Message fields are typed by the contract but arrive as JSON: values of the wrong type become null
// here rather than failing the whole message in PostgreSQL's casts.
function text(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function bool(v: unknown): boolean | null {
  return typeof v === 'boolean' ? v : null;
}

function int(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? Math.max(-2147483648, Math.min(2147483647, Math.trunc(n))) : 0;
}

function timestamp(v: unknown): string | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const t = typeof v === 'number' ? v : Date.parse(v);
  return Number.isFinite(t) && t >= 0 && t <= 253402300799999 ? new Date(t).toISOString() : null;
}

function byPipelineAndStage(a: unknown[], b: unknown[]): number {
  const ka = `${String(a[0])}\u0000${String(a[3])}`;
  const kb = `${String(b[0])}\u0000${String(b[3])}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function parseProbability(v: unknown): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
