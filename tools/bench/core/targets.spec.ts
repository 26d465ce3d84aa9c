import { ScenarioReport } from './results';
import { checkTargets } from './targets';

const meta = { mode: 'default' as const, scaleFactor: 1, git: { commit: 'abc', dirty: false }, machine: { cores: 2, cpu_model: 'x', memory_mb: 4096, node: 'v20', platform: 'linux-x64', load_avg_1m_at_start: 0.5 } };

describe('issue 8 targets', () => {
  it('unthrottled: 20 × naive and half of the slower baseline', () => {
    const report = new ScenarioReport('unthrottled', meta);
    report.set('records_per_s', 1000);
    report.set('naive_records_per_s', 40);
    report.set('fetch_only_records_per_s', 3000);
    report.set('write_only_records_per_s', 1500);
    expect(checkTargets(report.finish()).map((t) => t.met)).toEqual([true, true]);
    report.set('write_only_records_per_s', 1800);
    report.set('naive_records_per_s', 60);
    expect(checkTargets(report.finish()).map((t) => t.met)).toEqual([false, true]);
  });

  it('unknown when a figure is missing, never met', () => {
    const report = new ScenarioReport('throttled', meta);
    report.set('efficiency', 0.95);
    expect(checkTargets(report.finish())).toEqual([{ target: 'efficiency ≥ 0.90 with http_429 = 0', actual: 'efficiency 0.95, http_429 not measured', met: null }]);
  });

  it('freshness: the poll bound follows the recorded lag and edge interval', () => {
    const report = new ScenarioReport('freshness', meta);
    report.set('search_lag_max_ms', 2000);
    report.set('edge_interval_ms', 5000);
    report.set('poll_p95_ms', 13001);
    report.set('webhook_p95_ms', 900);
    expect(checkTargets(report.finish()).map((t) => t.met)).toEqual([false, true]);
  });

  it('scale compares the window share with the configured one; memory checks every service', () => {
    const scale = new ScenarioReport('scale', meta);
    scale.knobs['configured_share'] = 0.8;
    scale.set('ratio_2_1', 1.9);
    scale.set('max_window_share', 0.85);
    expect(checkTargets(scale.finish()).map((t) => t.met)).toEqual([true, false]);
    const memory = new ScenarioReport('memory', meta);
    memory.set('ratio', { fetcher: 1.1, mapper: 1.3, 'sync-api': null });
    expect(checkTargets(memory.finish())[0].met).toBe(false);
  });
});
