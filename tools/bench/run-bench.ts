/**
 * `npm run bench [-- --scenario NAME] [--quick | --full]` (issue 8): runs each scenario against the
 * whole stack (libs/test-stack: PostgreSQL, NATS, the sandbox, every service as its own process from
 * built JavaScript), prints a table and writes bench/results/<scenario>.json and latest.json.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@hubsync/test-stack';
import { BenchOptions, parseBenchOptions, ScenarioName, USAGE } from './core/bench-options';
import { MODE_FACTOR } from './core/bench-sizes';
import { gitInfo, machineInfo } from './core/machine';
import { formatTable, ScenarioResult, writeResults } from './core/results';
import { BenchContext } from './core/scenario-context';
import { runFreshness } from './scenarios/freshness';
import { runMemory } from './scenarios/memory';
import { runScale } from './scenarios/scale';
import { runThrottled } from './scenarios/throttled';
import { runUnthrottled } from './scenarios/unthrottled';

const SCENARIOS: Record<ScenarioName, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  unthrottled: runUnthrottled,
  throttled: runThrottled,
  freshness: runFreshness,
  scale: runScale,
  memory: runMemory,
};

export async function runBench(options: BenchOptions): Promise<ScenarioResult[]> {
  const root = workspaceRoot();
  const outDir = options.outDir ?? join(root, 'bench', 'results');
  const tempDir = mkdtempSync(join(tmpdir(), 'hubsync-bench-'));
  const profileRoot = join(tmpdir(), `hubsync-bench-profiles-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const started = Date.now();
  const log = (line: string) => process.stdout.write(`[bench +${Math.round((Date.now() - started) / 1000)}s] ${line}\n`);
  const ctx: BenchContext = {
    options,
    mode: options.mode,
    factor: MODE_FACTOR[options.mode],
    meta: { mode: options.mode, scaleFactor: MODE_FACTOR[options.mode], git: gitInfo(root), machine: machineInfo() },
    tempDir,
    log,
    repeats: (defaults) => options.repeats ?? defaults[options.mode],
    profileEnv: (scenario): Record<string, string> => {
      if (!options.profile) return {};
      const dir = join(profileRoot, scenario);
      mkdirSync(dir, { recursive: true });
      // Node 20 refuses --cpu-prof in NODE_OPTIONS: a preload starts the inspector's profiler instead.
      return { NODE_OPTIONS: `--require ${join(__dirname, 'profiling', 'cpu-profile-preload.js')}`, BENCH_CPU_PROFILE_DIR: dir };
    },
  };
  const results: ScenarioResult[] = [];
  try {
    for (const name of options.scenarios) {
      log(`scenario ${name} (${options.mode})`);
      results.push(await SCENARIOS[name](ctx));
      // Written after every scenario, so an interrupted run keeps what it measured.
      writeResults(outDir, results);
    }
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
  process.stdout.write(`${formatTable(results)}\n\nresults: ${outDir}\n${options.profile ? `CPU profiles (open in Chrome DevTools): ${profileRoot}\n` : ''}`);
  return results;
}

if (require.main === module) {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  runBench(options).then(
    (results) => process.exit(results.some((r) => r.status === 'failed') ? 1 : 0),
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      process.exit(1);
    },
  );
}
