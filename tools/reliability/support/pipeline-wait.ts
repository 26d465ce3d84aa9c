import { Pool } from 'pg';
import { SandboxAdminClient } from '@hubsync/testing';
import { sleep } from './http';

export interface MirrorTarget {
  organizationUid: string;
  portalId: number;
  objectTypes: string[];
}

/** Live records per type in the mirror vs the sandbox's ground truth. */
export async function mirrorProgress(db: Pool, admin: SandboxAdminClient, target: MirrorTarget): Promise<Record<string, { mirror: number; truth: number }>> {
  const out: Record<string, { mirror: number; truth: number }> = {};
  for (const type of target.objectTypes) {
    const truth = await admin.truth(target.portalId, type, { records: false });
    const rows = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM hubspot.objects WHERE organization_uid = $1 AND NOT archived AND object_type = ANY($2::text[])`,
      [target.organizationUid, [type, truth.objectType, truth.objectTypeId]],
    );
    out[type] = { mirror: Number(rows.rows[0].n), truth: truth.live };
  }
  return out;
}

/**
 * Waits until every listed type of the organization's mirror holds the sandbox's live count.
 * Throws with the last progress when it does not get there in time (the pipeline is broken).
 */
export async function waitForMirror(db: Pool, admin: SandboxAdminClient, target: MirrorTarget, timeoutMs: number, describe?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, { mirror: number; truth: number }> = {};
  while (Date.now() < deadline) {
    last = await mirrorProgress(db, admin, target);
    if (Object.values(last).every((p) => p.mirror === p.truth)) return;
    await sleep(1_000);
  }
  const extra = describe ? await describe().catch((e: Error) => `(diagnosis failed: ${e.message})`) : '';
  throw new Error(`mirror of ${target.organizationUid} did not reach the sandbox's counts in ${Math.round(timeoutMs / 1000)} s: ${JSON.stringify(last)}${extra ? `\n${extra}` : ''}`);
}

/** Jobs, object runs and the last errors of an organization, for failure messages. */
export async function pipelineDiagnosis(db: Pool, organizationUid: string): Promise<string> {
  const jobs = await db.query(`SELECT kind, status, count(*)::int AS n, max(error_message) AS error FROM sync.jobs WHERE organization_uid = $1 GROUP BY 1, 2 ORDER BY 1, 2`, [organizationUid]).catch(() => ({ rows: [] }));
  const runs = await db
    .query(`SELECT object_type, status, total_synced, total_skipped, error_message FROM sync.object_runs WHERE organization_uid = $1 ORDER BY object_type`, [organizationUid])
    .catch(() => ({ rows: [] }));
  const dead = await db.query(`SELECT count(*)::int AS n FROM sync.dead_letters`).catch(() => ({ rows: [{ n: '?' }] }));
  return `jobs=${JSON.stringify(jobs.rows)} object_runs=${JSON.stringify(runs.rows)} dead_letters=${dead.rows[0]?.n}`;
}
