import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Work and completion tables shared across services (DESIGN §5):
 * - sync.jobs: sync-api inserts, the fetcher driving the portal claims (FOR UPDATE SKIP LOCKED) and finishes;
 * - sync.runs / sync.object_runs: fetch columns owned by the fetcher, result columns by the mapper;
 * - sync.dead_letters: messages that failed on their last allowed delivery;
 * - sync.skipped_records: records the mapper refused, with the rule and detail.
 */
export class CreateSyncSchema1763830100000 implements MigrationInterface {
  name = 'CreateSyncSchema1763830100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS sync`);
    await q.query(`CREATE TABLE sync.runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_uid uuid NOT NULL,
      connection_id uuid NOT NULL,
      portal_id text NOT NULL,
      kind text NOT NULL,
      mode text,
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running','completed','failed')),
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await q.query(`CREATE INDEX runs_org_created ON sync.runs (organization_uid, created_at DESC)`);
    await q.query(`CREATE TABLE sync.jobs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_uid uuid NOT NULL,
      connection_id uuid NOT NULL,
      portal_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('full_sync','backfill','full_refresh','fetch_by_ids','association_sweep','delete_sweep','schema_introspection','pipelines')),
      object_types text[] NOT NULL DEFAULT '{}',
      filters jsonb NOT NULL DEFAULT '{}',
      mode text CHECK (mode IN ('full','catalog_only')),
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','done','failed')),
      attempts integer NOT NULL DEFAULT 0,
      run_id uuid REFERENCES sync.runs(id),
      source text NOT NULL DEFAULT 'api',
      elt_sync_id uuid,
      error_message text,
      fence bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    )`);
    await q.query(`CREATE INDEX jobs_portal_queued ON sync.jobs (portal_id, created_at) WHERE status IN ('queued','running')`);
    await q.query(`CREATE INDEX jobs_org_created ON sync.jobs (organization_uid, created_at DESC)`);
    await q.query(`CREATE TABLE sync.object_runs (
      run_id uuid NOT NULL REFERENCES sync.runs(id) ON DELETE CASCADE,
      organization_uid uuid NOT NULL,
      object_type text NOT NULL,
      -- fetch columns (fetcher)
      phase text NOT NULL DEFAULT 'pending',
      pages integer NOT NULL DEFAULT 0,
      requests integer NOT NULL DEFAULT 0,
      http_429 integer NOT NULL DEFAULT 0,
      estimate integer,
      batches_published integer NOT NULL DEFAULT 0,
      fetch_started_at timestamptz,
      fetch_finished_at timestamptz,
      fetch_error text,
      fence bigint NOT NULL DEFAULT 0,
      -- result columns (mapper)
      batches_committed integer NOT NULL DEFAULT 0,
      total_synced integer NOT NULL DEFAULT 0,
      total_skipped integer NOT NULL DEFAULT 0,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','syncing','completed','failed')),
      error_message text,
      completed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (run_id, object_type)
    )`);
    await q.query(`CREATE TABLE sync.dead_letters (
      id bigserial PRIMARY KEY,
      organization_uid uuid,
      stream text NOT NULL,
      consumer text NOT NULL,
      subject text NOT NULL,
      msg_id text,
      deliveries integer NOT NULL,
      error text NOT NULL,
      payload bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE sync.skipped_records (
      id bigserial PRIMARY KEY,
      organization_uid uuid NOT NULL,
      run_id uuid,
      object_type text NOT NULL,
      object_id text NOT NULL,
      rule text NOT NULL,
      detail text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX skipped_records_once ON sync.skipped_records (organization_uid, COALESCE(run_id, '00000000-0000-0000-0000-000000000000'::uuid), object_type, object_id, rule)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA sync CASCADE`);
  }
}
