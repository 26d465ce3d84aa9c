import { BaselineConfig, BaselineResult } from '../baselines/baseline-types';
import { runBaseline } from '../baselines/run-baseline';
import { SCENARIO_SIZES, scaled } from '../core/bench-sizes';
import { BenchContext } from '../core/scenario-context';
import { RunMetrics, ScenarioReport, ScenarioResult } from '../core/results';
import { ratio } from '../core/stats';
import { startBenchStack, sandboxOf } from '../infra/bench-stack';
import { runFullSync } from '../infra/full-sync';
import { BENCH_SCOPES, seedPortal } from '../infra/portals';
import { PgActivitySampler } from '../infra/pg-activity-sampler';
import { processMaps, sampleStack } from '../infra/stack-sampler';

/** Limits and latency off; the sandbox still sends rate-limit headers, advertising these huge limits, so the fetcher's limiter learns them. */
export const UNTHROTTLED_KNOBS = { limitsEnabled: false, burstLimit: 1_000_000, dailyLimit: 1_000_000_000, latencyMedianMs: 0, latencyP99Ms: 0, searchLagMaxSeconds: 0 };

/** Service settings of this scenario (recorded in the result). Continuous sweeps off: a backfill is measured, and repeats use fresh portals. */
export const UNTHROTTLED_SERVICE_ENV = { fetcher: { INCREMENTAL_ENABLED: 'false' } };

/** The fetcher's default FETCH_CONCURRENCY (apps/fetcher/src/config/fetcher.config.ts); fetch_only reads with the same. */
export const FETCH_CONCURRENCY = 3;
const SEED = 8001;

/**
 * issue 8 §1: the full sync end to end (mirror and mapped model) next to three baselines over the
 * same data — naive (SDK getAll + TypeORM save), fetch_only (the fetcher's read path, discarded) and
 * write_only (one COPY into a table indexed like the mirror).
 */
export async function runUnthrottled(ctx: BenchContext): Promise<ScenarioResult> {
  const report = new ScenarioReport('unthrottled', ctx.meta);
  const sizes = scaled(SCENARIO_SIZES.unthrottled, ctx.factor);
  const repeats = ctx.repeats({ quick: 3, default: 1, full: 1 });
  Object.assign(report.sizes, { per_object_type: sizes });
  Object.assign(report.knobs, { sandbox: UNTHROTTLED_KNOBS, services: UNTHROTTLED_SERVICE_ENV, fetch_concurrency: FETCH_CONCURRENCY, naive_time_box_s: 30, seed: SEED, connect: 'private app token (Professional)' });

  const bs = await startBenchStack({ appEnv: UNTHROTTLED_SERVICE_ENV, echo: ctx.options.echo, processEnv: ctx.profileEnv('unthrottled'), log: ctx.log });
  try {
    const admin = sandboxOf(bs.stack).admin;
    report.knobs['sandbox_effective'] = await admin.setKnobs(null, UNTHROTTLED_KNOBS);
    if (bs.servicesError) {
      for (const key of ['records', 'wall_s', 'records_per_s', 'requests', 'requests_per_record']) report.missing(key, `services did not start: ${bs.servicesError.split('\n')[0]}`);
    }
    for (let i = 1; i <= repeats; i++) {
      ctx.log(`unthrottled run ${i}/${repeats}: seeding ${Object.values(sizes).reduce((a, b) => a + b, 0)} records`);
      const seeded = await seedPortal(admin, sizes, SEED);
      report.sizes['records_seeded'] = seeded.records;
      report.sizes['associations_seeded'] = seeded.seed.associations;
      const metrics: RunMetrics = { seed_s: seeded.seedSeconds };
      const rss: Record<string, number | null> = {};
      const cpu: Record<string, number | null> = {};

      const { token } = await admin.createPrivateAppToken(seeded.portalId, BENCH_SCOPES);
      const config: BaselineConfig = {
        kind: 'naive',
        sandboxUrl: sandboxOf(bs.stack).url,
        token,
        portalId: seeded.portalId,
        databaseUrl: bs.stack.databaseUrl,
        objectTypes: Object.keys(sizes),
        fetchConcurrency: FETCH_CONCURRENCY,
        timeBoxSeconds: 30,
        tempDir: ctx.tempDir,
      };
      const baseline = async (kind: BaselineConfig['kind'], extra: Partial<BaselineConfig> = {}) => {
        ctx.log(`unthrottled run ${i}: baseline ${kind}`);
        try {
          const result: BaselineResult = await runBaseline({ ...config, ...extra, kind }, 30 * 60_000);
          metrics[`${kind}_records_per_s`] = result.records_per_s;
          metrics[`${kind}_records`] = result.records;
          metrics[`${kind}_s`] = result.seconds;
          if (result.requests !== undefined) metrics[`${kind}_requests`] = result.requests;
          for (const [k, v] of Object.entries(result.details)) if (typeof v === 'number') metrics[`${kind}_${k}`] = v;
          report.knobs[`${kind}_method`] = result.method;
          rss[kind] = result.peak_rss_mb;
          cpu[kind] = result.cpu_s;
        } catch (error) {
          report.error(`run ${i} ${kind}: ${(error as Error).message.slice(0, 1500)}`);
          report.missing(`${kind}_records_per_s`, (error as Error).message.split('\n')[0]);
        }
      };
      await baseline('naive');
      await baseline('fetch_only');
      // write_only runs after the full sync so it can take its rows from the mirror (no second read of the sandbox).
      let mirrorOrganizationUid: string | undefined;

      if (!bs.servicesError) {
        ctx.log(`unthrottled run ${i}: full sync through the services`);
        const sampler = sampleStack(bs.stack);
        const pgProfile = ctx.options.profile ? new PgActivitySampler(bs.db) : undefined;
        pgProfile?.start();
        try {
          const sync = await runFullSync(bs, seeded, { connect: 'private', label: `unthrottled-${i}`, timeoutMs: 30 * 60_000, stallMs: 120_000, log: ctx.log });
          sampler.stop();
          if (pgProfile) report.attachProfile(`run_${i}_postgres_active_statements`, pgProfile.stop());
          if (sync.wallS !== null && sync.mirrorRows === seeded.records) mirrorOrganizationUid = sync.tenant.organizationUid;
          const counters = await admin.counters(seeded.portalId);
          const maps = processMaps(sampler);
          Object.assign(rss, maps.peak_rss_mb);
          Object.assign(cpu, maps.cpu_s);
          for (const f of sync.failures) report.error(`run ${i}: ${f}`);
          metrics['records'] = sync.wallS !== null ? sync.mirrorRows : null;
          metrics['wall_s'] = sync.wallS;
          metrics['records_per_s'] = sync.wallS ? sync.mirrorRows / sync.wallS : null;
          metrics['mapped_records'] = sync.mappedRows;
          metrics['mapped_skipped'] = sync.skipped;
          metrics['mapped_wall_s'] = sync.mappedWallS;
          metrics['mapped_records_per_s'] = sync.mappedWallS ? sync.target / sync.mappedWallS : null;
          metrics['associations'] = sync.associations;
          metrics['requests'] = counters.requests;
          metrics['http_429'] = counters.http429;
          metrics['requests_per_record'] = sync.wallS !== null ? ratio(counters.requests, sync.target) : null;
          if (sync.wallS === null) {
            const why = brief(sync.failures[0] ?? 'the mirror never reached the ground truth');
            for (const key of ['records', 'wall_s', 'records_per_s', 'requests_per_record']) report.missing(key, `run ${i}: ${why}`);
          }
          if (sync.mappedWallS === null) report.missing('mapped_wall_s', `run ${i}: ${brief(sync.failures.find((f) => f.includes('mapped')) ?? 'the mapped model never reached the ground truth')}`);
        } catch (error) {
          sampler.stop();
          pgProfile?.stop();
          report.error(`run ${i} full sync: ${(error as Error).message.slice(0, 1500)}`);
          for (const key of ['records', 'wall_s', 'records_per_s', 'requests_per_record']) report.missing(key, `run ${i}: ${brief((error as Error).message)}`);
        }
      }
      await baseline('write_only', { mirrorOrganizationUid });
      metrics['peak_rss_mb'] = rss;
      metrics['cpu_s'] = cpu;
      metrics['records_seeded'] = seeded.records;
      report.addRun(metrics);
      await admin.deletePortal(seeded.portalId).catch(() => undefined);
    }
    report.note('records/wall_s/records_per_s: mirror rows (hubspot.objects) committed, from POST /api/ingest/run to the last row seen by a polling reader (±0.2 s); mapped_*: Stanna rows + skipped records.');
    report.note('peak_rss_mb: VmHWM of each process (postgres: sum of VmRSS over postmaster + backends, overstated by shared buffers); baselines: their own getrusage. cpu_s of services: during the full sync only.');
    return report.finish();
  } catch (error) {
    report.error((error as Error).stack ?? String(error));
    return report.finish(true);
  } finally {
    await bs.stop();
  }
}

/** First line of a reason, short enough for the table (the whole text is in `errors`). */
function brief(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 240 ? `${line.slice(0, 240)}…` : line;
}
