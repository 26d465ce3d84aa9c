import { ChaosOptions } from './chaos-options';
import { SeededRandom } from './seeded-random';

export type FaultKind =
  | 'kill-fetcher'
  | 'kill-mapper'
  | 'restart-nats'
  | 'restart-postgres'
  | 'scale-fetchers'
  | 'storm-429'
  | 'revoke-and-reconnect'
  | 'merge';

export interface PlannedFault {
  /** Seconds after the change phase starts. */
  at: number;
  kind: FaultKind;
  /** kill-*: seconds the process stays dead; scale-fetchers: target count; storm: seconds; merge: index. */
  value: number;
}

/**
 * The deterministic fault schedule of a run: the same seed and options give the same list. Kills
 * are spread over the middle of the phase, the infrastructure restarts and the token revocation
 * once each, fetchers scale 1 → peak at 30 % and back to 1 at 70 %, 429 storms recur.
 */
export function planFaults(options: Pick<ChaosOptions, 'minutes' | 'seed' | 'fetcherKills' | 'mapperKills' | 'peakFetchers' | 'stormEverySeconds' | 'stormSeconds' | 'merges'>): PlannedFault[] {
  const rng = new SeededRandom(options.seed).fork('faults');
  const d = options.minutes * 60;
  const plan: PlannedFault[] = [];
  const within = (from: number, to: number) => Math.round(rng.between(from * d, to * d) * 10) / 10;

  plan.push({ at: within(0.04, 0.1), kind: 'revoke-and-reconnect', value: 0 });
  plan.push({ at: within(0.15, 0.25), kind: 'restart-nats', value: 0 });
  plan.push({ at: 0.3 * d, kind: 'scale-fetchers', value: options.peakFetchers });
  plan.push({ at: within(0.45, 0.55), kind: 'restart-postgres', value: 0 });
  plan.push({ at: 0.7 * d, kind: 'scale-fetchers', value: 1 });
  for (let i = 0; i < options.fetcherKills; i++) {
    const slot = 0.1 + (0.8 * i) / options.fetcherKills;
    plan.push({ at: within(slot, slot + 0.8 / options.fetcherKills), kind: 'kill-fetcher', value: rng.int(1, 5) });
  }
  for (let i = 0; i < options.mapperKills; i++) {
    const slot = 0.12 + (0.78 * i) / options.mapperKills;
    plan.push({ at: within(slot, slot + 0.78 / options.mapperKills), kind: 'kill-mapper', value: rng.int(1, 5) });
  }
  for (let start = rng.between(0.1, 0.5) * options.stormEverySeconds; start < d - options.stormSeconds; start += options.stormEverySeconds) {
    plan.push({ at: Math.round(start * 10) / 10, kind: 'storm-429', value: options.stormSeconds });
  }
  for (let i = 0; i < options.merges; i++) plan.push({ at: within(0.05, 0.9), kind: 'merge', value: i });
  return plan.sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind));
}
