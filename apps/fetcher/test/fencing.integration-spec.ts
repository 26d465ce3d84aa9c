import { randomUUID } from 'node:crypto';
import { createDataSource, runMigrations } from '@hubsync/persistence';
import { PostgresHandle, startPostgres } from '@hubsync/testing';
import { DataSource } from 'typeorm';
import { CheckpointsRepository } from '../src/checkpoints/checkpoints.repository';
import { takeOverFence } from '../src/checkpoints/fence-takeover';
import { FencedOutError } from '../src/checkpoints/fenced-out.error';
import { ObjectRunsRepository } from '../src/checkpoints/object-runs.repository';
import { FetchStore } from '../src/fetch/fetch-store';
import { JobsRepository } from '../src/jobs/jobs.repository';

/**
 * DESIGN §5: every write a driver makes is fenced with its lease revision, so a driver that lost its
 * lease while paused cannot overwrite its successor. Real PostgreSQL, the fetcher's repositories.
 */
describe('fenced writes (PostgreSQL)', () => {
  let pg: PostgresHandle;
  let db: DataSource;
  let store: FetchStore;
  let jobs: JobsRepository;

  beforeAll(async () => {
    pg = await startPostgres({ database: 'fetcher_fencing' });
    await runMigrations(pg.databaseUrl);
    db = createDataSource({ databaseUrl: pg.databaseUrl });
    await db.initialize();
    store = new FetchStore(db, new CheckpointsRepository(db), new ObjectRunsRepository(db));
    jobs = new JobsRepository(db);
  }, 60_000);
  afterAll(async () => {
    await db?.destroy();
    await pg?.stop();
  });

  it('refuses checkpoint, object-run and job writes of the old lease revision once the successor took over', async () => {
    const org = randomUUID();
    const connectionId = randomUUID();
    const portalId = '4242';
    const run = await db.query(`INSERT INTO sync.runs (organization_uid, connection_id, portal_id, kind) VALUES ($1, $2, $3, 'full_sync') RETURNING id`, [org, connectionId, portalId]);
    const runId = run[0].id;
    await db.query(`INSERT INTO sync.object_runs (run_id, organization_uid, object_type) VALUES ($1, $2, 'contacts')`, [runId, org]);
    await db.query(`INSERT INTO sync.jobs (organization_uid, connection_id, portal_id, kind, object_types, run_id) VALUES ($1, $2, $3, 'full_sync', '{contacts}', $4)`, [org, connectionId, portalId, runId]);
    const key = { organizationUid: org, connectionId, portalId, streamKey: 'backfill:x:contacts' };

    // The first driver (lease revision 10) claims the job and checkpoints.
    const job = await jobs.claimNext(portalId, 10, ['full_sync'], []);
    expect(job?.status).toBe('running');
    await store.objectRuns.start(runId, org, 'contacts', 10, 'backfill');
    await store.commit(key, { after: '100' }, 10, { runId, objectType: 'contacts', progress: { pages: 1, batchesPublished: 1 } });

    // Its lease expires; the successor (revision 17) takes over and moves on.
    await takeOverFence(db, portalId, 17);
    const resumed = await jobs.claimNext(portalId, 17, ['full_sync'], []);
    expect(resumed?.id).toBe(job?.id);
    expect(resumed?.attempts).toBe(2);
    await store.commit(key, { after: '300' }, 17, { runId, objectType: 'contacts', progress: { pages: 2, batchesPublished: 3 } });

    // The first driver wakes up and tries to write: every write is refused, nothing changes.
    await expect(store.commit(key, { after: '200' }, 10, { runId, objectType: 'contacts', progress: { pages: 1, batchesPublished: 2 } })).rejects.toBeInstanceOf(FencedOutError);
    await expect(store.objectRuns.finish(runId, 'contacts', 10, null)).rejects.toBeInstanceOf(FencedOutError);
    await expect(jobs.finish(job?.id as string, 10, 'failed', 'late')).rejects.toBeInstanceOf(FencedOutError);
    expect(await store.load(connectionId, key.streamKey)).toEqual({ after: '300' });
    const [objectRun] = await db.query(`SELECT pages, batches_published, fetch_finished_at FROM sync.object_runs WHERE run_id = $1`, [runId]);
    expect(objectRun).toMatchObject({ pages: 3, batches_published: 3, fetch_finished_at: null });

    // The successor's own writes go through.
    await store.objectRuns.finish(runId, 'contacts', 18, null);
    await jobs.finish(job?.id as string, 18, 'done', null);
    const [row] = await db.query(`SELECT status, fence FROM sync.jobs WHERE id = $1`, [job?.id]);
    expect(row).toMatchObject({ status: 'done', fence: '18' });
  });
  it('claims every open fetch_by_ids job of a portal at once, skips excluded ones, and fences their joint finish', async () => {
    const org = randomUUID();
    const connectionId = randomUUID();
    const insert = async (kind: string, runId: string | null = null) =>
      (
        await db.query(
          `INSERT INTO sync.jobs (organization_uid, connection_id, portal_id, kind, object_types, filters, source, run_id) VALUES ($1, $2, '70000002', $3, '{contacts}', '{"ids":{"contacts":["1"]}}', 'webhook', $4) RETURNING id`,
          [org, connectionId, kind, runId],
        )
      )[0].id as string;
    const a = await insert('fetch_by_ids');
    const b = await insert('fetch_by_ids');
    const excluded = await insert('fetch_by_ids');
    await insert('pipelines');
    const claimed = await jobs.claimIdJobs('70000002', 5, [excluded], 100);
    expect(claimed.map((j) => j.id)).toEqual([a, b]);
    expect(claimed.every((j) => j.status === 'running' && j.attempts === 1)).toBe(true);
    // A successor took the portal over: the old driver's joint finish is refused, nothing changes.
    await jobs.fencePortal('70000002', 6);
    await expect(jobs.finishMany([a, b], 5, 'done', null)).rejects.toBeInstanceOf(FencedOutError);
    expect((await db.query(`SELECT count(*)::int AS n FROM sync.jobs WHERE id = ANY($1::uuid[]) AND status = 'running'`, [[a, b]]))[0].n).toBe(2);
    await jobs.finishMany([a, b], 6, 'done', null);
    expect((await db.query(`SELECT DISTINCT status, finished_at FROM sync.jobs WHERE id = ANY($1::uuid[])`, [[a, b]])).length).toBe(1);
  });
});
