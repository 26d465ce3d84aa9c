import { SCENARIO_SIZES, scaled } from '../core/bench-sizes';
import { RunMetrics, ScenarioReport, ScenarioResult } from '../core/results';
import { BenchContext } from '../core/scenario-context';
import { percentile } from '../core/stats';
import { BenchStack, startBenchStack, sandboxOf } from '../infra/bench-stack';
import { changeLatencies, ChangeLatencies } from '../infra/change-latency';
import { sleep } from '../infra/committed-rows';
import { runFullSync } from '../infra/full-sync';
import { seedPortal } from '../infra/portals';

const SEARCH_LAG_MAX_S = 2;
const CHANGES_PER_S = 20;
const LIVE_SECONDS = 120;
/** The fetcher's default bleeding-edge interval (EDGE_INTERVAL_MS), set explicitly so it is recorded. */
const EDGE_INTERVAL_MS = 5_000;
/** Webhook phase: edge sweeps pushed out of the window, so only webhook-driven fetches count. */
const WEBHOOK_PHASE_EDGE_INTERVAL_MS = 3_600_000;
const LIVE_TYPES = ['contacts', 'companies', 'deals'];
const LIVE_MIX = { create: 0.2, update: 0.8 };
const SEED = 8003;
export const FRESHNESS_KNOBS = { limitsEnabled: true, burstLimit: null, dailyLimit: null, latencyMedianMs: 0, latencyP99Ms: 0, searchLagMaxSeconds: SEARCH_LAG_MAX_S, webhookBatchWindowMs: 200 };

/**
 * issue 8 §3: live changes in the sandbox (20/s, search index lagging up to 2 s) and how long each
 * takes to become a committed row in the mirror and in the mapped model — first through the
 * fetcher's polling sweeps, then through webhooks (sync-api intake, edge sweeps pushed out).
 */
export async function runFreshness(ctx: BenchContext): Promise<ScenarioResult> {
  const report = new ScenarioReport('freshness', ctx.meta);
  const sizes = scaled(SCENARIO_SIZES.freshness, ctx.factor);
  const liveSeconds = Math.max(10, Math.round(LIVE_SECONDS * ctx.factor));
  const fetcherEnv = { INCREMENTAL_ENABLED: 'true', EDGE_INTERVAL_MS: String(EDGE_INTERVAL_MS) };
  Object.assign(report.sizes, { per_object_type: sizes, live_seconds: liveSeconds, changes_per_s: CHANGES_PER_S, live_types: LIVE_TYPES, live_mix: LIVE_MIX });
  Object.assign(report.knobs, { sandbox: FRESHNESS_KNOBS, fetcher: fetcherEnv, webhook_phase_fetcher: { EDGE_INTERVAL_MS: String(WEBHOOK_PHASE_EDGE_INTERVAL_MS) }, seed: SEED, connect: 'OAuth install of a public app with webhooks' });
  report.set('search_lag_max_ms', SEARCH_LAG_MAX_S * 1000);
  report.set('edge_interval_ms', EDGE_INTERVAL_MS);
  report.set('poll_target_p95_ms', SEARCH_LAG_MAX_S * 1000 + 2 * EDGE_INTERVAL_MS + 1000);

  const bs = await startBenchStack({ appEnv: { fetcher: fetcherEnv }, echo: ctx.options.echo, processEnv: ctx.profileEnv('freshness'), log: ctx.log });
  try {
    if (bs.servicesError) throw new Error(`services did not start: ${bs.servicesError}`);
    const { stack } = bs;
    const admin = sandboxOf(stack).admin;
    await admin.setKnobs(null, FRESHNESS_KNOBS);
    // An app of our own, so sync-api can hold its id and developer key (webhook subscriptions), and the
    // services restarted with it.
    const app = await admin.createApp({ appType: 'public', redirectUris: [stack.hubspotApp.redirectUri] });
    const appEnv = { HUBSPOT_CLIENT_ID: app.clientId, HUBSPOT_CLIENT_SECRET: app.clientSecret };
    await stack.restart('auth-gateway', appEnv);
    await stack.restart('fetcher', appEnv);
    await stack.restart('sync-api', {
      ...appEnv,
      HUBSPOT_APP_ID: String(app.appId),
      HUBSPOT_DEVELOPER_API_KEY: app.developerApiKey,
      WEBHOOK_PUBLIC_URL: `${stack.urls['sync-api']}/api/integrations/hubspot/webhooks`,
    });

    const seeded = await seedPortal(admin, sizes, SEED);
    const sync = await runFullSync(bs, seeded, { connect: 'oauth', label: 'freshness', timeoutMs: 20 * 60_000, stallMs: 120_000, log: ctx.log });
    if (sync.wallS === null) throw new Error(`the initial sync never completed: ${sync.failures.join('; ')}`);
    const org = sync.tenant.organizationUid;
    const metrics: RunMetrics = {};

    ctx.log(`freshness: polling phase, ${CHANGES_PER_S} changes/s for ${liveSeconds} s`);
    const poll = await livePhase(ctx, bs, seeded.portalId, org, liveSeconds);
    Object.assign(metrics, summarize('poll', poll));
    if (poll.mirror.length === 0) report.missing('poll_p95_ms', `none of ${poll.changed} changes reached the mirror`);
    else if (poll.mirror.length < poll.changed) report.note(`poll: ${poll.changed - poll.mirror.length} of ${poll.changed} changes had not reached the mirror when measuring stopped (not in the percentiles)`);

    ctx.log('freshness: webhook phase');
    const subscribe = await fetch(`${stack.urls['sync-api']}/api/integrations/hubspot/webhooks/subscribe`, {
      method: 'POST',
      headers: { 'x-api-key': sync.tenant.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    if (!subscribe.ok) {
      report.missing('webhook_p95_ms', `POST /api/integrations/hubspot/webhooks/subscribe answered ${subscribe.status}: ${(await subscribe.text()).slice(0, 300)}`);
    } else {
      await stack.restart('fetcher', { EDGE_INTERVAL_MS: String(WEBHOOK_PHASE_EDGE_INTERVAL_MS) });
      const hook = await livePhase(ctx, bs, seeded.portalId, org, liveSeconds);
      Object.assign(metrics, summarize('webhook', hook));
      // Proof the phase ran on webhooks: the sandbox's delivery log (its last 200 attempts) and their answers.
      const deliveries = (await admin.webhookDeliveries(app.appId)).results;
      metrics['webhook_deliveries_logged'] = deliveries.length;
      const ok = deliveries.filter((d) => /^2\d\d$/.test(String(d['status'] ?? '')));
      metrics['webhook_deliveries_2xx'] = ok.length;
      metrics['webhook_events_delivered'] = ok.reduce((a, d) => a + Number(d['events'] ?? 0), 0);
      if (hook.mirror.length === 0) report.missing('webhook_p95_ms', `none of ${hook.changed} changes reached the mirror through webhooks`);
      else if (hook.mirror.length < hook.changed) report.note(`webhook: ${hook.changed - hook.mirror.length} of ${hook.changed} changes had not reached the mirror when measuring stopped`);
    }
    report.addRun(metrics);
    report.note('Changes not in the mirror when measuring stopped are left out of the percentiles (counts: *_changes vs *_synced). Webhooks fire only for the subscribed properties (sync-api DEFAULT_SUBSCRIPTIONS), so live updates of other properties wait for a sweep.');
    report.note('Latency = committed row timestamp (hubspot.objects.synced_at / stanna mapped_at, the writing transaction\'s start) − the change\'s updatedAt in the sandbox, per changed record (its last change).');
    return report.finish();
  } catch (error) {
    report.error((error as Error).stack ?? String(error));
    return report.finish(true);
  } finally {
    await bs.stop();
  }
}

/** Runs live mode for `seconds`, then waits (bounded) until every change is in the mirror and measures. */
async function livePhase(ctx: BenchContext, bs: BenchStack, portalId: number, org: string, seconds: number): Promise<ChangeLatencies> {
  const admin = sandboxOf(bs.stack).admin;
  const since = Date.now();
  await admin.live(portalId, { ratePerSecond: CHANGES_PER_S, seed: SEED, mix: LIVE_MIX, objectTypes: LIVE_TYPES });
  await sleep(seconds * 1000);
  await admin.live(portalId, { ratePerSecond: 0 });
  // Long enough for the lag, two edge intervals and the pipeline; stops early once everything arrived.
  const deadline = Date.now() + SEARCH_LAG_MAX_S * 1000 + 2 * EDGE_INTERVAL_MS + 30_000;
  let result = await changeLatencies(bs.db, admin, portalId, org, LIVE_TYPES, since);
  while (result.mirror.length < result.changed && Date.now() < deadline) {
    await sleep(2000);
    result = await changeLatencies(bs.db, admin, portalId, org, LIVE_TYPES, since);
  }
  ctx.log(`freshness: ${result.mirror.length}/${result.changed} changes in the mirror, ${result.mapped.length} in the mapped model`);
  return result;
}

function summarize(prefix: 'poll' | 'webhook', l: ChangeLatencies): RunMetrics {
  return {
    [`${prefix}_changes`]: l.changed,
    [`${prefix}_synced`]: l.mirror.length,
    [`${prefix}_p50_ms`]: percentile(l.mirror, 50),
    [`${prefix}_p95_ms`]: percentile(l.mirror, 95),
    [`${prefix}_p99_ms`]: percentile(l.mirror, 99),
    [`${prefix}_mapped_p50_ms`]: percentile(l.mapped, 50),
    [`${prefix}_mapped_p95_ms`]: percentile(l.mapped, 95),
  };
}
