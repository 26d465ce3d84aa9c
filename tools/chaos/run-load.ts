import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { ServiceApp } from '@hubsync/test-stack';
import { sleep } from '../reliability/support/http';
import { startReliabilityStack } from '../reliability/support/reliability-stack';
import { writeJson } from './load-report';

/**
 * Load test (issue 9 §6), opt-in: `node dist/tools/tools/chaos/run-load.js [--clients 200]
 * [--seconds 60]`. The whole stack runs as separate processes; N concurrent clients call the status
 * and sync endpoints over loopback for the given time. Reports status counts (no 5xx allowed),
 * p50/p95/p99 latency per endpoint and the services' resident memory over time (flat = the last
 * sample within 25 % of the one after warm-up). Writes chaos/results/load-latest.json.
 */
interface Sample {
  endpoint: string;
  status: number;
  ms: number;
}

function args(argv: string[]): { clients: number; seconds: number } {
  const get = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    const v = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
    return v;
  };
  return { clients: get('--clients', 200), seconds: get('--seconds', 60) };
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

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

async function main(): Promise<number> {
  const { clients, seconds } = args(process.argv.slice(2));
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
    const samples: Sample[] = [];
    const memory: Array<{ t: number; [app: string]: number | null }> = [];
    const started = Date.now();
    const until = started + seconds * 1000;
    const sampler = setInterval(() => {
      const row: { t: number; [app: string]: number | null } = { t: Math.round((Date.now() - started) / 1000) };
      for (const app of ['sync-api', 'auth-gateway', 'fetcher', 'mapper'] as const) row[app] = rssMb(rs.stack.processes[app]?.pid);
      memory.push(row);
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
    await sleep(100);

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
    const flat = (['sync-api', 'auth-gateway'] as const).every((app) => warm?.[app] == null || last?.[app] == null || (last[app] as number) <= (warm[app] as number) * 1.25);
    const result = {
      ok: fiveHundreds === 0 && errors === 0 && flat,
      clients,
      seconds,
      requests: samples.length,
      throughputPerSecond: Math.round(samples.length / seconds),
      fiveHundreds,
      transportErrors: errors,
      latencyMs: { p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99) },
      byEndpoint,
      memoryMb: { afterWarmUp: warm, last, max: Object.fromEntries(['sync-api', 'auth-gateway'].map((app) => [app, Math.max(...memory.map((m) => (m[app] as number) ?? 0))])), flat },
      memorySeries: memory,
    };
    for (const e of byEndpoint) log(`${e.endpoint.padEnd(26)} ${String(e.requests).padStart(7)} req  p50 ${e.p50} ms  p95 ${e.p95} ms  p99 ${e.p99} ms  ${JSON.stringify(e.statuses)}`);
    log(`all: ${result.requests} requests, ${result.throughputPerSecond}/s, p99 ${result.latencyMs.p99} ms, 5xx ${fiveHundreds}, transport errors ${errors}`);
    log(`memory (MB RSS) after warm-up ${JSON.stringify(warm)} → last ${JSON.stringify(last)}: ${flat ? 'flat' : 'GROWING'}`);
    log(`wrote ${writeJson('load-latest.json', result)}`);
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
