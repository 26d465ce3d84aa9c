/** Rows of `sync.jobs`: the source of truth for requested work (DESIGN §5). */
export type SyncJobKind =
  | 'full_sync'
  | 'backfill'
  | 'full_refresh'
  | 'fetch_by_ids'
  | 'association_sweep'
  | 'delete_sweep'
  | 'schema_introspection'
  | 'pipelines';

export const SYNC_JOB_KINDS: SyncJobKind[] = [
  'full_sync',
  'backfill',
  'full_refresh',
  'fetch_by_ids',
  'association_sweep',
  'delete_sweep',
  'schema_introspection',
  'pipelines',
];

/** Kinds that count as "a sync in progress" for Exante's `sync_in_progress` (DESIGN §5 "Who runs"). */
export const BLOCKING_JOB_KINDS: SyncJobKind[] = ['full_sync', 'backfill'];

export type SyncJobStatus = 'queued' | 'running' | 'done' | 'failed';

export type ExanteSyncMode = 'full' | 'catalog_only';

/** OpsHub criteria (seed 004). */
export interface OpsHubCriterion {
  condition: 'EQUALS' | 'NOT_EQUALS' | 'GREATER_THAN' | 'LESS_THAN' | 'IN' | 'CONTAINS';
  field: string;
  value: string | number | boolean | (string | number)[] | null;
}

export interface SyncJobFilters {
  /** Exante: only deals whose `dealstage` is one of these. */
  dealStages?: string[];
  /** Backfill lookback on the create date, ISO-8601 timestamp lower bound. */
  createdAfter?: string;
  /** Per object type criteria. */
  criteria?: Record<string, OpsHubCriterion[]>;
  /** fetch_by_ids: ids per object type. */
  ids?: Record<string, string[]>;
}

export interface SyncJobRow {
  id: string;
  organization_uid: string;
  connection_id: string;
  portal_id: string;
  kind: SyncJobKind;
  object_types: string[];
  filters: SyncJobFilters;
  mode: ExanteSyncMode | null;
  status: SyncJobStatus;
  attempts: number;
  run_id: string | null;
  error_message: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** `sync.object_runs.status`, owned by the mapper. */
export type ObjectRunStatus = 'pending' | 'syncing' | 'completed' | 'failed';
