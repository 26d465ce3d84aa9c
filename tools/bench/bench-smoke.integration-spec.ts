import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@hubsync/test-stack';
import { REQUIRED_KEYS } from './core/results';

// CI's smoke test of `npm run bench -- --quick --scenario unthrottled` (issue 8): it must complete and
// write every key; nothing is asserted about time. Runs the built bench (build tools, the sandbox and
// the four services first — `npm run bench` does), one repeat to keep it short.
const root = workspaceRoot();
const entry = join(root, 'dist', 'tools', 'tools', 'bench', 'run-bench.js');

describe('bench smoke: --quick --scenario unthrottled', () => {
  let out: string;
  beforeAll(() => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: npx tsc -p tools/tsconfig.tools.json && npx tsc-alias -p tools/tsconfig.tools.json`);
    out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('completes and writes unthrottled.json and latest.json with every key, the mirror holding every seeded record', async () => {
    let output = '';
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [entry, '--quick', '--scenario', 'unthrottled', '--repeats', '1', '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.on('exit', resolve);
    });
    if (code !== 0) throw new Error(`run-bench exited with ${code}:\n${output}`);

    const result = JSON.parse(readFileSync(join(out, 'unthrottled.json'), 'utf8'));
    const latest = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
    expect(latest.scenarios.unthrottled.git.commit).toBe(result.git.commit);
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.knobs.sandbox).toMatchObject({ limitsEnabled: false });
    for (const key of REQUIRED_KEYS.unthrottled) expect(result).toHaveProperty(key);
    // Every figure measured: a null here carries its reason in `missing`.
    expect({ missing: result.missing, errors: result.errors }).toEqual({ missing: {}, errors: [] });
    expect(result.records).toBe(result.sizes.records_seeded);
    expect(result.records).toBe(Object.values(result.sizes.per_object_type as Record<string, number>).reduce((a, b) => a + b, 0));
    for (const process of ['naive', 'fetch_only', 'write_only', 'auth-gateway', 'sync-api', 'fetcher', 'mapper', 'hubspot-sandbox', 'postgres']) {
      expect(result.peak_rss_mb[process]).toBeGreaterThan(0);
      expect(result.cpu_s).toHaveProperty(process);
    }
  }, 20 * 60_000);
});
