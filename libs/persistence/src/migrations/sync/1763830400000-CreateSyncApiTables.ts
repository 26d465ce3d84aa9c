import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables owned by sync-api (DESIGN §5, §6):
 * - sync.elt_syncs / sync.elt_streams: Weld-style syncs (seed 003) — a connection, a destination
 *   schema (unique across the database: it becomes a PostgreSQL schema) and the selected streams;
 * - sync.schedules / sync.schedule_fires: one cron schedule per elt sync; a fire record per scheduled
 *   slot, unique per (schedule, slot), so any number of replicas fire a slot once;
 * - sync.webhook_events: HubSpot event ids already queued, per organization (HubSpot retries for hours,
 *   longer than the JetStream duplicate window, so de-duplication lives here);
 * - sync.events: the sync log operators read (paged and as server-sent events);
 * - sync.sync_filters: per-organization filters (Stanna filters, OpsHub criteria) copied into jobs.
 */
export class CreateSyncApiTables1763830400000 implements MigrationInterface {
  name = 'CreateSyncApiTables1763830400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sync.elt_syncs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_uid uuid NOT NULL REFERENCES core.organizations(uid) ON DELETE CASCADE,
      connection_id uuid NOT NULL,
      destination_schema_name text NOT NULL,
      sync_interval text NOT NULL DEFAULT '*/15 * * * *',
      time_zone text NOT NULL DEFAULT 'UTC',
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','paused')),
      created_by_user_uid uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX elt_syncs_schema_unique ON sync.elt_syncs (lower(destination_schema_name))`);
    await q.query(`CREATE INDEX elt_syncs_org ON sync.elt_syncs (organization_uid, created_at)`);
    await q.query(`CREATE INDEX elt_syncs_connection ON sync.elt_syncs (connection_id)`);

    await q.query(`CREATE TABLE sync.elt_streams (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_uid uuid NOT NULL,
      elt_sync_id uuid NOT NULL REFERENCES sync.elt_syncs(id) ON DELETE CASCADE,
      name text NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','paused')),
      last_run_requested_at timestamptz,
      last_full_refresh_requested_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT elt_streams_once UNIQUE (elt_sync_id, name)
    )`);
    await q.query(`CREATE INDEX elt_streams_org ON sync.elt_streams (organization_uid)`);

    await q.query(`CREATE TABLE sync.schedules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_uid uuid NOT NULL,
      elt_sync_id uuid NOT NULL UNIQUE REFERENCES sync.elt_syncs(id) ON DELETE CASCADE,
      cron text NOT NULL,
      time_zone text NOT NULL DEFAULT 'UTC',
      enabled boolean NOT NULL DEFAULT true,
      next_fire_at timestamptz,
      last_fired_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX schedules_due ON sync.schedules (next_fire_at) WHERE enabled`);

    await q.query(`CREATE TABLE sync.schedule_fires (
      id bigserial PRIMARY KEY,
      schedule_id uuid NOT NULL REFERENCES sync.schedules(id) ON DELETE CASCADE,
      organization_uid uuid NOT NULL,
      elt_sync_id uuid NOT NULL,
      scheduled_for timestamptz NOT NULL,
      fired_at timestamptz NOT NULL DEFAULT now(),
      outcome text NOT NULL CHECK (outcome IN ('queued','skipped_running','failed')),
      job_ids uuid[] NOT NULL DEFAULT '{}',
      reason text,
      fired_by text,
      CONSTRAINT schedule_fires_once UNIQUE (schedule_id, scheduled_for)
    )`);
    await q.query(`CREATE INDEX schedule_fires_sync ON sync.schedule_fires (elt_sync_id, scheduled_for DESC)`);

    await q.query(`CREATE TABLE sync.webhook_events (
      organization_uid uuid NOT NULL,
      portal_id text NOT NULL,
      event_id text NOT NULL,
      subscription_type text,
      object_type text,
      object_id text,
      occurred_at timestamptz,
      job_id uuid,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, portal_id, event_id)
    )`);
    await q.query(`CREATE INDEX webhook_events_received ON sync.webhook_events (received_at)`);

    await q.query(`CREATE TABLE sync.events (
      id bigserial PRIMARY KEY,
      organization_uid uuid NOT NULL,
      run_id uuid,
      job_id uuid,
      level text NOT NULL DEFAULT 'info' CHECK (level IN ('debug','info','warn','error')),
      type text NOT NULL,
      message text NOT NULL,
      data jsonb NOT NULL DEFAULT '{}',
      source text NOT NULL DEFAULT 'sync-api',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX events_org_id ON sync.events (organization_uid, id)`);
    await q.query(`CREATE INDEX events_run ON sync.events (run_id, id) WHERE run_id IS NOT NULL`);

    await q.query(`CREATE TABLE sync.sync_filters (
      organization_uid uuid PRIMARY KEY REFERENCES core.organizations(uid) ON DELETE CASCADE,
      filters jsonb NOT NULL DEFAULT '{}',
      updated_by_user_uid uuid,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sync_filters', 'events', 'webhook_events', 'schedule_fires', 'schedules', 'elt_streams', 'elt_syncs']) {
      await q.query(`DROP TABLE IF EXISTS sync.${table}`);
    }
  }
}
