import { SCENARIO_SIZES, scaled } from '../core/bench-sizes';
import { RunMetrics, ScenarioReport, ScenarioResult } from '../core/results';
import { BenchContext } from '../core/scenario-context';
import { ratio } from '../core/stats';
import { startBenchStack, sandboxOf } from '../infra/bench-stack';
import { fetchWindowSeconds } from '../infra/fetch-window';
import { runFullSync } from '../infra/full-sync';
import { seedPortal } from '../infra/portals';
import { RequestTimeline } from '../infra/request-timeline';
import { processMaps, sampleStack } from '../infra/stack-sampler';

/** Public-app limits as HubSpot sets them (110 / 10 s per portal, search 5 / s) and ~80 ms latency. */
export const THROTTLED_KNOBS = { limitsEnabled: true, burstLimit: null, dailyLimit: null, searchPerSecond: 5, latencyMedianMs: 80, latencyP99Ms: 250, searchLagMaxSeconds: 0 };
/** HubSpot's public-app burst limit (HUBSPOT-FACTS "Limits") and the fetcher's default share (HUBSPOT_RATE_SHARE). */
export const PUBLIC_BURST_PER_10S = 110;
export const DEFAULT_SHARE = 0.8;
const SEED = 8002;

/**
 * issue 8 §2: a full sync under public-app limits. budget = share × 110 / 10 s (DESIGN §5: 8.8 req/s);
 * achieved = general (non-search) requests the sandbox counted ÷ the window in which they happened
 * (sandbox counters polled every second: first rise → last rise); efficiency = achieved ÷ budget.
 */
export async function runThrottled(ctx: BenchContext): Promise<ScenarioResult> {
  const report = new ScenarioReport('throttled', ctx.meta);
  const sizes = scaled(SCENARIO_SIZES.throttled, ctx.factor);
  const repeats = ctx.repeats({ quick: 3, default: 1, full: 1 });
  const serviceEnv = { fetcher: { INCREMENTAL_ENABLED: 'false', HUBSPOT_RATE_SHARE: String(DEFAULT_SHARE) } };
  const budget = (DEFAULT_SHARE * PUBLIC_BURST_PER_10S) / 10;
  Object.assign(report.sizes, { per_object_type: sizes });
  Object.assign(report.knobs, { sandbox: THROTTLED_KNOBS, services: serviceEnv, seed: SEED, connect: 'OAuth install of a public app', budget_basis: `${DEFAULT_SHARE} × ${PUBLIC_BURST_PER_10S} / 10 s` });
  report.set('budget_req_per_s', budget);

  const bs = await startBenchStack({ appEnv: serviceEnv, echo: ctx.options.echo, processEnv: ctx.profileEnv('throttled'), log: ctx.log });
  try {
    const admin = sandboxOf(bs.stack).admin;
    report.knobs['sandbox_effective'] = await admin.setKnobs(null, THROTTLED_KNOBS);
    if (bs.servicesError) throw new Error(`services did not start: ${bs.servicesError}`);
    for (let i = 1; i <= repeats; i++) {
      const seeded = await seedPortal(admin, sizes, SEED);
      report.sizes['records_seeded'] = seeded.records;
      ctx.log(`throttled run ${i}/${repeats}: ${seeded.records} records`);
      const sampler = sampleStack(bs.stack);
      // runFullSync resets the portal's counters right before requesting the sync; the timeline starts from zero then.
      const timeline = new RequestTimeline(admin, [seeded.portalId]);
      const sync = await runFullSync(bs, seeded, { connect: 'oauth', label: `throttled-${i}`, timeoutMs: 40 * 60_000, stallMs: 120_000, log: ctx.log, onRequested: () => timeline.start() });
      sampler.stop();
      const active = timeline.stop();
      const counters = await admin.counters(seeded.portalId);
      for (const f of sync.failures) report.error(`run ${i}: ${f}`);
      const fetchS = await fetchWindowSeconds(bs.db, sync.runId);
      const general = counters.requests - counters.searchRequests;
      const achieved = active.activeSeconds ? active.requests / active.activeSeconds : null;
      const metrics: RunMetrics = {
        records: sync.mirrorRows,
        wall_s: sync.wallS,
        fetch_window_s: fetchS,
        request_window_s: active.activeSeconds,
        general_requests: general,
        requests: counters.requests,
        search_requests: counters.searchRequests,
        achieved_req_per_s: achieved,
        achieved_req_per_s_end_to_end: sync.wallS ? general / sync.wallS : null,
        efficiency: ratio(achieved, budget),
        http_429: counters.http429,
        max_window_share: ratio(counters.maxWindowRequests, PUBLIC_BURST_PER_10S),
        max_search_per_s: counters.maxSearchPerSecond,
        records_per_hour: sync.wallS ? (sync.mirrorRows / sync.wallS) * 3600 : null,
        mapped_wall_s: sync.mappedWallS,
        ...processMaps(sampler),
      };
      if (sync.wallS === null) report.missing('records_per_hour', sync.failures[0] ?? 'the mirror never reached the ground truth');
      if (achieved === null) report.missing('achieved_req_per_s', 'the sandbox counters never rose twice during the sync');
      report.addRun(metrics);
      await admin.deletePortal(seeded.portalId).catch(() => undefined);
    }
    return report.finish();
  } catch (error) {
    report.error((error as Error).stack ?? String(error));
    return report.finish(true);
  } finally {
    await bs.stop();
  }
}
