import { ScenarioResult } from './results';

export interface TargetCheck {
  target: string;
  actual: string;
  /** null when a figure it needs was not measured. */
  met: boolean | null;
}

const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const fmt = (v: number | null, digits = 2) => (v === null ? 'not measured' : String(Math.round(v * 10 ** digits) / 10 ** digits));
const check = (target: string, actual: string, ok: boolean | null): TargetCheck => ({ target, actual, met: ok });
const all = (...values: Array<number | null>) => values.every((v) => v !== null);

/** Issue 8's targets for one scenario, checked against its figures. */
export function checkTargets(r: ScenarioResult): TargetCheck[] {
  switch (r.scenario) {
    case 'unthrottled': {
      const rate = n(r['records_per_s']);
      const naive = n(r['naive_records_per_s']);
      const fetchOnly = n(r['fetch_only_records_per_s']);
      const writeOnly = n(r['write_only_records_per_s']);
      const floor = fetchOnly !== null && writeOnly !== null ? 0.5 * Math.min(fetchOnly, writeOnly) : null;
      return [
        check('records_per_s ≥ 20 × naive_records_per_s', `${fmt(rate)} vs ${fmt(naive === null ? null : 20 * naive)}`, all(rate, naive) ? (rate as number) >= 20 * (naive as number) : null),
        check('records_per_s ≥ 0.5 × min(fetch_only, write_only)', `${fmt(rate)} vs ${fmt(floor)}`, all(rate, floor) ? (rate as number) >= (floor as number) : null),
      ];
    }
    case 'throttled': {
      const eff = n(r['efficiency']);
      const h = n(r['http_429']);
      return [check('efficiency ≥ 0.90 with http_429 = 0', `efficiency ${fmt(eff)}, http_429 ${fmt(h, 0)}`, all(eff, h) ? (eff as number) >= 0.9 && h === 0 : null)];
    }
    case 'freshness': {
      const p95 = n(r['poll_p95_ms']);
      const lag = n(r['search_lag_max_ms']);
      const edge = n(r['edge_interval_ms']);
      const limit = lag !== null && edge !== null ? lag + 2 * edge + 1000 : null;
      const hook = n(r['webhook_p95_ms']);
      return [
        check('poll_p95_ms ≤ search_lag_max_ms + 2 × edge_interval_ms + 1000', `${fmt(p95, 0)} vs ${fmt(limit, 0)}`, all(p95, limit) ? (p95 as number) <= (limit as number) : null),
        check('webhook_p95_ms ≤ 1000', fmt(hook, 0), hook === null ? null : hook <= 1000),
      ];
    }
    case 'scale': {
      const r21 = n(r['ratio_2_1']);
      const share = n(r['max_window_share']);
      const configured = n((r.knobs as Record<string, unknown>)['configured_share']);
      return [
        check('ratio_2_1 ≥ 1.8', fmt(r21), r21 === null ? null : r21 >= 1.8),
        check('max_window_share ≤ the configured share', `${fmt(share, 3)} vs ${fmt(configured)}`, all(share, configured) ? (share as number) <= (configured as number) : null),
      ];
    }
    case 'memory': {
      const ratios = (r['ratio'] ?? {}) as Record<string, number | null>;
      const values = Object.entries(ratios);
      const measured = values.filter(([, v]) => v !== null);
      return [
        check(
          `ratio ≤ 1.2 for every service process (${String((r.knobs as Record<string, unknown>)['ratio_basis'] ?? '')})`,
          values.map(([k, v]) => `${k} ${fmt(v)}`).join(', ') || 'not measured',
          measured.length === 0 ? null : measured.every(([, v]) => (v as number) <= 1.2),
        ),
      ];
    }
    default:
      return [];
  }
}
