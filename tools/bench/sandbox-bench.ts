/**
 * Sandbox speed (issue 3, "Speed"): seeds a portal with N objects (default 1,000,000), then prints
 * p50/p99 latency of a 200-record search page and a 100-record list page, and the sandbox's RSS.
 * Limits and latency are off: this measures the sandbox, which must never be a benchmark's bottleneck.
 *
 *   npx tsc -p apps/hubspot-sandbox/tsconfig.app.json && npx tsc-alias -p apps/hubspot-sandbox/tsconfig.app.json
 *   npx tsc -p tools/tsconfig.tools.json && npx tsc-alias -p tools/tsconfig.tools.json
 *   node dist/tools/tools/bench/sandbox-bench.js [size] [--iterations N]
 */
import { SandboxHandle, startSandbox } from '@hubsync/testing';
import { Agent, request } from 'node:http';

interface Args {
  size: number;
  iterations: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { size: 1_000_000, iterations: 300 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--iterations') args.iterations = positive(argv[++i], '--iterations');
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: sandbox-bench [size=1000000] [--iterations N=300]\n');
      process.exit(0);
    } else args.size = positive(a.replace(/_/g, ''), 'size');
  }
  return args;
}

function positive(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer; got "${value}"`);
  return n;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One HTTP call on a kept-alive socket; resolves with status, body and elapsed ms. */
function call(url: string, method: string, token: string, body?: unknown): Promise<{ status: number; body: any; ms: number }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, ms });
      });
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(2)} ms  p99 ${percentile(s, 99).toFixed(2)} ms  (n=${s.length})`;
}

async function measureSearch(sandbox: SandboxHandle, token: string, iterations: number): Promise<number[]> {
  const url = `${sandbox.url}/crm/v3/objects/contacts/search`;
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    // An incremental-sync style page: modified since a cursor, ascending, 200 records, a few properties.
    const body = {
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(Date.parse('2023-06-01T00:00:00Z') + (i % 50) * 86_400_000) }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['email', 'firstname', 'lastname', 'lastmodifieddate'],
      limit: 200,
      after: String((i % 40) * 200),
    };
    const res = await call(url, 'POST', token, body);
    if (res.status !== 200 || res.body.results.length !== 200) throw new Error(`search page failed: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    samples.push(res.ms);
  }
  return samples;
}

async function measureList(sandbox: SandboxHandle, token: string, iterations: number): Promise<number[]> {
  const samples: number[] = [];
  let after: string | undefined;
  for (let i = 0; i < iterations; i++) {
    const url = `${sandbox.url}/crm/v3/objects/contacts?limit=100&properties=email,firstname,lastname,company,jobtitle${after ? `&after=${after}` : ''}`;
    const res = await call(url, 'GET', token);
    if (res.status !== 200 || res.body.results.length !== 100) throw new Error(`list page failed: ${res.status}`);
    samples.push(res.ms);
    after = res.body.paging?.next?.after;
  }
  return samples;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sandbox = await startSandbox({ env: { SANDBOX_LIMITS: 'false', LOG_LEVEL: 'warn', NODE_OPTIONS: '--max-old-space-size=4096' } });
  try {
    const portal = await sandbox.admin.createPortal({ tier: 'enterprise' });
    const seedStarted = Date.now();
    const seeded = await sandbox.admin.seed(portal.portalId, { seed: 1, total: args.size, customObjects: [{ name: 'subscription', count: Math.round(args.size / 100) }] });
    const seedMs = Date.now() - seedStarted;
    const objects = Object.values(seeded.counts).reduce((a, b) => a + b, 0);
    const { token } = await sandbox.admin.createPrivateAppToken(portal.portalId, ['crm.objects.contacts.read']);
    // Warm-up: first search builds the ordered indexes, JIT settles.
    await measureSearch(sandbox, token, 20);
    await measureList(sandbox, token, 20);
    const search = await measureSearch(sandbox, token, args.iterations);
    const list = await measureList(sandbox, token, args.iterations);
    const ready = (await (await fetch(`${sandbox.url}/health/ready`)).json()) as { rssBytes: number };
    const lines = [
      `sandbox bench: ${objects.toLocaleString('en-US')} objects (${seeded.counts['contacts'].toLocaleString('en-US')} contacts), seeded in ${(seedMs / 1000).toFixed(1)} s`,
      `  search page (200 records): ${summary(search)}`,
      `  list page   (100 records): ${summary(list)}`,
      `  sandbox RSS: ${(ready.rssBytes / 1024 ** 3).toFixed(2)} GiB`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stdout.write(`${JSON.stringify({ objects, seedMs, searchMs: stats(search), listMs: stats(list), rssBytes: ready.rssBytes })}\n`);
  } finally {
    agent.destroy();
    await sandbox.stop();
  }
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: Number(percentile(s, 50).toFixed(3)), p99: Number(percentile(s, 99).toFixed(3)), n: s.length };
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
