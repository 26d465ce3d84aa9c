import { ExanteScope, PipelineDirectory, PropertyMapping, SkipReason, StannaConfig } from '@hubsync/domain';
import { Sql } from '../database/mapper-database';

/** An org's mapping settings, loaded once per batch. */
export interface OrgMappingSettings {
  stanna: StannaConfig;
  /** Lifecycle stage (lower case) → client status: `stanna.client_status_map` over the config defaults. */
  statusMap: Record<string, string>;
  mappings: PropertyMapping[];
  /** The Exante sync this batch belongs to (its run's job, else the org's latest); null = no Exante sync. */
  exante: ExanteScope | null;
}

export interface CascadeSkip {
  objectType: string;
  objectId: string;
  skip: SkipReason;
}

/**
 * One mapping pass inside one transaction: the batch's org, run and settings, per-pass caches, and the
 * skips found on records outside the batch (cascades), which are recorded without run attribution.
 */
export class MappingRun {
  readonly cascadeSkips: CascadeSkip[] = [];
  private pipelinesCache?: Promise<PipelineDirectory>;

  constructor(
    readonly sql: Sql,
    readonly organizationUid: string,
    readonly portalId: string,
    readonly runId: string | null,
    readonly settings: OrgMappingSettings,
    readonly now: Date,
  ) {}

  pipelines(load: () => Promise<PipelineDirectory>): Promise<PipelineDirectory> {
    this.pipelinesCache ??= load();
    return this.pipelinesCache;
  }
}
