import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchMode, ScenarioName } from './bench-options';
import { GitInfo, loadAverage, MachineInfo } from './machine';
import { round, Spread, spread } from './stats';
import { checkTargets, TargetCheck } from './targets';

/** The figures issue 8 asks for, per scenario: every result file carries each of them (null + reason when not measured). */
export const REQUIRED_KEYS: Record<ScenarioName, readonly string[]> = {
  unthrottled: [
    'records', 'wall_s', 'records_per_s', 'naive_records_per_s', 'fetch_only_records_per_s', 'write_only_records_per_s',
    'requests', 'requests_per_record', 'peak_rss_mb', 'cpu_s',
  ],
  throttled: ['budget_req_per_s', 'achieved_req_per_s', 'efficiency', 'http_429', 'records_per_hour'],
  freshness: ['search_lag_max_ms', 'poll_p50_ms', 'poll_p95_ms', 'poll_p99_ms', 'edge_interval_ms', 'webhook_p50_ms', 'webhook_p95_ms'],
  scale: ['records_per_s', 'ratio_2_1', 'ratio_3_1', 'max_window_share', 'adoption_s'],
  memory: ['rss_100k_mb', 'rss_1m_mb', 'ratio'],
};

/** A figure: a number, null (not measured, see `missing`), or one number per process/fetcher count. */
export type MetricValue = number | null | Record<string, number | null>;
export type RunMetrics = Record<string, MetricValue>;

export interface ScenarioResult {
  scenario: ScenarioName;
  /** complete: every figure measured; partial: some are null (see `missing`); failed: the scenario threw. */
  status: 'complete' | 'partial' | 'failed';
  mode: BenchMode;
  scale_factor: number;
  repeats: number;
  git: GitInfo;
  machine: MachineInfo;
  started_at: string;
  finished_at: string;
  duration_s: number;
  /** 1-minute load average at the scenario's start and end (machine.cores is the ceiling for this bench alone). */
  load_avg_1m: { start: number; end: number };
  sizes: Record<string, unknown>;
  knobs: Record<string, unknown>;
  /** median, min, max and every run of each figure measured more than once. */
  stats: Record<string, Spread>;
  /** Why a figure is null. */
  missing: Record<string, string>;
  notes: string[];
  errors: string[];
  /** Issue 8's targets checked against the figures (added when written). */
  targets?: TargetCheck[];
  /** With --profile: what the profilers found (e.g. PostgreSQL's busiest statements). */
  profile?: Record<string, unknown>;
  [metric: string]: unknown;
}

export interface ReportMeta {
  mode: BenchMode;
  scaleFactor: number;
  git: GitInfo;
  machine: MachineInfo;
}

/** Collects a scenario's runs and turns them into its result (medians at the top level, spreads in `stats`). */
export class ScenarioReport {
  readonly sizes: Record<string, unknown> = {};
  readonly knobs: Record<string, unknown> = {};
  private readonly runs: RunMetrics[] = [];
  private readonly fixed: RunMetrics = {};
  private readonly missingReasons: Record<string, string> = {};
  private readonly notes: string[] = [];
  private readonly profile: Record<string, unknown> = {};
  private readonly errors: string[] = [];
  private readonly startedAt = new Date();
  private readonly loadAtStart = loadAverage();

  constructor(readonly scenario: ScenarioName, private readonly meta: ReportMeta) {}

  /** One repeat's figures; each key is summarised over all repeats. */
  addRun(metrics: RunMetrics): void {
    this.runs.push(metrics);
  }

  /** A figure that is not repeated (a configuration value, or measured once on purpose). */
  set(key: string, value: MetricValue): void {
    this.fixed[key] = value;
  }

  missing(key: string, reason: string): void {
    this.missingReasons[key] = this.missingReasons[key] ? `${this.missingReasons[key]}; ${reason}` : reason;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  error(text: string): void {
    this.errors.push(text);
  }

  /** Profiler output (--profile), kept apart from the figures. */
  attachProfile(key: string, value: unknown): void {
    this.profile[key] = value;
  }

  get runCount(): number {
    return this.runs.length;
  }

  finish(failed = false): ScenarioResult {
    const finishedAt = new Date();
    const metrics: Record<string, unknown> = {};
    const stats: Record<string, Spread> = {};
    const keys = new Set(this.runs.flatMap((r) => Object.keys(r)));
    for (const key of keys) {
      const values = this.runs.map((r) => r[key]);
      if (values.some((v) => v !== null && typeof v === 'object')) {
        const subKeys = new Set(values.flatMap((v) => (v && typeof v === 'object' ? Object.keys(v) : [])));
        const out: Record<string, number | null> = {};
        for (const sub of subKeys) {
          const s = spread(values.map((v) => (v && typeof v === 'object' ? v[sub] : null)));
          out[sub] = s ? round(s.median, 3) : null;
          if (s && s.runs.length > 1) stats[`${key}.${sub}`] = roundSpread(s);
        }
        metrics[key] = out;
      } else {
        const s = spread(values as (number | null)[]);
        metrics[key] = s ? round(s.median, 3) : null;
        if (s && s.runs.length > 1) stats[key] = roundSpread(s);
      }
    }
    for (const [key, value] of Object.entries(this.fixed)) metrics[key] = roundValue(value);
    const missing = { ...this.missingReasons };
    for (const key of REQUIRED_KEYS[this.scenario]) {
      if (!(key in metrics)) metrics[key] = null;
      if (metrics[key] === null && !missing[key]) missing[key] = failed ? 'the scenario failed before measuring it (see errors)' : 'not measured';
    }
    const incomplete = REQUIRED_KEYS[this.scenario].some((k) => metrics[k] === null);
    return {
      scenario: this.scenario,
      status: failed ? 'failed' : incomplete || this.errors.length > 0 ? 'partial' : 'complete',
      mode: this.meta.mode,
      scale_factor: this.meta.scaleFactor,
      // Scenarios that measure once and `set` their figures count as one run.
      repeats: this.runs.length || (Object.values(this.fixed).some((v) => v !== null) && !failed ? 1 : 0),
      git: this.meta.git,
      machine: this.meta.machine,
      started_at: this.startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      duration_s: round((finishedAt.getTime() - this.startedAt.getTime()) / 1000, 1) as number,
      load_avg_1m: { start: this.loadAtStart, end: loadAverage() },
      sizes: this.sizes,
      knobs: this.knobs,
      ...metrics,
      stats,
      missing,
      notes: this.notes,
      errors: this.errors,
      ...(Object.keys(this.profile).length > 0 ? { profile: this.profile } : {}),
    };
  }
}

function roundValue(value: MetricValue): MetricValue {
  if (value === null || typeof value === 'number') return round(value, 3);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v, 3)]));
}

function roundSpread(s: Spread): Spread {
  return { median: round(s.median, 3) as number, min: round(s.min, 3) as number, max: round(s.max, 3) as number, runs: s.runs.map((r) => round(r, 3) as number) };
}

export function writeResults(outDir: string, results: ScenarioResult[]): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const result of results) {
    result['targets'] = checkTargets(result);
    const file = join(outDir, `${result.scenario}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    written.push(file);
  }
  const latest = join(outDir, 'latest.json');
  const first = results[0];
  writeFileSync(
    latest,
    `${JSON.stringify({ generated_at: new Date().toISOString(), git: first?.git ?? null, machine: first?.machine ?? null, mode: first?.mode ?? null, scenarios: Object.fromEntries(results.map((r) => [r.scenario, r])) }, null, 2)}\n`,
  );
  written.push(latest);
  return written;
}

const SKIP_IN_TABLE = new Set(['scenario', 'status', 'mode', 'scale_factor', 'repeats', 'git', 'machine', 'started_at', 'finished_at', 'duration_s', 'load_avg_1m', 'sizes', 'knobs', 'stats', 'missing', 'notes', 'errors', 'profile', 'targets']);

/** A plain-text table per scenario: figure, median, min, max (blank when measured once). */
export function formatTable(results: ScenarioResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`\n== ${r.scenario} (${r.status}, ${r.mode}, ${r.repeats} run${r.repeats === 1 ? '' : 's'}, ${r.duration_s} s, load ${r.load_avg_1m.start}→${r.load_avg_1m.end} on ${r.machine.cores} cores) ==`);
    const rows: string[][] = [['figure', 'median', 'min', 'max']];
    for (const [key, value] of Object.entries(r)) {
      if (SKIP_IN_TABLE.has(key)) continue;
      if (value !== null && typeof value === 'object') {
        for (const [sub, v] of Object.entries(value as Record<string, number | null>)) rows.push(row(`${key}.${sub}`, v, r.stats[`${key}.${sub}`]));
      } else {
        rows.push(row(key, value as number | null, r.stats[key]));
      }
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((cells) => cells[i].length)));
    for (const cells of rows) lines.push(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
    for (const [key, reason] of Object.entries(r.missing)) lines.push(`  ${key}: not measured — ${reason}`);
    for (const t of r.targets ?? checkTargets(r)) lines.push(`  target ${t.met === null ? 'unknown' : t.met ? 'met' : 'MISSED'}: ${t.target} — ${t.actual}`);
    for (const e of r.errors) lines.push(`  error: ${e.split('\n')[0].slice(0, 300)}`);
  }
  return lines.join('\n');
}

function row(key: string, value: number | null, s: Spread | undefined): string[] {
  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(v));
  return [key, fmt(value), s ? fmt(s.min) : '', s ? fmt(s.max) : ''];
}
