import { DataSource } from 'typeorm';

/**
 * A new driver raises the fence of everything of the portal it may write (open jobs, their object
 * runs, checkpoints), so a predecessor that lost its lease while paused has every later write refused.
 */
export async function takeOverFence(db: DataSource, portalId: string, fence: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`UPDATE sync.jobs SET fence = $2 WHERE portal_id = $1 AND status IN ('queued','running') AND fence <= $2`, [portalId, fence]);
    await tx.query(
      `UPDATE sync.object_runs SET fence = $2
        WHERE fence <= $2 AND run_id IN (SELECT run_id FROM sync.jobs WHERE portal_id = $1 AND status IN ('queued','running') AND run_id IS NOT NULL)`,
      [portalId, fence],
    );
    await tx.query(`UPDATE sync.fetch_checkpoints SET fence = $2 WHERE portal_id = $1 AND fence <= $2`, [portalId, fence]);
  });
}
