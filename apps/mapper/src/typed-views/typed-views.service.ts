import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  associationViewBaseName,
  baseViewName,
  createAssociationViewSql,
  createObjectViewSql,
  dropViewSql,
  planObjectViews,
  quoteIdent,
  allocateIdentifier,
} from '@hubsync/domain';
import { MapperDatabase, Sql } from '../database/mapper-database';
import { jsonParam } from '../database/json-param';
import { DestinationRepository } from './destination.repository';

export const TYPED_VIEW_OPTIONS = Symbol('TYPED_VIEW_OPTIONS');

export interface TypedViewOptions {
  /** Property columns per view before an object is split into numbered views (PostgreSQL: 1,600 columns). */
  maxPropertiesPerView: number;
}

interface RegisteredView {
  view_name: string;
  kind: 'object' | 'association';
  object_type: string;
}

/**
 * Typed views per org in its destination schema (issue 6 §2): one view per object type with a column
 * per property in the SQL type its HubSpot type implies, split into numbered views when wide, a name
 * map (`hubspot.view_columns`), and `associations_<a>_<b>` views. DDL runs under a per-org advisory
 * lock so concurrent regenerations never interleave.
 */
@Injectable()
export class TypedViewsService {
  private readonly logger = new Logger(TypedViewsService.name);
  /** Association views known to exist, per org and pair (saves a query per association batch). */
  private readonly knownAssociationViews = new Set<string>();

  constructor(
    private readonly db: MapperDatabase,
    private readonly destinations: DestinationRepository,
    @Inject(TYPED_VIEW_OPTIONS) private readonly options: TypedViewOptions,
  ) {}

  /** Regenerates one object type's views (after its schema changed). */
  async regenerateObject(organizationUid: string, objectType: string): Promise<void> {
    await this.db.transaction(async (sql) => {
      const schema = await this.lockAndResolve(sql, organizationUid);
      if (schema.moved) await this.rebuildAll(sql, organizationUid, schema.name);
      else await this.buildObject(sql, organizationUid, schema.name, objectType);
    });
  }

  /** Regenerates every view of the org (destination changed, or on request). */
  async regenerateAll(organizationUid: string): Promise<void> {
    await this.db.transaction(async (sql) => {
      const schema = await this.lockAndResolve(sql, organizationUid);
      await this.rebuildAll(sql, organizationUid, schema.name);
    });
  }

  async ensureAssociationView(organizationUid: string, fromType: string, toType: string): Promise<void> {
    const key = `${organizationUid}|${fromType}|${toType}`;
    if (this.knownAssociationViews.has(key)) return;
    await this.db.transaction(async (sql) => {
      const schema = await this.lockAndResolve(sql, organizationUid);
      if (schema.moved) await this.rebuildAll(sql, organizationUid, schema.name);
      else await this.buildAssociation(sql, organizationUid, schema.name, fromType, toType, false);
    });
    this.knownAssociationViews.add(key);
  }

  private async lockAndResolve(sql: Sql, organizationUid: string): Promise<{ name: string; moved: boolean }> {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 727276))`, [`typed-views:${organizationUid}`]);
    const dest = await this.destinations.resolve(sql, organizationUid);
    await sql.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(dest.schema)}`);
    if (dest.previous) {
      // The destination moved: the old schema's views go, everything is rebuilt in the new one.
      const old = await this.registered(sql, organizationUid, dest.previous);
      for (const v of old) await sql.query(dropViewSql(dest.previous, v.view_name));
      await sql.query(`DELETE FROM hubspot.views WHERE organization_uid = $1 AND view_schema = $2`, [organizationUid, dest.previous]);
      this.forgetAssociations(organizationUid);
    }
    return { name: dest.schema, moved: dest.previous !== null };
  }

  private async rebuildAll(sql: Sql, organizationUid: string, schema: string): Promise<void> {
    const types = await sql.query<{ object_type: string }>(`SELECT object_type FROM hubspot.object_schemas WHERE organization_uid = $1 ORDER BY object_type`, [organizationUid]);
    for (const t of types) await this.buildObject(sql, organizationUid, schema, t.object_type);
    const pairs = await sql.query<{ from_type: string; to_type: string }>(
      `SELECT DISTINCT from_type, to_type FROM hubspot.associations WHERE organization_uid = $1 ORDER BY 1, 2`,
      [organizationUid],
    );
    for (const p of pairs) await this.buildAssociation(sql, organizationUid, schema, p.from_type, p.to_type, true);
  }

  private async buildObject(sql: Sql, organizationUid: string, schema: string, objectType: string): Promise<void> {
    const [meta] = await sql.query<{ fully_qualified_name: string | null }>(
      `SELECT fully_qualified_name FROM hubspot.object_schemas WHERE organization_uid = $1 AND object_type = $2`,
      [organizationUid, objectType],
    );
    const properties = await sql.query<{ name: string; type: string; archived: boolean }>(
      `SELECT name, type, archived FROM hubspot.properties WHERE organization_uid = $1 AND object_type = $2`,
      [organizationUid, objectType],
    );
    const registered = await this.registered(sql, organizationUid, schema);
    for (const v of registered.filter((r) => r.kind === 'object' && r.object_type === objectType)) await sql.query(dropViewSql(schema, v.view_name));
    const taken = new Set([
      ...registered.filter((r) => !(r.kind === 'object' && r.object_type === objectType)).map((r) => r.view_name),
      ...(await this.foreignRelations(sql, schema, registered)),
    ]);
    const plan = planObjectViews({
      objectType,
      baseName: baseViewName(objectType, meta?.fully_qualified_name),
      properties,
      takenViewNames: taken,
      maxPropertiesPerView: this.options.maxPropertiesPerView,
    });
    for (const view of plan.views) await sql.query(createObjectViewSql(schema, view, organizationUid, objectType));
    // (Separate statements: rows deleted by a CTE still count for the INSERT's unique checks.)
    await sql.query(`DELETE FROM hubspot.views WHERE organization_uid = $1 AND view_schema = $2 AND kind = 'object' AND object_type = $3`, [organizationUid, schema, objectType]);
    await sql.query(
      `INSERT INTO hubspot.views (organization_uid, view_schema, view_name, kind, object_type, part)
       SELECT $1, $2, x.name, 'object', $3, x.part FROM jsonb_to_recordset($4::jsonb) AS x(name text, part int)`,
      [organizationUid, schema, objectType, jsonParam(plan.views.map((v) => ({ name: v.name, part: v.part })))],
    );
    await sql.query(`DELETE FROM hubspot.view_columns WHERE organization_uid = $1 AND object_type = $2`, [organizationUid, objectType]);
    await sql.query(
      `INSERT INTO hubspot.view_columns (organization_uid, object_type, property, view_schema, view_name, column_name, sql_type)
       SELECT $1, $3, x.property, $2, x.view, x.column, x."sqlType" FROM jsonb_to_recordset($4::jsonb) AS x(property text, view text, "column" text, "sqlType" text)`,
      [organizationUid, schema, objectType, jsonParam(plan.nameMap)],
    );
    this.logger.log(`views of ${objectType} for ${organizationUid}: ${plan.views.map((v) => `${schema}.${v.name}`).join(', ')} (${plan.nameMap.length} columns)`);
  }

  private async buildAssociation(sql: Sql, organizationUid: string, schema: string, fromType: string, toType: string, replace: boolean): Promise<void> {
    const key = `${fromType}:${toType}`;
    const registered = await this.registered(sql, organizationUid, schema);
    const existing = registered.find((r) => r.kind === 'association' && r.object_type === key);
    if (existing && !replace) return;
    if (existing) await sql.query(dropViewSql(schema, existing.view_name));
    const taken = new Set([...registered.filter((r) => r !== existing).map((r) => r.view_name), ...(await this.foreignRelations(sql, schema, registered))]);
    const name = allocateIdentifier(associationViewBaseName(fromType, toType), taken);
    await sql.query(createAssociationViewSql(schema, name, organizationUid, fromType, toType));
    await sql.query(
      `INSERT INTO hubspot.views (organization_uid, view_schema, view_name, kind, object_type, part) VALUES ($1, $2, $3, 'association', $4, 1)
       ON CONFLICT (organization_uid, view_schema, view_name) DO UPDATE SET kind = 'association', object_type = excluded.object_type`,
      [organizationUid, schema, name, key],
    );
    if (existing && existing.view_name !== name) {
      await sql.query(`DELETE FROM hubspot.views WHERE organization_uid = $1 AND view_schema = $2 AND view_name = $3`, [organizationUid, schema, existing.view_name]);
    }
  }

  private registered(sql: Sql, organizationUid: string, schema: string): Promise<RegisteredView[]> {
    return sql.query<RegisteredView>(`SELECT view_name, kind, object_type FROM hubspot.views WHERE organization_uid = $1 AND view_schema = $2`, [organizationUid, schema]);
  }

  /** Tables, views… in the destination schema that are not ours: their names are never reused. */
  private async foreignRelations(sql: Sql, schema: string, ours: RegisteredView[]): Promise<string[]> {
    const rows = await sql.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r','v','m','p','f','S')`,
      [schema],
    );
    const own = new Set(ours.map((o) => o.view_name));
    return rows.map((r) => r.relname).filter((n) => !own.has(n));
  }

  private forgetAssociations(organizationUid: string): void {
    for (const k of this.knownAssociationViews) if (k.startsWith(`${organizationUid}|`)) this.knownAssociationViews.delete(k);
  }
}
