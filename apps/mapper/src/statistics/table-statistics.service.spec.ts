import { MapperDatabase } from '../database/mapper-database';
import { MAPPING_TABLES, MIRROR_TABLES, TableStatisticsService } from './table-statistics.service';

function fakeDb() {
  const statements: string[] = [];
  let release: () => void = () => undefined;
  const db = {
    query: jest.fn(async (text: string) => {
      statements.push(text);
      await new Promise<void>((resolve) => (release = resolve));
      return [];
    }),
  } as unknown as MapperDatabase;
  return { db, statements, finish: () => release() };
}

describe('TableStatisticsService', () => {
  it('analyzes when an org crosses 1×, 4×, 16× the first threshold of a kind, one ANALYZE at a time', async () => {
    const { db, statements, finish } = fakeDb();
    const stats = new TableStatisticsService(db, { firstAnalyzeRows: 100 });
    stats.recordWrites('org-a', 'deals', 99);
    stats.recordWrites('org-a', 'companies', 99); // counted per kind
    expect(statements).toHaveLength(0);
    stats.recordWrites('org-a', 'deals', 1); // 100 rows: first threshold
    expect(statements).toEqual([`ANALYZE ${MAPPING_TABLES.join(', ')}`]);
    stats.recordWrites('org-a', 'deals', 250); // 350 < 400: nothing
    stats.recordWrites('org-b', 'tickets', 100, MIRROR_TABLES); // another org's first threshold, while one runs: queued
    stats.recordWrites('org-b', 'tickets', 300, ['sync.run_records']); // 400: merged into the queued pass
    stats.recordWrites('org-a', 'deals', 50); // 400: second threshold, folded into the queued pass
    expect(statements).toHaveLength(1);
    finish();
    await new Promise((r) => setImmediate(r));
    expect(statements).toHaveLength(2);
    expect(statements[1]).toBe(`ANALYZE ${[...new Set([...MIRROR_TABLES, 'sync.run_records', ...MAPPING_TABLES])].join(', ')}`);
    finish();
    await stats.idle();
    stats.recordWrites('org-a', 'deals', 1_200); // 1,600 = 16 × 100
    expect(statements).toHaveLength(3);
    finish();
    await stats.idle();
  });

  it('never analyzes when disabled, and survives a failing ANALYZE', async () => {
    const failing = { query: jest.fn(async () => Promise.reject(new Error('permission denied'))) } as unknown as MapperDatabase;
    const off = new TableStatisticsService(failing, { firstAnalyzeRows: 0 });
    off.recordWrites('org', 'deals', 1_000_000);
    expect(failing.query).not.toHaveBeenCalled();
    const on = new TableStatisticsService(failing, { firstAnalyzeRows: 10 });
    on.recordWrites('org', 'deals', 10);
    await on.idle();
    expect(failing.query).toHaveBeenCalledTimes(1);
  });
});
