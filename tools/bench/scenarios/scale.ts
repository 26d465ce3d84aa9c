import { AppProcess } from '@hubsync/test-stack';
import { freePort } from '@hubsync/testing';
import { SCENARIO_SIZES, scaled } from '../core/bench-sizes';
import { ScenarioReport, ScenarioResult } from '../core/results';
import { BenchContext } from '../core/scenario-context';
import { ratio } from '../core/stats';
import { BenchStack, createTenant, sandboxOf, startBenchStack, Tenant } from '../infra/bench-stack';
import { mirrorRows, sleep, waitForCount } from '../infra/committed-rows';
import { connectOAuth, SeededPortal, seedPortal, startFullSync, startFullSyncWhenIdle } from '../infra/portals';
import { processMaps, sampleStack } from '../infra/stack-sampler';
import { DEFAULT_SHARE, PUBLIC_BURST_PER_10S, THROTTLED_KNOBS } from './throttled';

const PORTALS = 12;
const MAX_PORTALS = 4;
const FETCHER_COUNTS = [1, 2, 3];
const SEED = 8004;
/** The fetcher's lease and sweep defaults (apps/fetcher/src/config/fetcher.config.ts), recorded with the adoption time. */
const LEASE_TTL_MS = 15_000;
const ADOPTION_SWEEP_INTERVAL_MS = 5_000;

interface Portal {
  seeded: SeededPortal;
  tenant: Tenant;
}

/**
 * issue 8 §4: 12 portals under public-app limits, FETCHER_MAX_PORTALS=4, with 1, 2 and 3 fetcher
 * processes (a fresh stack each): aggregate committed mirror rows per second, the ratios, the
 * highest share of a portal's 10-second limit any window reached (sandbox counters), and — in the
 * 2-fetcher stack, after its measurement — how long a SIGKILLed fetcher's portals take to be adopted
 * (sync.fetch_portals.driver changing to a live fetcher).
 */
export async function runScale(ctx: BenchContext): Promise<ScenarioResult> {
  const report = new ScenarioReport('scale', ctx.meta);
  const sizes = scaled(SCENARIO_SIZES.scale, ctx.factor);
  const fetcherEnv = { FETCHER_MAX_PORTALS: String(MAX_PORTALS), INCREMENTAL_ENABLED: 'false', HUBSPOT_RATE_SHARE: String(DEFAULT_SHARE), LEASE_TTL_MS: String(LEASE_TTL_MS), ADOPTION_SWEEP_INTERVAL_MS: String(ADOPTION_SWEEP_INTERVAL_MS) };
  Object.assign(report.sizes, { portals: PORTALS, per_portal: sizes });
  Object.assign(report.knobs, { sandbox: THROTTLED_KNOBS, fetcher: fetcherEnv, fetcher_counts: FETCHER_COUNTS, seed: SEED, connect: 'OAuth install of a public app', configured_share: DEFAULT_SHARE });
  const perCount: Record<string, number | null> = {};
  const shares: number[] = [];
  try {
    for (const fetchers of FETCHER_COUNTS) {
      const bs = await startBenchStack({ appEnv: { fetcher: { ...fetcherEnv, FETCHER_ID: 'bench-fetcher-1' } }, echo: ctx.options.echo, processEnv: ctx.profileEnv('scale'), log: ctx.log });
      const extra: AppProcess[] = [];
      try {
        if (bs.servicesError) throw new Error(`services did not start: ${bs.servicesError}`);
        const admin = sandboxOf(bs.stack).admin;
        await admin.setKnobs(null, THROTTLED_KNOBS);
        const sampler = sampleStack(bs.stack);
        for (let n = 2; n <= fetchers; n++) {
          const port = await freePort();
          const base = bs.stack.apps.fetcher?.env ?? {};
          const proc = new AppProcess({ app: 'fetcher', port, env: { ...base, PORT: String(port), FETCHER_ID: `bench-fetcher-${n}` }, onLine: (_a, line) => bs.stack.logs.push(`fetcher-${n}`, line) });
          await proc.start();
          extra.push(proc);
          sampler.track(`fetcher-${n}`, () => proc.process?.pid);
        }
        const portals: Portal[] = [];
        for (let p = 0; p < PORTALS; p++) {
          const seeded = await seedPortal(admin, sizes, SEED + p);
          const tenant = await createTenant(bs.db, `scale-${fetchers}-${p}`);
          await connectOAuth(bs.stack, tenant, seeded.portalId);
          await admin.resetCounters(seeded.portalId);
          portals.push({ seeded, tenant });
        }
        const total = portals.reduce((a, p) => a + p.seeded.records, 0);
        report.sizes['records_seeded'] = total;
        ctx.log(`scale: ${fetchers} fetcher(s), ${PORTALS} portals, ${total} records`);
        const t0 = Date.now();
        for (const p of portals) await startFullSync(bs.stack, p.tenant);
        const done = await waitForCount({
          label: `scale ${fetchers} fetcher(s) mirror rows`,
          target: total,
          count: async () => (await Promise.all(portals.map((p) => mirrorRows(bs.db, p.tenant.organizationUid)))).reduce((a, b) => a + b, 0),
          timeoutMs: 40 * 60_000,
          stallMs: 120_000,
          log: ctx.log,
        });
        sampler.stop();
        if (done.reason) report.error(`${fetchers} fetcher(s): ${done.reason}`);
        const wall = done.reachedAt ? (done.reachedAt - t0) / 1000 : null;
        perCount[String(fetchers)] = wall ? total / wall : null;
        let maxWindow = 0;
        for (const p of portals) maxWindow = Math.max(maxWindow, (await admin.counters(p.seeded.portalId)).maxWindowRequests);
        const share = ratio(maxWindow, PUBLIC_BURST_PER_10S);
        if (share !== null) shares.push(share);
        report.set(`max_window_share_${fetchers}`, share);
        report.set(`wall_s_${fetchers}`, wall);
        const maps = processMaps(sampler);
        report.set(`peak_rss_mb_${fetchers}`, maps.peak_rss_mb);
        report.set(`cpu_s_${fetchers}`, maps.cpu_s);
        if (fetchers === 2) await measureAdoption(ctx, report, bs, portals, extra[0]);
      } finally {
        await Promise.all(extra.map((p) => p.stop()));
        await bs.stop();
      }
    }
    report.set('records_per_s', perCount);
    report.set('ratio_2_1', ratio(perCount['2'], perCount['1']));
    report.set('ratio_3_1', ratio(perCount['3'], perCount['1']));
    report.set('max_window_share', shares.length ? Math.max(...shares) : null);
    return report.finish();
  } catch (error) {
    report.error((error as Error).stack ?? String(error));
    return report.finish(true);
  }
}

/**
 * New full syncs for every portal, then SIGKILL fetcher 2 once it drives at least one of them;
 * adoption time = kill → every portal it drove has another driver in sync.fetch_portals.
 */
async function measureAdoption(ctx: BenchContext, report: ScenarioReport, bs: BenchStack, portals: Portal[], victim: AppProcess | undefined): Promise<void> {
  if (!victim) return;
  for (const p of portals) await startFullSyncWhenIdle(bs.stack, p.tenant);
  const victimId = 'bench-fetcher-2';
  let driven: string[] = [];
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    driven = (await bs.db.query<{ portal_id: string }>(`SELECT portal_id FROM sync.fetch_portals WHERE driver = $1`, [victimId])).rows.map((r) => r.portal_id);
    if (driven.length > 0) break;
    await sleep(500);
  }
  if (driven.length === 0) {
    report.missing('adoption_s', `${victimId} never drove a portal within 120 s (sync.fetch_portals.driver)`);
    return;
  }
  const killedAt = Date.now();
  await victim.kill();
  ctx.log(`scale: SIGKILLed ${victimId} driving ${driven.length} portal(s)`);
  const adoptedAt = new Map<string, number>();
  const until = killedAt + 180_000;
  while (adoptedAt.size < driven.length && Date.now() < until) {
    const rows = (await bs.db.query<{ portal_id: string; driver: string | null }>(`SELECT portal_id, driver FROM sync.fetch_portals WHERE portal_id = ANY($1)`, [driven])).rows;
    for (const r of rows) if (r.driver && r.driver !== victimId && !adoptedAt.has(r.portal_id)) adoptedAt.set(r.portal_id, Date.now());
    await sleep(200);
  }
  const times = [...adoptedAt.values()].map((t) => (t - killedAt) / 1000);
  report.set('adoption_s', times.length === driven.length ? Math.max(...times) : null);
  report.set('adoption_portals', driven.length);
  if (times.length < driven.length) report.missing('adoption_s', `${driven.length - times.length} of ${driven.length} portals were not adopted within 180 s of the SIGKILL`);
  report.knobs['adoption_basis'] = `LEASE_TTL_MS ${LEASE_TTL_MS}, ADOPTION_SWEEP_INTERVAL_MS ${ADOPTION_SWEEP_INTERVAL_MS}; time from SIGKILL to the last of its portals showing another driver`;
}
