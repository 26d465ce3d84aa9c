import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The HubSpot mirror (issue 6 §1, DESIGN §6): objects as jsonb with last-modified-wins upserts,
 * associations with type id/label/category, pipelines and stages, owners, property metadata, and the
 * bookkeeping of each org's typed views (destination schema, views, property → column name map).
 * Also the `hubspot.as_*` cast functions the typed views use: they return NULL for a value that does
 * not parse (HubSpot occasionally sends an integer in a date field or a string in a number one —
 * Sequin, seeds/001), so a glitched value never breaks a query on a view.
 */
export class CreateHubspotMirror1763832000000 implements MigrationInterface {
  name = 'CreateHubspotMirror1763832000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS hubspot`);
    await q.query(`CREATE TABLE hubspot.objects (
      organization_uid uuid NOT NULL,
      object_type text NOT NULL,
      id text NOT NULL,
      portal_id text NOT NULL,
      properties jsonb NOT NULL DEFAULT '{}',
      properties_with_history jsonb,
      created_at timestamptz,
      updated_at timestamptz NOT NULL,
      archived boolean NOT NULL DEFAULT false,
      archived_at timestamptz,
      synced_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, object_type, id)
    )`);
    await q.query(`CREATE INDEX objects_org_type_updated ON hubspot.objects (organization_uid, object_type, updated_at)`);

    await q.query(`CREATE TABLE hubspot.associations (
      organization_uid uuid NOT NULL,
      from_type text NOT NULL,
      to_type text NOT NULL,
      from_id text NOT NULL,
      to_id text NOT NULL,
      type_id integer NOT NULL,
      category text NOT NULL,
      label text,
      sweep_id text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, from_type, to_type, from_id, to_id, type_id)
    )`);
    await q.query(`CREATE INDEX associations_reverse ON hubspot.associations (organization_uid, to_type, from_type, to_id)`);
    // Completed association sweeps per pair: a late batch of an older sweep must not resurrect rows.
    await q.query(`CREATE TABLE hubspot.association_sweeps (
      organization_uid uuid NOT NULL,
      from_type text NOT NULL,
      to_type text NOT NULL,
      sweep_id text NOT NULL,
      completed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (organization_uid, from_type, to_type, sweep_id)
    )`);

    await q.query(`CREATE TABLE hubspot.pipelines (
      organization_uid uuid NOT NULL,
      object_type text NOT NULL,
      pipeline_id text NOT NULL,
      label text NOT NULL,
      display_order integer NOT NULL DEFAULT 0,
      archived boolean NOT NULL DEFAULT false,
      fetched_at timestamptz NOT NULL,
      PRIMARY KEY (organization_uid, object_type, pipeline_id)
    )`);
    await q.query(`CREATE TABLE hubspot.pipeline_stages (
      organization_uid uuid NOT NULL,
      object_type text NOT NULL,
      pipeline_id text NOT NULL,
      stage_id text NOT NULL,
      label text NOT NULL,
      display_order integer NOT NULL DEFAULT 0,
      archived boolean NOT NULL DEFAULT false,
      metadata jsonb NOT NULL DEFAULT '{}',
      probability numeric,
      is_closed boolean,
      fetched_at timestamptz NOT NULL,
      PRIMARY KEY (organization_uid, object_type, pipeline_id, stage_id)
    )`);

    await q.query(`CREATE TABLE hubspot.owners (
      organization_uid uuid NOT NULL,
      id text NOT NULL,
      email text,
      first_name text,
      last_name text,
      user_id bigint,
      archived boolean NOT NULL DEFAULT false,
      created_at timestamptz,
      updated_at timestamptz,
      fetched_at timestamptz NOT NULL,
      PRIMARY KEY (organization_uid, id)
    )`);

    await q.query(`CREATE TABLE hubspot.object_schemas (
      organization_uid uuid NOT NULL,
      object_type text NOT NULL,
      object_type_id text NOT NULL,
      fully_qualified_name text,
      is_custom boolean NOT NULL DEFAULT false,
      property_fingerprint text NOT NULL,
      introspected_at timestamptz NOT NULL,
      PRIMARY KEY (organization_uid, object_type)
    )`);
    await q.query(`CREATE TABLE hubspot.properties (
      organization_uid uuid NOT NULL,
      object_type text NOT NULL,
      name text NOT NULL,
      label text,
      type text NOT NULL,
      field_type text,
      group_name text,
      hubspot_defined boolean,
      calculated boolean,
      has_unique_value boolean,
      options jsonb,
      archived boolean NOT NULL DEFAULT false,
      introspected_at timestamptz NOT NULL,
      PRIMARY KEY (organization_uid, object_type, name)
    )`);

    // Typed views (DESIGN §5 "Destination schemas").
    await q.query(`CREATE TABLE hubspot.destinations (
      organization_uid uuid PRIMARY KEY,
      schema_name text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE hubspot.views (
      organization_uid uuid NOT NULL,
      view_schema text NOT NULL,
      view_name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('object','association')),
      object_type text NOT NULL,
      part integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, view_schema, view_name)
    )`);
    await q.query(`CREATE TABLE hubspot.view_columns (
      organization_uid uuid NOT NULL,
      object_type text NOT NULL,
      property text NOT NULL,
      view_schema text NOT NULL,
      view_name text NOT NULL,
      column_name text NOT NULL,
      sql_type text NOT NULL,
      PRIMARY KEY (organization_uid, object_type, property)
    )`);

    const hasInputIsValid = Number((await q.query(`SELECT current_setting('server_version_num')::int AS v`))[0].v) >= 160000;
    for (const type of ['timestamptz', 'date']) {
      if (hasInputIsValid) {
        await q.query(`CREATE FUNCTION hubspot.is_valid_${type}(v text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT pg_input_is_valid(v, '${type}') $$`);
      } else {
        await q.query(`CREATE FUNCTION hubspot.is_valid_${type}(v text) RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
          BEGIN PERFORM v::${type}; RETURN true; EXCEPTION WHEN others THEN RETURN false; END $$`);
      }
    }
    await q.query(`CREATE FUNCTION hubspot.as_numeric(v text) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN v ~ '^\\s*[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,4})?\\s*$' THEN btrim(v)::numeric END $$`);
    // Epoch milliseconds (12–14 digits) or seconds (10 digits), else ISO-8601 only (never 'now' or 'today').
    await q.query(`CREATE FUNCTION hubspot.as_timestamptz(v text) RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
      SELECT CASE
        WHEN v ~ '^[0-9]{12,14}$' THEN to_timestamp(v::bigint / 1000.0)
        WHEN v ~ '^[0-9]{10}$' THEN to_timestamp(v::bigint)
        WHEN v ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' AND hubspot.is_valid_timestamptz(v) THEN v::timestamptz
      END $$`);
    await q.query(`CREATE FUNCTION hubspot.as_date(v text) RETURNS date LANGUAGE sql STABLE PARALLEL SAFE AS $$
      SELECT CASE
        WHEN v ~ '^[0-9]{12,14}$' THEN (to_timestamp(v::bigint / 1000.0) AT TIME ZONE 'UTC')::date
        WHEN v ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND hubspot.is_valid_date(v) THEN v::date
        WHEN v ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]' AND hubspot.is_valid_timestamptz(v) THEN (v::timestamptz AT TIME ZONE 'UTC')::date
      END $$`);
    await q.query(`CREATE FUNCTION hubspot.as_boolean(v text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE lower(btrim(v)) WHEN 'true' THEN true WHEN 'false' THEN false WHEN 'yes' THEN true WHEN 'no' THEN false
        WHEN '1' THEN true WHEN '0' THEN false END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA hubspot CASCADE`);
  }
}
