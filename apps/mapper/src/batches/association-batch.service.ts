import { Inject, Injectable, Logger } from '@nestjs/common';
import { HUBSPOT_ASSOCIATIONS_V1, HubspotAssociationBatchV1 } from '@hubsync/contracts';
import { MapperDatabase } from '../database/mapper-database';
import { AssociationChange, MirrorAssociationsRepository } from '../mirror/mirror-associations.repository';
import { MappingRun } from '../models/mapping-run';
import { ModelMapperService } from '../models/model-mapper.service';
import { OrgSettingsRepository } from '../models/org-settings.repository';
import { ObjectRunResultsRepository } from '../progress/object-run-results.repository';
import { ProcessedBatchesRepository } from '../progress/processed-batches.repository';
import { SkippedRecordsRepository } from '../progress/skipped-records.repository';
import { TableStatisticsService } from '../statistics/table-statistics.service';
import { TypedViewsService } from '../typed-views/typed-views.service';
import { recordCascadeSkips } from './cascade-skips';
import { lockOrganizationMapping } from './organization-mapping-lock';

/** The `sync.object_runs.object_type` an association sweep of a pair is tracked under, when the fetcher tracks it. */
export function associationRunObjectType(fromType: string, toType: string): string {
  return `associations:${fromType}:${toType}`;
}

export const ASSOCIATION_OPTIONS = Symbol('ASSOCIATION_OPTIONS');

export interface AssociationOptions {
  /** Delete, at a sweep's end, rows of the pair the sweep did not write (see MirrorAssociationsRepository.completeSweep). */
  sweepDeletesUnseen: boolean;
}

export interface AssociationBatchResult {
  duplicate: boolean;
  stale: boolean;
  changes: number;
}

/**
 * One `hubspot.associations.v1` batch: the from-ids' association sets are replaced (an emptied set
 * deletes them), the end-of-sweep marker closes the sweep, and the entities on both ends are
 * re-mapped — all in one transaction. A redelivered batch is recognised by its id; a late batch of a
 * sweep older than the last completed one is ignored.
 */
@Injectable()
export class AssociationBatchService {
  private readonly logger = new Logger(AssociationBatchService.name);

  constructor(
    private readonly db: MapperDatabase,
    private readonly processed: ProcessedBatchesRepository,
    private readonly associations: MirrorAssociationsRepository,
    private readonly settings: OrgSettingsRepository,
    private readonly models: ModelMapperService,
    private readonly skipped: SkippedRecordsRepository,
    private readonly results: ObjectRunResultsRepository,
    private readonly views: TypedViewsService,
    private readonly statistics: TableStatisticsService,
    @Inject(ASSOCIATION_OPTIONS) private readonly options: AssociationOptions,
  ) {}

  async handle(batch: HubspotAssociationBatchV1): Promise<AssociationBatchResult> {
    const pair = { fromType: batch.fromType, toType: batch.toType };
    const result = await this.db.transaction(async (sql): Promise<AssociationBatchResult> => {
      const fresh = await this.processed.claim(sql, {
        batchId: batch.batchId,
        organizationUid: batch.organizationUid,
        runId: batch.runId,
        subject: HUBSPOT_ASSOCIATIONS_V1,
        objectType: associationRunObjectType(batch.fromType, batch.toType),
        records: batch.associations.length,
      });
      if (!fresh) return { duplicate: true, stale: false, changes: 0 };
      await lockOrganizationMapping(sql, batch.organizationUid);
      const stale = await this.associations.isStaleSweep(sql, batch.organizationUid, pair, batch.sweepId);
      const changes: AssociationChange[] = [];
      if (!stale) {
        changes.push(...(await this.associations.replaceSets(sql, batch.organizationUid, pair, batch.sweepId, batch.fromIds, batch.associations)));
        if (batch.sweepComplete) changes.push(...(await this.associations.completeSweep(sql, batch.organizationUid, pair, batch.sweepId, this.options.sweepDeletesUnseen)));
        if (changes.length) {
          const run = new MappingRun(sql, batch.organizationUid, batch.portalId, batch.runId, await this.settings.load(sql, batch.organizationUid, batch.runId), new Date());
          await this.models.mapAssociationChanges(run, batch.fromType, batch.toType, changes);
          await recordCascadeSkips(sql, this.skipped, batch.organizationUid, run.cascadeSkips);
        }
      }
      if (batch.runId) await this.results.commitEmptyBatch(sql, batch.runId, associationRunObjectType(batch.fromType, batch.toType));
      return { duplicate: false, stale, changes: changes.length };
    });
    if (!result.duplicate) {
      this.statistics.recordWrites(batch.organizationUid, associationRunObjectType(batch.fromType, batch.toType), batch.associations.length);
      // The pair's view (associations_<a>_<b>); DDL stays out of the batch transaction.
      await this.views.ensureAssociationView(batch.organizationUid, batch.fromType, batch.toType).catch((error: unknown) => {
        this.logger.error(`association view ${batch.fromType}/${batch.toType} for ${batch.organizationUid}: ${(error as Error).message}`);
      });
    }
    return result;
  }
}
