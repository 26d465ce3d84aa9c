import { SERVICE_APPS } from '@hubsync/test-stack';
import { SCENARIO_SIZES, scaled, totalOf } from '../core/bench-sizes';
import { ScenarioReport, ScenarioResult } from '../core/results';
import { BenchContext } from '../core/scenario-context';
import { ratio } from '../core/stats';
import { startBenchStack, sandboxOf } from '../infra/bench-stack';
import { runFullSync } from '../infra/full-sync';
import { seedPortal } from '../infra/portals';
import { processMaps, sampleStack } from '../infra/stack-sampler';
import { UNTHROTTLED_KNOBS } from './unthrottled';

const SEED = 8005;

/**
 * issue 8 §5: peak RSS of every process over a backfill of 100 k records and (with --full) 1 M,
 * each in a fresh stack so each process's high-water mark belongs to that backfill alone.
 * ratio = large ÷ small per service process (the sandbox, PostgreSQL and NATS are reported but not
 * part of it). Without --full the pair is 10 k → 100 k (the ratio's basis is recorded).
 */
export async function runMemory(ctx: BenchContext): Promise<ScenarioResult> {
  const report = new ScenarioReport('memory', ctx.meta);
  const large = ctx.mode === 'full' ? 10 : 1;
  const steps = [
    { key: ctx.mode === 'full' ? 'rss_100k_mb' : 'rss_10k_mb', sizes: scaled(SCENARIO_SIZES.memory, (ctx.factor * large) / 10) },
    { key: ctx.mode === 'full' ? 'rss_1m_mb' : 'rss_100k_mb', sizes: scaled(SCENARIO_SIZES.memory, ctx.factor * large) },
  ];
  const serviceEnv = { fetcher: { INCREMENTAL_ENABLED: 'false' } };
  Object.assign(report.sizes, Object.fromEntries(steps.map((s) => [s.key, totalOf(s.sizes)])));
  Object.assign(report.knobs, { sandbox: UNTHROTTLED_KNOBS, services: serviceEnv, seed: SEED, ratio_basis: `${steps[1].key} / ${steps[0].key}` });
  if (ctx.mode !== 'full') {
    report.missing('rss_1m_mb', 'the 1 M backfill runs only with --full');
    // Measured (fetcher, memoryUsage every 2 s): a 10 k backfill ends before V8's old generation
    // first fills up and is collected, so the smaller step's peak is short of the steady sawtooth
    // every longer backfill reaches, while the heap left after a full collection does not grow
    // (fetcher: ~40–46 MB during and after a 100 k backfill, ~47 MB at start).
    report.note(
      'without --full the ratio is 100 k / 10 k: a 10 k backfill ends before the services reach their steady heap sawtooth (heap warm-up), so it overstates growth; the issue ratio is 1 M / 100 k (--full)',
    );
  }
  if (ctx.mode === 'quick') report.note('--quick: every size is a tenth, so rss_100k_mb is measured at 10 k records and rss_10k_mb at 1 k');

  const measured: Record<string, Record<string, number | null>> = {};
  try {
    for (const step of steps) {
      const bs = await startBenchStack({ appEnv: serviceEnv, echo: ctx.options.echo, processEnv: ctx.profileEnv('memory'), log: ctx.log });
      try {
        if (bs.servicesError) throw new Error(`services did not start: ${bs.servicesError}`);
        const admin = sandboxOf(bs.stack).admin;
        await admin.setKnobs(null, UNTHROTTLED_KNOBS);
        const seeded = await seedPortal(admin, step.sizes, SEED);
        ctx.log(`memory: backfill of ${seeded.records} records`);
        const sampler = sampleStack(bs.stack, 500);
        const sync = await runFullSync(bs, seeded, { connect: 'private', label: `memory-${seeded.records}`, timeoutMs: 60 * 60_000, stallMs: 120_000, log: ctx.log });
        sampler.stop();
        for (const f of sync.failures) report.error(`${step.key}: ${f}`);
        measured[step.key] = processMaps(sampler).peak_rss_mb;
        report.set(step.key, measured[step.key]);
        report.set(`${step.key.replace('_mb', '')}_wall_s`, sync.wallS);
      } finally {
        await bs.stop();
      }
    }
    const [small, big] = steps.map((s) => measured[s.key]);
    const ratios: Record<string, number | null> = {};
    for (const app of SERVICE_APPS) ratios[app] = ratio(big?.[app], small?.[app]);
    report.set('ratio', ratios);
    const values = Object.values(ratios).filter((v): v is number => v !== null);
    report.set('ratio_max', values.length ? Math.max(...values) : null);
    return report.finish();
  } catch (error) {
    report.error((error as Error).stack ?? String(error));
    return report.finish(true);
  }
}
