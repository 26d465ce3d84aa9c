import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mapper bookkeeping in `sync` (owner: mapper):
 * - mapper_batches: batch ids already committed, so a redelivered batch changes nothing and never
 *   double-counts (JetStream's Nats-Msg-Id window is only 2 minutes, DESIGN §3);
 * - run_records: each record's outcome once per run and object type, so `total_synced` /
 *   `total_skipped` count distinct records even when sweeps overlap;
 * - property_mappings: per-org target field ← property/expression (written by sync-api's PUT
 *   /api/integrations/hubspot/mappings after `validatePropertyMappings` from @hubsync/domain);
 * - remap_requests: "re-map org X (entity Y) from the mirror" — inserted by whoever changes mappings
 *   or settings, claimed by a mapper with FOR UPDATE SKIP LOCKED.
 */
export class AddMapperTables1763830300000 implements MigrationInterface {
  name = 'AddMapperTables1763830300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sync.mapper_batches (
      batch_id text PRIMARY KEY,
      organization_uid uuid NOT NULL,
      run_id uuid,
      subject text NOT NULL,
      object_type text NOT NULL,
      records integer NOT NULL DEFAULT 0,
      processed_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX mapper_batches_processed ON sync.mapper_batches (processed_at)`);
    await q.query(`CREATE TABLE sync.run_records (
      run_id uuid NOT NULL REFERENCES sync.runs(id) ON DELETE CASCADE,
      object_type text NOT NULL,
      object_id text NOT NULL,
      organization_uid uuid NOT NULL,
      skipped boolean NOT NULL,
      PRIMARY KEY (run_id, object_type, object_id)
    )`);
    await q.query(`CREATE TABLE sync.property_mappings (
      organization_uid uuid NOT NULL,
      target_entity text NOT NULL,
      target_field text NOT NULL,
      source jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_uid, target_entity, target_field)
    )`);
    await q.query(`CREATE TABLE sync.remap_requests (
      id bigserial PRIMARY KEY,
      organization_uid uuid NOT NULL,
      -- null = every entity; else 'stanna.client', 'exante.document', …, or 'views' (regenerate typed views)
      target_entity text,
      reason text,
      requested_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      error_message text
    )`);
    await q.query(`CREATE INDEX remap_requests_open ON sync.remap_requests (requested_at) WHERE finished_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sync.remap_requests, sync.property_mappings, sync.run_records, sync.mapper_batches`);
  }
}
