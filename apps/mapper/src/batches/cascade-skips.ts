import { Sql } from '../database/mapper-database';
import { CascadeSkip } from '../models/mapping-run';
import { SkippedRecordsRepository } from '../progress/skipped-records.repository';

/**
 * Skips found on records outside the batch (e.g. a company displaced as a duplicate, or whose MRR from
 * deals is out of range) are recorded without a run: they are not part of the run's counters.
 */
export async function recordCascadeSkips(sql: Sql, skipped: SkippedRecordsRepository, org: string, skips: CascadeSkip[]): Promise<void> {
  const byType = new Map<string, CascadeSkip[]>();
  for (const s of skips) byType.set(s.objectType, [...(byType.get(s.objectType) ?? []), s]);
  for (const [type, list] of byType) {
    await skipped.replace(sql, org, null, type, [], list.map((s) => ({ objectId: s.objectId, rule: s.skip.rule, detail: s.skip.detail })));
  }
}
