import { record, recordBatch } from './support/portal-generator';
import { createRun, fetcherFinishes, fetcherPublished, fetcherStarts, MapperHarness, objectRun, startMapperHarness } from './support/mapper-harness';

describe('object run results and the completion protocol (issue 6 §6, §7; DESIGN §5)', () => {
  let h: MapperHarness;
  beforeAll(async () => {
    h = await startMapperHarness('mapper_progress_spec');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const companies = (from: number, n: number, dirty: (i: number) => boolean = () => false) =>
    Array.from({ length: n }, (_, k) => {
      const i = from + k;
      return record(i, dirty(i) ? { name: `No domain ${i}` } : { name: `C${i}`, domain: `c${i}.example.net` });
    });

  it('completes only after the last published batch is committed (fetcher finished first)', async () => {
    const run = await createRun(h);
    await fetcherStarts(h, run, 'companies');
    await fetcherFinishes(h, run, 'companies', 3);
    const first = await h.records.handle(recordBatch(run, 'companies', companies(1, 10)));
    expect(first.status).toBe('syncing');
    await h.records.handle(recordBatch(run, 'companies', companies(11, 10)));
    expect(await h.sweeper.settle()).toMatchObject({ completed: 0 });
    expect((await objectRun(h, run.runId, 'companies')).status).toBe('syncing');
    const last = await h.records.handle(recordBatch(run, 'companies', companies(21, 10)));
    expect(last.status).toBe('completed');
    expect(await objectRun(h, run.runId, 'companies')).toMatchObject({ status: 'completed', batches_committed: 3, total_synced: 30, total_skipped: 0, completed_at: expect.any(Date) });
  });

  it('completes when the fetcher finishes after the last batch was committed, and with zero batches', async () => {
    const run = await createRun(h);
    await fetcherStarts(h, run, 'companies');
    await fetcherStarts(h, run, 'tickets');
    await h.records.handle(recordBatch(run, 'companies', companies(1, 5)));
    await fetcherPublished(h, run, 'companies', 2);
    await h.records.handle(recordBatch(run, 'companies', companies(6, 5)));
    expect((await objectRun(h, run.runId, 'companies')).status).toBe('syncing'); // the fetcher is not done
    await fetcherFinishes(h, run, 'companies', 2);
    await fetcherFinishes(h, run, 'tickets', 0);
    expect(await h.sweeper.settle()).toMatchObject({ completed: 2 });
    expect(await objectRun(h, run.runId, 'companies')).toMatchObject({ status: 'completed', total_synced: 10 });
    expect(await objectRun(h, run.runId, 'tickets')).toMatchObject({ status: 'completed', total_synced: 0, batches_committed: 0 });
    // The run itself ends only when its job is done too.
    expect(await runStatus(run.runId)).toMatchObject({ status: 'running', finished_at: null });
    await h.sql(`UPDATE sync.jobs SET status = 'done', finished_at = now() WHERE id = $1`, [run.jobId]);
    await h.sweeper.settle();
    expect(await runStatus(run.runId)).toMatchObject({ status: 'completed', finished_at: expect.any(Date) });
  });

  const runStatus = async (runId: string) => (await h.sql(`SELECT status, finished_at FROM sync.runs WHERE id = $1`, [runId]))[0];

  it('never double-counts: a redelivered batch changes nothing, a record in two batches of a run counts once', async () => {
    const run = await createRun(h);
    await fetcherStarts(h, run, 'companies');
    const batch = recordBatch(run, 'companies', companies(1, 20, (i) => i % 5 === 0));
    await h.records.handle(batch);
    expect(await h.records.handle(batch)).toMatchObject({ duplicate: true });
    // overlapping sweep: records 16–25 again, 20 now fixed (has a domain), 25 dirty
    await h.records.handle(recordBatch(run, 'companies', [...companies(16, 4), record(20, { name: 'C20', domain: 'c20.example.net' }, '2024-06-02T00:00:00.000Z'), ...companies(21, 5, (i) => i === 25)]));
    await fetcherFinishes(h, run, 'companies', 2);
    await h.sweeper.settle();
    const row = await objectRun(h, run.runId, 'companies');
    const skippedRows = await h.sql(`SELECT object_id, rule FROM sync.skipped_records WHERE run_id = $1 AND rule <> 'dropped_field' ORDER BY object_id::int`, [run.runId]);
    expect(skippedRows).toEqual([
      { object_id: '5', rule: 'missing_domain' },
      { object_id: '10', rule: 'missing_domain' },
      { object_id: '15', rule: 'missing_domain' },
      { object_id: '25', rule: 'missing_domain' },
    ]);
    expect(row).toMatchObject({ status: 'completed', batches_committed: 2, total_synced: 21, total_skipped: 4 });
    expect(row.total_skipped).toBe(skippedRows.length);
  });

  it('counts concurrent batches of one run exactly', async () => {
    const run = await createRun(h);
    await fetcherStarts(h, run, 'companies');
    const batches = Array.from({ length: 8 }, (_, b) => recordBatch(run, 'companies', companies(1 + b * 5, 10, (i) => i % 7 === 0))); // overlapping ranges
    await Promise.all(batches.map((b) => h.records.handle(b)));
    await fetcherFinishes(h, run, 'companies', 8);
    await h.sweeper.settle();
    const distinct = 45; // ids 1..45
    const dirty = [7, 14, 21, 28, 35, 42].length;
    expect(await objectRun(h, run.runId, 'companies')).toMatchObject({ status: 'completed', batches_committed: 8, total_synced: distinct - dirty, total_skipped: dirty });
  });

  it('fails the object run when the fetch failed, and reopens it when the fetcher retries', async () => {
    const run = await createRun(h);
    await fetcherStarts(h, run, 'deals');
    await h.records.handle(recordBatch(run, 'deals', [record(1, { dealname: 'x' })]));
    await fetcherFinishes(h, run, 'deals', 1, 'forbidden_scope: crm.objects.deals.read');
    await h.sweeper.settle();
    expect(await objectRun(h, run.runId, 'deals')).toMatchObject({ status: 'failed', error_message: 'fetch failed: forbidden_scope: crm.objects.deals.read', total_synced: 1 });
    await h.sql(`UPDATE sync.object_runs SET fetch_error = NULL, fetch_finished_at = NULL WHERE run_id = $1 AND object_type = 'deals'`, [run.runId]);
    await h.sweeper.settle();
    expect(await objectRun(h, run.runId, 'deals')).toMatchObject({ status: 'syncing', error_message: null });
    // The retry fails for good: with its job done, the run ends failed.
    await fetcherFinishes(h, run, 'deals', 1, 'forbidden_scope: crm.objects.deals.read');
    await h.sql(`UPDATE sync.jobs SET status = 'done', finished_at = now() WHERE id = $1`, [run.jobId]);
    await h.sweeper.settle();
    expect(await runStatus(run.runId)).toMatchObject({ status: 'failed', finished_at: expect.any(Date) });
  });
});
