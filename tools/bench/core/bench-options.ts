export const SCENARIO_NAMES = ['unthrottled', 'throttled', 'freshness', 'scale', 'memory'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** quick: a tenth of every size; default: the sizes; full: default plus the 1 M memory backfill. */
export type BenchMode = 'quick' | 'default' | 'full';

export interface BenchOptions {
  scenarios: ScenarioName[];
  mode: BenchMode;
  /** Overrides each scenario's repeat count (short scenarios default to 3). */
  repeats?: number;
  /** Where <scenario>.json and latest.json go. */
  outDir?: string;
  /** Echo every service log line. */
  echo: boolean;
  /** CPU-profile every service and the sandbox (folder printed at the end); sample pg_stat_activity. */
  profile: boolean;
  help: boolean;
}

export const USAGE = `Usage: run-bench [--scenario NAME[,NAME…]]… [--quick | --full] [--repeats N] [--out DIR] [--echo] [--profile]

Scenarios: ${SCENARIO_NAMES.join(', ')} (default: all, in that order).
  --quick     every size divided by ten (CI smoke test: --quick --scenario unthrottled)
  --full      default sizes plus the 1 M-record memory backfill
  --repeats   repeat count for every scenario (default: 3 for short scenarios, 1 for long ones)
  --out       results folder (default: bench/results in the workspace)
  --echo      print every service log line
  --profile   write V8 CPU profiles of every service and the sandbox, and sample PostgreSQL's active statements`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const scenarios: ScenarioName[] = [];
  let quick = false;
  let full = false;
  let repeats: number | undefined;
  let outDir: string | undefined;
  let echo = false;
  let profile = false;
  let help = false;
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = () => {
      if (inline !== undefined) return inline;
      const v = value(i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case '--scenario':
      case '--scenarios':
        for (const name of take().split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!(SCENARIO_NAMES as readonly string[]).includes(name)) throw new Error(`unknown scenario "${name}" (known: ${SCENARIO_NAMES.join(', ')})`);
          if (!scenarios.includes(name as ScenarioName)) scenarios.push(name as ScenarioName);
        }
        break;
      case '--quick':
        quick = true;
        break;
      case '--full':
        full = true;
        break;
      case '--repeats': {
        const raw = take();
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 1 || n > 20) throw new Error(`--repeats must be an integer from 1 to 20, got "${raw}"`);
        repeats = n;
        break;
      }
      case '--out':
        outDir = take();
        break;
      case '--echo':
        echo = true;
        break;
      case '--profile':
        profile = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new Error(`unknown argument "${arg}"\n${USAGE}`);
    }
  }
  if (quick && full) throw new Error('--quick and --full exclude each other');
  return { scenarios: scenarios.length ? scenarios : [...SCENARIO_NAMES], mode: quick ? 'quick' : full ? 'full' : 'default', repeats, outDir, echo, profile, help };
}
