import { SyncJobRow } from '@hubsync/contracts';

/** The ids of several claimed `fetch_by_ids` jobs of one connection, merged per object type. */
export interface MergedIdRead {
  organizationUid: string;
  connectionId: string;
  /** Every job the merged read settles, oldest first (the first names the read's batches). */
  jobIds: string[];
  /** Object type (as the jobs name it) → distinct ids, in the order they were first asked for. */
  ids: Record<string, string[]>;
}

/**
 * Groups claimed webhook jobs (no run: they report to nothing but the mirror) by connection — a
 * connection is one organization's copy of the portal — and unions their ids per object type. Jobs
 * that carry a run are left out: their batches are counted per run, so they run one by one.
 */
export function mergeIdJobs(jobs: SyncJobRow[]): { merged: MergedIdRead[]; separate: SyncJobRow[] } {
  const byConnection = new Map<string, { read: MergedIdRead; sets: Map<string, Set<string>> }>();
  const separate: SyncJobRow[] = [];
  for (const job of jobs) {
    if (job.kind !== 'fetch_by_ids' || job.run_id) {
      separate.push(job);
      continue;
    }
    let entry = byConnection.get(job.connection_id);
    if (!entry) {
      entry = { read: { organizationUid: job.organization_uid, connectionId: job.connection_id, jobIds: [], ids: {} }, sets: new Map() };
      byConnection.set(job.connection_id, entry);
    }
    entry.read.jobIds.push(job.id);
    for (const [type, list] of Object.entries(job.filters?.ids ?? {})) {
      if (!Array.isArray(list)) continue;
      let set = entry.sets.get(type);
      if (!set) {
        set = new Set();
        entry.sets.set(type, set);
      }
      for (const id of list) set.add(String(id));
    }
  }
  const merged = [...byConnection.values()].map(({ read, sets }) => {
    for (const [type, set] of sets) if (set.size > 0) read.ids[type] = [...set];
    return read;
  });
  return { merged, separate };
}
