import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fetcher state (issue 5, DESIGN §5), every write fenced by the portal lease revision
 * (`… WHERE fence <= $revision`):
 * - sync.fetch_portals: per portal — whether continuous sweeps run, a DAILY-limit pause (until
 *   midnight in the portal's time zone), the limiter snapshot handed to the next driver, and the
 *   rate-limit usage the status API shows;
 * - sync.fetch_streams: object types kept current per connection by continuous sweeps;
 * - sync.fetch_checkpoints: cursors per connection and stream key (backfill, edge, lag, deletes,
 *   association and id sweeps), written only after the batch they cover was acked by JetStream;
 * - sync.association_fingerprints: one fingerprint per (pair, from-object) so unchanged association
 *   sets emit nothing, with the sweep that last saw it (mark-and-sweep);
 * - sync.fetch_known_ids: ids handed on as live, per connection and object type, and the id sweep
 *   that last saw them (custom objects have no archived listing);
 * - sync.fetch_run_ids: the records a run reached (Exante: deals, then the companies of those deals,
 *   then their contacts), so a resumed run continues from the same set.
 */
export class CreateFetcherState1763830200000 implements MigrationInterface {
  name = 'CreateFetcherState1763830200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS sync.fetch_portals (
      portal_id text PRIMARY KEY,
      organization_uid uuid NOT NULL,
      connection_id uuid NOT NULL,
      continuous boolean NOT NULL DEFAULT false,
      paused_until timestamptz,
      pause_reason text,
      time_zone text,
      limiter_snapshot jsonb,
      rate_usage jsonb NOT NULL DEFAULT '{}',
      driver text,
      fence bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS fetch_portals_org ON sync.fetch_portals (organization_uid)`);
    await q.query(`CREATE TABLE IF NOT EXISTS sync.fetch_streams (
      connection_id uuid NOT NULL,
      object_type text NOT NULL,
      organization_uid uuid NOT NULL,
      portal_id text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (connection_id, object_type)
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS fetch_streams_portal ON sync.fetch_streams (portal_id) WHERE enabled`);
    await q.query(`CREATE TABLE IF NOT EXISTS sync.fetch_checkpoints (
      connection_id uuid NOT NULL,
      stream_key text NOT NULL,
      organization_uid uuid NOT NULL,
      portal_id text NOT NULL,
      cursor jsonb NOT NULL,
      fence bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (connection_id, stream_key)
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS fetch_checkpoints_portal ON sync.fetch_checkpoints (portal_id)`);
    await q.query(`CREATE TABLE IF NOT EXISTS sync.association_fingerprints (
      connection_id uuid NOT NULL,
      from_type text NOT NULL,
      to_type text NOT NULL,
      from_id text NOT NULL,
      organization_uid uuid NOT NULL,
      fingerprint text NOT NULL,
      sweep_id uuid NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (connection_id, from_type, to_type, from_id)
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS association_fingerprints_sweep ON sync.association_fingerprints (connection_id, from_type, to_type, sweep_id)`);
    await q.query(`CREATE TABLE IF NOT EXISTS sync.fetch_known_ids (
      connection_id uuid NOT NULL,
      object_type text NOT NULL,
      object_id text NOT NULL,
      organization_uid uuid NOT NULL,
      sweep_id uuid,
      PRIMARY KEY (connection_id, object_type, object_id)
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS fetch_known_ids_sweep ON sync.fetch_known_ids (connection_id, object_type, sweep_id)`);
    await q.query(`CREATE TABLE IF NOT EXISTS sync.fetch_run_ids (
      run_id uuid NOT NULL,
      object_type text NOT NULL,
      object_id text NOT NULL,
      organization_uid uuid NOT NULL,
      PRIMARY KEY (run_id, object_type, object_id)
    )`);
    // Lease fences on the shared tables exist since CreateSyncSchema; kept idempotent for older databases.
    await q.query(`ALTER TABLE sync.jobs ADD COLUMN IF NOT EXISTS fence bigint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE sync.object_runs ADD COLUMN IF NOT EXISTS fence bigint NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['fetch_run_ids', 'fetch_known_ids', 'association_fingerprints', 'fetch_checkpoints', 'fetch_streams', 'fetch_portals']) {
      await q.query(`DROP TABLE IF EXISTS sync.${table}`);
    }
  }
}
