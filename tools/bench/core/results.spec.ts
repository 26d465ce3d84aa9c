import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable, REQUIRED_KEYS, ScenarioReport, writeResults } from './results';

const meta = { mode: 'quick' as const, scaleFactor: 0.1, git: { commit: 'abc', dirty: false }, machine: { cores: 2, cpu_model: 'x', memory_mb: 4096, node: 'v20', platform: 'linux-x64', load_avg_1m_at_start: 0.5 } };

describe('scenario results', () => {
  it('puts the median of each figure at the top level and the spread in stats', () => {
    const report = new ScenarioReport('unthrottled', meta);
    report.addRun({ records_per_s: 100, peak_rss_mb: { fetcher: 50, mapper: 70 } });
    report.addRun({ records_per_s: 300, peak_rss_mb: { fetcher: 60, mapper: 90 } });
    report.addRun({ records_per_s: 200, peak_rss_mb: { fetcher: 55, mapper: null } });
    const result = report.finish();
    expect(result['records_per_s']).toBe(200);
    expect(result.stats['records_per_s']).toEqual({ median: 200, min: 100, max: 300, runs: [100, 300, 200] });
    expect(result['peak_rss_mb']).toEqual({ fetcher: 55, mapper: 80 });
    expect(result.stats['peak_rss_mb.mapper']).toEqual({ median: 80, min: 70, max: 90, runs: [70, 90] });
    expect(result.repeats).toBe(3);
  });

  it('carries every required key, null with a reason when not measured, and is then partial', () => {
    const report = new ScenarioReport('throttled', meta);
    report.set('budget_req_per_s', 8.8);
    report.missing('efficiency', 'services did not start');
    const result = report.finish();
    for (const key of REQUIRED_KEYS.throttled) expect(result).toHaveProperty(key);
    expect(result['budget_req_per_s']).toBe(8.8);
    expect(result['efficiency']).toBeNull();
    expect(result.missing['efficiency']).toBe('services did not start');
    expect(result.missing['http_429']).toBe('not measured');
    expect(result.status).toBe('partial');
  });

  it('is failed when the scenario threw, and complete when every figure is there', () => {
    expect(new ScenarioReport('memory', meta).finish(true).status).toBe('failed');
    const report = new ScenarioReport('memory', meta);
    report.set('rss_100k_mb', { fetcher: 100 });
    report.set('rss_1m_mb', { fetcher: 110 });
    report.set('ratio', { fetcher: 1.1 });
    expect(report.finish().status).toBe('complete');
  });

  it('writes one file per scenario and latest.json with all of them, and prints a table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
    try {
      const report = new ScenarioReport('memory', meta);
      report.set('ratio', { fetcher: 1.1 });
      const result = report.finish();
      const files = writeResults(dir, [result]);
      expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['memory.json', 'latest.json']);
      const latest = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'));
      expect(latest.git.commit).toBe('abc');
      expect(latest.scenarios.memory.ratio).toEqual({ fetcher: 1.1 });
      const table = formatTable([result]);
      expect(table).toContain('ratio.fetcher');
      expect(table).toContain('rss_1m_mb: not measured');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
