import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ServiceApp } from '@hubsync/test-stack';
import { sleep } from '../reliability/support/http';
import { startReliabilityStack } from '../reliability/support/reliability-stack';
import { writeJson } from './load-report';

/**
 * Load test (issue 9 §6), opt-in: `node dist/tools/tools/chaos/run-load.js [--clients 200]
 * [--seconds 60] [--out /tmp/load.json]`. The whole stack runs as separate processes; N concurrent clients call the status
 * and sync endpoints over loopback for the given time. Reports status counts (no 5xx allowed),
 * p50/p95/p99 latency per endpoint and the services' memory over time: resident size, and the V8
 * heap in use from /metrics (flat = the heap right after major collections grows less than 25 % from
 * the first half of the run to the second; the RSS rule "last within 25 % of warm-up" is reported but
 * fails on a heap that merely grows to a plateau under load). Writes chaos/results/load-latest.json, or the --out path.
 */
interface Sample {
  endpoint: string;
  status: number;
  ms: number;
}

function args(argv: string[]): { clients: number; seconds: number; out?: string } {
  const get = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    const v = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
    return v;
  };
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : undefined;
  if (outAt >= 0 && !out) throw new Error('--out needs a file path');
  return { clients: get('--clients', 200), seconds: get('--seconds', 60), out };
}

function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

interface HeapSample {
  t: number;
  heapMb: number;
  majorGcs: number;
}

/** Heap in use (MB) and the count of major collections so far, from a service's /metrics (null when unreachable). */
async function heapSample(baseUrl: string | undefined, t: number): Promise<HeapSample | null> {
  if (!baseUrl) return null;
  try {
    const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const heap = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? ([0-9.e+]+)/m.exec(text);
    const major = /^nodejs_gc_duration_seconds_count\{[^}]*kind="major"[^}]*\} ([0-9.e+]+)/m.exec(text);
    if (!heap) return null;
    return { t, heapMb: Math.round(Number(heap[1]) / 104857.6) / 10, majorGcs: major ? Number(major[1]) : 0 };
  } catch {
    return null;
  }
}

/**
 * The heap that survived major collections: the first sample after each major GC (prom-client
 * counts them), after a 10 s warm-up. Flat = the lowest such sample of the second half of the run is
 * within 25 % of the lowest of the first half. With no major GC in one half the run cannot tell
 * (the heap may just be growing towards its first collection): `flat` is then null — run longer.
 */
function heapTrendOf(series: HeapSample[], app: string, seconds: number) {
  const from = Math.min(10, seconds / 3);
  const middle = (from + seconds) / 2;
  const afterMajorGc = series.filter((s, i) => i > 0 && s.majorGcs > series[i - 1].majorGcs && s.t >= from);
  const low = (a: number, b: number) => {
    const values = afterMajorGc.filter((s) => s.t >= a && s.t < b).map((s) => s.heapMb);
    return values.length > 0 ? Math.min(...values) : null;
  };
  const firstHalf = low(from, middle);
  const secondHalf = low(middle, seconds + 1);
  const majorGcs = series.length > 1 ? series[series.length - 1].majorGcs - series[0].majorGcs : 0;
  return { app, majorGcs, firstHalf, secondHalf, flat: firstHalf === null || secondHalf === null ? null : secondHalf <= firstHalf * 1.25 };
}

/** CPU seconds (user + system) a process used so far, from /proc (null when gone). */
function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // After the command name: state is field 3, utime 14 and stime 15 (proc(5)), in clock ticks (100/s on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** CPU seconds used so far by every PostgreSQL backend serving a client now (backends that ended are missed). */
async function postgresCpuSeconds(db: { query: (sql: string) => Promise<{ rows: Array<{ pid: number }> }> }): Promise<number> {
  const { rows } = await db.query(`SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'`);
  return rows.reduce((sum, r) => sum + (cpuSeconds(r.pid) ?? 0), 0);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

async function main(): Promise<number> {
  const { clients, seconds, out } = args(process.argv.slice(2));
  const log = (line: string) => process.stdout.write(`[load] ${line}\n`);
  log(`starting the stack for ${clients} clients × ${seconds} s`);
  const rs = await startReliabilityStack({ env: { LOG_LEVEL: 'warn', API_RATE_LIMIT_PER_MINUTE: '100000000' } });
  try {
    const { portalId } = await rs.portal({ sizes: { contacts: 200, companies: 60, deals: 40 } });
    const tenant = await rs.tenant('load');
    const connectionId = await rs.connectOAuth(tenant, portalId);
    const elt = await rs.api('sync-api', { method: 'POST', path: '/elt_syncs', apiKey: tenant.apiKey, body: { connection_id: connectionId } });
    await rs.api('sync-api', { method: 'POST', path: '/api/ingest/run', apiKey: tenant.apiKey, body: {} });
    const endpoints: Array<{ name: string; app: ServiceApp; method: string; path: string; body?: unknown }> = [
      { name: 'GET sync/status', app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/sync/status' },
      { name: 'GET hubspot/status', app: 'sync-api', method: 'GET', path: '/api/integrations/hubspot/status' },
      { name: 'GET ingest/status', app: 'sync-api', method: 'GET', path: '/api/ingest/status' },
      { name: 'GET elt_syncs/:id/status', app: 'sync-api', method: 'GET', path: `/elt_syncs/${elt.body.id}/status` },
      { name: 'POST sync', app: 'sync-api', method: 'POST', path: '/api/integrations/hubspot/sync', body: { mode: 'catalog_only' } },
      { name: 'GET connections/:id', app: 'auth-gateway', method: 'GET', path: `/connections/${connectionId}` },
    ];
    const apps = ['sync-api', 'auth-gateway', 'fetcher', 'mapper'] as const;
    const cpuAtStart = Object.fromEntries(apps.map((app) => [app, cpuSeconds(rs.stack.processes[app]?.pid)]));
    const ownCpuAtStart = process.cpuUsage();
    const backendCpuAtStart = await postgresCpuSeconds(rs.db);
    const samples: Sample[] = [];
    const memory: Array<{ t: number; [app: string]: number | null }> = [];
    const started = Date.now();
    const until = started + seconds * 1000;
    const sampler = setInterval(() => {
      const row: { t: number; [app: string]: number | null } = { t: Math.round((Date.now() - started) / 1000) };
      for (const app of ['sync-api', 'auth-gateway', 'fetcher', 'mapper'] as const) row[app] = rssMb(rs.stack.processes[app]?.pid);
      memory.push(row);
    }, 1000);
    // V8 heap in use (prom-client's default metric), every second: RSS only tells that the heap grew to
    // serve the load; heap-used right after collections (the low points) tells whether it leaks.
    const heap: Record<'sync-api' | 'auth-gateway', HeapSample[]> = { 'sync-api': [], 'auth-gateway': [] };
    const heapSampler = setInterval(() => {
      const t = Math.round((Date.now() - started) / 1000);
      for (const app of ['sync-api', 'auth-gateway'] as const) {
        void heapSample(rs.stack.urls[app], t).then((sample) => sample && heap[app].push(sample));
      }
    }, 1000);
    let errors = 0;
    const client = async (n: number) => {
      let i = n;
      while (Date.now() < until) {
        const e = endpoints[i++ % endpoints.length];
        const t = performance.now();
        try {
          const answer = await rs.api(e.app, { method: e.method, path: e.path, apiKey: tenant.apiKey, body: e.body, timeoutMs: 30_000 });
          samples.push({ endpoint: e.name, status: answer.status, ms: performance.now() - t });
        } catch {
          errors++;
          samples.push({ endpoint: e.name, status: 0, ms: performance.now() - t });
        }
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, n) => client(n)));
    clearInterval(sampler);
    clearInterval(heapSampler);
    await sleep(500);

    // Share of one core each service used during the run: tells which process was the bottleneck.
    const cpuCoresUsed: Record<string, number | null> = Object.fromEntries(
      apps.map((app) => {
        const end = cpuSeconds(rs.stack.processes[app]?.pid);
        const start = cpuAtStart[app];
        return [app, end === null || start === null ? null : Math.round(((end - start) / seconds) * 100) / 100];
      }),
    );
    const ownCpu = process.cpuUsage(ownCpuAtStart);
    cpuCoresUsed['load-clients'] = Math.round(((ownCpu.user + ownCpu.system) / 1e6 / seconds) * 100) / 100;
    const backendCpu = await postgresCpuSeconds(rs.db);
    cpuCoresUsed['postgres'] = Math.round(((backendCpu - backendCpuAtStart) / seconds) * 100) / 100;
    const byEndpoint = endpoints.map((e) => {
      const mine = samples.filter((s) => s.endpoint === e.name);
      const ms = mine.map((s) => s.ms).sort((a, b) => a - b);
      const statuses: Record<string, number> = {};
      for (const s of mine) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
      return { endpoint: e.name, requests: mine.length, statuses, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99) };
    });
    const all = samples.map((s) => s.ms).sort((a, b) => a - b);
    const fiveHundreds = samples.filter((s) => s.status >= 500).length;
    const warm = memory.find((m) => m.t >= 10) ?? memory[0];
    const last = memory[memory.length - 1];
    const rssWithin25 = (['sync-api', 'auth-gateway'] as const).every((app) => warm?.[app] == null || last?.[app] == null || (last[app] as number) <= (warm[app] as number) * 1.25);
    const heapTrend = (['sync-api', 'auth-gateway'] as const).map((app) => heapTrendOf(heap[app], app, seconds));
    // Flat = the heap surviving major collections does not climb from the first half of the run to
    // the second by more than 25 % (undetermined when a half saw no major GC: not a failure, but
    // reported). The RSS rule (last sample within 25 % of the one after warm-up) is reported too, but
    // a heap that grows to a plateau under load fails it without leaking.
    const flat = heapTrend.every((h) => h.flat !== false);
    const result = {
      ok: fiveHundreds === 0 && errors === 0 && flat,
      clients,
      seconds,
      requests: samples.length,
      throughputPerSecond: Math.round(samples.length / seconds),
      fiveHundreds,
      transportErrors: errors,
      latencyMs: { p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99) },
      cpuCoresUsed,
      byEndpoint,
      memoryMb: {
        afterWarmUp: warm,
        last,
        max: Object.fromEntries(['sync-api', 'auth-gateway'].map((app) => [app, Math.max(...memory.map((m) => (m[app] as number) ?? 0))])),
        rssWithin25PercentOfWarmUp: rssWithin25,
        heapAfterMajorGc: heapTrend,
        flat,
      },
      memorySeries: memory,
      heapUsedSeries: heap,
    };
    for (const e of byEndpoint) log(`${e.endpoint.padEnd(26)} ${String(e.requests).padStart(7)} req  p50 ${e.p50} ms  p95 ${e.p95} ms  p99 ${e.p99} ms  ${JSON.stringify(e.statuses)}`);
    log(`CPU (cores used on average): ${JSON.stringify(cpuCoresUsed)}`);
    log(`all: ${result.requests} requests, ${result.throughputPerSecond}/s, p99 ${result.latencyMs.p99} ms, 5xx ${fiveHundreds}, transport errors ${errors}`);
    log(`memory (MB RSS) after warm-up ${JSON.stringify(warm)} → last ${JSON.stringify(last)}: ${rssWithin25 ? 'within 25 %' : 'grew more than 25 %'}`);
    for (const h of heapTrend) {
      const verdict = h.flat === null ? 'undetermined (a half without major GC: run longer)' : h.flat ? 'flat' : 'GROWING';
      log(`heap after major GC (MB) ${h.app}: ${h.majorGcs} major GCs, lowest first half ${h.firstHalf} → second half ${h.secondHalf}: ${verdict}`);
    }
    log(`wrote ${writeJson(out ? resolve(out) : 'load-latest.json', result)}`);
    return result.ok ? 0 : 1;
  } finally {
    await rs.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`load run failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
