import { BenchStack, createTenant, Tenant, sandboxOf } from './bench-stack';
import { mappedRows, mirrorAssociations, mirrorRows, waitForCount } from './committed-rows';
import { BENCH_SCOPES, connectOAuth, connectPrivateApp, ingestStatus, SeededPortal, startFullSync } from './portals';

export interface FullSyncOptions {
  /** private: a private-app token (limits of a Professional private app); oauth: the public app's install. */
  connect: 'private' | 'oauth';
  label: string;
  timeoutMs: number;
  /** Give up when the mirror count has not moved for this long. */
  stallMs: number;
  log: (line: string) => void;
  /** Called right before the sync is requested (after the counters were reset). */
  onRequested?: () => void;
}

export interface FullSyncOutcome {
  tenant: Tenant;
  runId: string;
  /** Rows a complete sync commits (sandbox ground truth, live records). */
  target: number;
  mirrorRows: number;
  /** Seconds from the sync request to the last mirror row committed; null when it never completed. */
  wallS: number | null;
  mappedRows: number;
  skipped: number;
  /** Seconds to mapped + skipped = target; null when the mapped model never got there. */
  mappedWallS: number | null;
  associations: number;
  failures: string[];
}

/** Connects the seeded portal for a new organization, requests a full sync over REST and times the committed rows. */
export async function runFullSync(bs: BenchStack, seeded: SeededPortal, options: FullSyncOptions): Promise<FullSyncOutcome> {
  const { stack, db } = bs;
  const admin = sandboxOf(stack).admin;
  const tenant = await createTenant(db, options.label);
  if (options.connect === 'private') {
    const { token } = await admin.createPrivateAppToken(seeded.portalId, BENCH_SCOPES);
    await connectPrivateApp(stack, tenant, token);
  } else {
    await connectOAuth(stack, tenant, seeded.portalId);
  }
  await admin.resetCounters(seeded.portalId);
  const failures: string[] = [];
  options.onRequested?.();
  const t0 = Date.now();
  const runId = await startFullSync(stack, tenant);
  options.log(`${options.label}: full sync ${runId} requested for ${seeded.records} records`);
  const diagnose = async () => JSON.stringify(await ingestStatus(stack, tenant, runId)).slice(0, 1500);

  const mirror = await waitForCount({
    label: `${options.label} mirror rows`,
    target: seeded.records,
    count: () => mirrorRows(db, tenant.organizationUid),
    timeoutMs: options.timeoutMs,
    stallMs: options.stallMs,
    log: options.log,
    diagnose,
  });
  if (mirror.reason) failures.push(mirror.reason);
  const mappedCount = async () => {
    const m = await mappedRows(db, tenant.organizationUid);
    return m.mapped + m.skipped;
  };
  // The mapped model trails the mirror by at most a batch or two; if it has not moved for 30 s it is not coming.
  const mapped = await waitForCount({
    label: `${options.label} mapped rows (Stanna model + skipped)`,
    target: seeded.records,
    count: mappedCount,
    timeoutMs: Math.max(0, options.timeoutMs - (Date.now() - t0)) + 30_000,
    stallMs: 30_000,
    log: options.log,
    diagnose,
  });
  if (mapped.reason) failures.push(mapped.reason);
  if (failures.length > 0) {
    // The services log at warn: their last lines usually say why a sync stalled.
    for (const app of Object.keys(stack.apps)) {
      const tail = stack.logs.tail(app, 8).trim();
      if (tail) failures.push(`last ${app} log lines:\n${tail.slice(-2500)}`);
    }
  }
  const finalMapped = await mappedRows(db, tenant.organizationUid);
  return {
    tenant,
    runId,
    target: seeded.records,
    mirrorRows: mirror.last,
    wallS: mirror.reachedAt ? (mirror.reachedAt - t0) / 1000 : null,
    mappedRows: finalMapped.mapped,
    skipped: finalMapped.skipped,
    mappedWallS: mapped.reachedAt ? (mapped.reachedAt - t0) / 1000 : null,
    associations: await mirrorAssociations(db, tenant.organizationUid),
    failures,
  };
}
