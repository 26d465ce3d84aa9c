import { FULL_DEFAULTS, SHORT_DEFAULTS } from './chaos-options';
import { planFaults } from './fault-plan';

describe('planFaults', () => {
  it('is the same for a seed and differs between seeds', () => {
    expect(planFaults({ ...FULL_DEFAULTS, seed: 5 })).toEqual(planFaults({ ...FULL_DEFAULTS, seed: 5 }));
    expect(planFaults({ ...FULL_DEFAULTS, seed: 5 })).not.toEqual(planFaults({ ...FULL_DEFAULTS, seed: 6 }));
  });

  it('has every fault the issue asks for, inside the change phase, in time order', () => {
    for (const options of [FULL_DEFAULTS, SHORT_DEFAULTS]) {
      const plan = planFaults({ ...options, seed: 11 });
      const kinds = new Set(plan.map((f) => f.kind));
      for (const kind of ['kill-fetcher', 'kill-mapper', 'restart-nats', 'restart-postgres', 'scale-fetchers', 'storm-429', 'revoke-and-reconnect', 'merge']) expect(kinds).toContain(kind);
      expect(plan.filter((f) => f.kind === 'restart-nats')).toHaveLength(1);
      expect(plan.filter((f) => f.kind === 'restart-postgres')).toHaveLength(1);
      expect(plan.filter((f) => f.kind === 'scale-fetchers').map((f) => f.value)).toEqual([options.peakFetchers, 1]);
      expect(plan.filter((f) => f.kind === 'kill-fetcher')).toHaveLength(options.fetcherKills);
      expect(plan.every((f, i) => f.at >= 0 && f.at <= options.minutes * 60 && (i === 0 || plan[i - 1].at <= f.at))).toBe(true);
    }
  });
});
