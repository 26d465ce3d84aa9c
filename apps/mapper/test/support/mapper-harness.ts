import { Global, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@hubsync/persistence';
import { PostgresHandle, startPostgres } from '@hubsync/testing';
import { AssociationBatchService } from '../../src/batches/association-batch.service';
import { RecordBatchService } from '../../src/batches/record-batch.service';
import { ReferenceDataService } from '../../src/batches/reference-data.service';
import { MapperDatabase } from '../../src/database/mapper-database';
import { MapperModule, MapperModuleOptions } from '../../src/mapper.module';
import { CompletionSweeperService } from '../../src/progress/completion-sweeper.service';
import { RemapService } from '../../src/remap/remap.service';
import { TypedViewsService } from '../../src/typed-views/typed-views.service';

/** The mapper's services on a real PostgreSQL (fresh database, migrations applied), no NATS. */
export interface MapperHarness {
  pg: PostgresHandle;
  dataSource: DataSource;
  module: TestingModule;
  db: MapperDatabase;
  records: RecordBatchService;
  associations: AssociationBatchService;
  reference: ReferenceDataService;
  sweeper: CompletionSweeperService;
  remap: RemapService;
  views: TypedViewsService;
  /** Plain SQL for assertions and fixtures. */
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startMapperHarness(database: string, options: Partial<MapperModuleOptions> = {}): Promise<MapperHarness> {
  const pg = await startPostgres({ database });
  await runMigrations(pg.databaseUrl);
  const dataSource = createDataSource({ databaseUrl: pg.databaseUrl, poolSize: 8, applicationName: 'mapper-test' });
  await dataSource.initialize();

  @Global()
  @Module({ providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] })
  class TestDataSourceModule {}

  const module = await Test.createTestingModule({
    imports: [
      TestDataSourceModule,
      MapperModule.forRoot({
        completionCheckMs: 0,
        batchRetentionDays: 14,
        remapPollMs: 0,
        remapPageSize: 50,
        viewMaxColumns: 1000,
        sweepDeletesUnseen: false,
        withController: false,
        ...options,
      }),
    ],
  }).compile();
  await module.init();
  const client = new Client({ connectionString: pg.databaseUrl });
  await client.connect();
  return {
    pg,
    dataSource,
    module,
    db: module.get(MapperDatabase),
    records: module.get(RecordBatchService),
    associations: module.get(AssociationBatchService),
    reference: module.get(ReferenceDataService),
    sweeper: module.get(CompletionSweeperService),
    remap: module.get(RemapService),
    views: module.get(TypedViewsService),
    sql: async (text, params) => (await client.query(text, params as unknown[])).rows,
    async stop() {
      await client.end().catch(() => undefined);
      await module.close().catch(() => undefined);
      await dataSource.destroy().catch(() => undefined);
      await pg.stop();
    },
  };
}

export interface RunFixture {
  organizationUid: string;
  connectionId: string;
  portalId: string;
  runId: string;
  jobId: string;
}

/** An organization's run and job rows, as sync-api and the fetcher create them. */
export async function createRun(
  h: MapperHarness,
  options: { organizationUid?: string; portalId?: string; mode?: 'full' | 'catalog_only' | null; dealStages?: string[]; kind?: string; objectTypes?: string[] } = {},
): Promise<RunFixture> {
  const organizationUid = options.organizationUid ?? randomUUID();
  const connectionId = randomUUID();
  const portalId = options.portalId ?? String(100000 + Math.floor(Math.random() * 800000));
  await h.sql(`INSERT INTO core.organizations (uid, name) VALUES ($1, 'Test org') ON CONFLICT DO NOTHING`, [organizationUid]);
  const [run] = await h.sql(`INSERT INTO sync.runs (organization_uid, connection_id, portal_id, kind, mode) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
    organizationUid,
    connectionId,
    portalId,
    options.kind ?? 'full_sync',
    options.mode === undefined ? 'full' : options.mode,
  ]);
  const [job] = await h.sql(
    `INSERT INTO sync.jobs (organization_uid, connection_id, portal_id, kind, object_types, filters, mode, status, run_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $8) RETURNING id`,
    [organizationUid, connectionId, portalId, options.kind ?? 'full_sync', options.objectTypes ?? ['deals', 'companies', 'contacts'],
      JSON.stringify(options.dealStages ? { dealStages: options.dealStages } : {}), options.mode === undefined ? 'full' : options.mode, run.id],
  );
  return { organizationUid, connectionId, portalId, runId: run.id, jobId: job.id };
}

/** What the fetcher writes when it starts an object type and when it has published its last batch. */
export async function fetcherStarts(h: MapperHarness, run: RunFixture, objectType: string): Promise<void> {
  await h.sql(
    `INSERT INTO sync.object_runs (run_id, organization_uid, object_type, phase, fetch_started_at) VALUES ($1, $2, $3, 'backfill', now())
     ON CONFLICT (run_id, object_type) DO NOTHING`,
    [run.runId, run.organizationUid, objectType],
  );
}

export async function fetcherPublished(h: MapperHarness, run: RunFixture, objectType: string, batches: number): Promise<void> {
  await h.sql(`UPDATE sync.object_runs SET batches_published = $3 WHERE run_id = $1 AND object_type = $2`, [run.runId, objectType, batches]);
}

export async function fetcherFinishes(h: MapperHarness, run: RunFixture, objectType: string, batches: number, error: string | null = null): Promise<void> {
  await h.sql(
    `UPDATE sync.object_runs SET batches_published = $3, phase = $4, fetch_finished_at = CASE WHEN $5::text IS NULL THEN now() END, fetch_error = $5
      WHERE run_id = $1 AND object_type = $2`,
    [run.runId, objectType, batches, error ? 'failed' : 'fetched', error],
  );
}

export async function objectRun(h: MapperHarness, runId: string, objectType: string): Promise<any> {
  const [row] = await h.sql(`SELECT * FROM sync.object_runs WHERE run_id = $1 AND object_type = $2`, [runId, objectType]);
  return row;
}
