/** Everything a chaos run varies; `full` is `npm run chaos`, `short` the variant in `npm test`. */
export interface ChaosOptions {
  profile: 'full' | 'short';
  seed: number;
  /** Length of the phase with live changes and faults. */
  minutes: number;
  /** Search-index lag: a write becomes searchable after up to this many seconds. */
  searchLagSeconds: number;
  /** Share of HubSpot requests answered 500/502/503/504. */
  errorRate: number;
  /** Share of HubSpot requests whose connection is reset. */
  resetRate: number;
  /** Seconds between the starts of 429 storms, and each storm's length. */
  stormEverySeconds: number;
  stormSeconds: number;
  tokenLifetimeSeconds: number;
  /** Live-mode changes per second (creates, updates, archives, association changes). */
  liveRatePerSecond: number;
  /** Merges issued through HubSpot's merge API during the run. */
  merges: number;
  fetcherKills: number;
  mapperKills: number;
  /** Fetchers at the peak of the 1 → N → 1 scaling. */
  peakFetchers: number;
  sizes: Record<string, number>;
  customObject: { name: string; count: number };
  /** How long the pipeline may take to converge once changes stop. */
  settleTimeoutSeconds: number;
  initialLoadTimeoutSeconds: number;
  /** Where the result JSON goes (also copied to `latest.json` beside it). */
  outDir: string;
  echo: boolean;
}

export const FULL_DEFAULTS: Omit<ChaosOptions, 'seed' | 'outDir' | 'echo'> = {
  profile: 'full',
  minutes: 10,
  searchLagSeconds: 30,
  errorRate: 0.05,
  resetRate: 0.02,
  stormEverySeconds: 120,
  stormSeconds: 12,
  tokenLifetimeSeconds: 60,
  liveRatePerSecond: 4,
  merges: 6,
  fetcherKills: 3,
  mapperKills: 2,
  peakFetchers: 3,
  sizes: { contacts: 600, companies: 200, deals: 150, meetings: 80, calls: 80 },
  customObject: { name: 'machines', count: 100 },
  settleTimeoutSeconds: 420,
  initialLoadTimeoutSeconds: 300,
};

/** ≤ 4 minutes end to end on a 2-core machine: one of each fault, smaller lag and data. */
export const SHORT_DEFAULTS: Omit<ChaosOptions, 'seed' | 'outDir' | 'echo'> = {
  profile: 'short',
  minutes: 1.25,
  searchLagSeconds: 5,
  errorRate: 0.05,
  resetRate: 0.02,
  stormEverySeconds: 60,
  stormSeconds: 6,
  tokenLifetimeSeconds: 60,
  liveRatePerSecond: 3,
  merges: 2,
  fetcherKills: 1,
  mapperKills: 1,
  peakFetchers: 2,
  sizes: { contacts: 120, companies: 40, deals: 30, meetings: 20 },
  customObject: { name: 'machines', count: 25 },
  settleTimeoutSeconds: 100,
  initialLoadTimeoutSeconds: 90,
};

export const USAGE = `npm run chaos [-- --minutes N] [--seed S] [--short] [--out DIR] [--echo]
  --minutes N   length of the live-change and fault phase (default 10; --short: 1.25)
  --seed S      seed of data, live changes and fault plan (default 1)
  --short       the small profile npm test runs (smaller data, lag 5 s, one of each fault)
  --out DIR     results folder (default chaos/results); writes <DIR>/seed-<S>.json and <DIR>/latest.json
  --echo        print every service log line`;

export function parseChaosArgs(argv: string[], defaultsOutDir = 'chaos/results'): ChaosOptions {
  let profile: 'full' | 'short' = 'full';
  let minutes: number | undefined;
  let seed = 1;
  let outDir = defaultsOutDir;
  let echo = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--minutes': {
        minutes = Number(value());
        if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 240) throw new Error('--minutes must be a number between 0 and 240');
        break;
      }
      case '--seed': {
        seed = Number(value());
        if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31) throw new Error('--seed must be a non-negative integer');
        break;
      }
      case '--short':
        profile = 'short';
        break;
      case '--out':
        outDir = value();
        break;
      case '--echo':
        echo = true;
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  const base = profile === 'short' ? SHORT_DEFAULTS : FULL_DEFAULTS;
  return { ...base, seed, outDir, echo, minutes: minutes ?? base.minutes };
}
