import { Injectable } from '@nestjs/common';
import { HUBSPOT_RECORDS_V1, HubspotRecordBatchV1 } from '@hubsync/contracts';
import { DROPPED_FIELD_RULE } from '@hubsync/domain';
import { MapperDatabase, Sql } from '../database/mapper-database';
import { MirrorMetadataRepository } from '../mirror/mirror-metadata.repository';
import { MirrorObjectsRepository } from '../mirror/mirror-objects.repository';
import { MappingRun } from '../models/mapping-run';
import { MODELLED_OBJECT_TYPES, ModelMapperService, ModelOutcome } from '../models/model-mapper.service';
import { OrgSettingsRepository } from '../models/org-settings.repository';
import { ObjectRunResultsRepository } from '../progress/object-run-results.repository';
import { ProcessedBatchesRepository } from '../progress/processed-batches.repository';
import { SkippedRecord, SkippedRecordsRepository } from '../progress/skipped-records.repository';
import { MAPPING_TABLES, MIRROR_TABLES, TableStatisticsService } from '../statistics/table-statistics.service';
import { recordCascadeSkips } from './cascade-skips';
import { lockOrganizationMapping } from './organization-mapping-lock';
import { prepareRecords } from './record-preparation';

export interface RecordBatchResult {
  duplicate: boolean;
  stored: number;
  changed: number;
  skipped: number;
  /** The object run's status after this batch (null without a run). */
  status: string | null;
}

/**
 * One `hubspot.records.v1` batch, in one transaction: claim the batch id, store the records in the
 * mirror (last-modified-wins), map them into Stanna and Exante, record skipped records, and count
 * the batch on its object run — so the batch and its counters commit together or not at all.
 */
@Injectable()
export class RecordBatchService {
  constructor(
    private readonly db: MapperDatabase,
    private readonly processed: ProcessedBatchesRepository,
    private readonly metadata: MirrorMetadataRepository,
    private readonly objects: MirrorObjectsRepository,
    private readonly settings: OrgSettingsRepository,
    private readonly models: ModelMapperService,
    private readonly skipped: SkippedRecordsRepository,
    private readonly results: ObjectRunResultsRepository,
    private readonly statistics: TableStatisticsService,
  ) {}

  async handle(batch: HubspotRecordBatchV1): Promise<RecordBatchResult> {
    const result = await this.db.transaction((sql) => this.process(sql, batch));
    if (!result.duplicate) this.statistics.recordWrites(batch.organizationUid, batch.objectType, result.stored, MODELLED_OBJECT_TYPES.includes(batch.objectType) ? MAPPING_TABLES : MIRROR_TABLES);
    return result;
  }

  private async process(sql: Sql, batch: HubspotRecordBatchV1): Promise<RecordBatchResult> {
    const { organizationUid: org, objectType, runId } = batch;
    // A run's batch is counted once: its id is claimed in this transaction. Batches of continuous
    // sweeps count nothing and are last-modified-wins, so a redelivery is harmless and needs no claim
    // (and a sweep whose sequence restarted can never be mistaken for a redelivery).
    if (runId) {
      const fresh = await this.processed.claim(sql, { batchId: batch.batchId, organizationUid: org, runId, subject: HUBSPOT_RECORDS_V1, objectType, records: batch.records.length });
      if (!fresh) return { duplicate: true, stored: 0, changed: 0, skipped: 0, status: null };
    }

    const types = await this.metadata.propertyTypes(sql, org, objectType);
    const prepared = prepareRecords(batch.records, types);
    // The mirror upsert runs before the organization's mapping lock, so the batches of one org store
    // their rows in parallel and only the mapping below is serialised. Why the outcome still equals
    // running the batches one at a time, in the order they take the lock:
    // - the upserted rows stay invisible to other transactions until this one commits, and this
    //   batch's mapping (under the lock) sees every batch that held the lock before it, committed —
    //   exactly what a serial run in lock order sees; a batch mapped earlier that missed these rows
    //   is caught up by this batch's own mapping, which re-maps its dependants (as in a serial run);
    // - two batches holding one record meet on its row lock here, before either takes the mapping
    //   lock: the second waits until the first commits and then applies last-modified-wins to the
    //   committed row, so mirror writes of a record follow the commit order too;
    // - no deadlock between the row locks taken here and the mapping lock: a transaction that holds
    //   the mapping lock has finished its own upsert and never writes `hubspot.objects` again (the
    //   mapping writes only stanna, exante and sync rows), so it never waits for a row lock held by
    //   a transaction queued on the mapping lock. Upserts lock rows in id order (ORDER BY r.id).
    const changed = await this.objects.upsert(sql, org, batch.portalId, objectType, prepared.writes);

    // A run's batches are mapped in full (the run decides Exante's scope and counts outcomes);
    // continuous sweeps only map what changed (the lag sweep re-reads records constantly).
    const mapIds = runId ? prepared.writes.map((w) => w.id) : changed;
    let outcome: ModelOutcome = { skips: new Map(), invalidFields: new Map() };
    // Object types no model reads (tickets, custom objects…) only live in the mirror: no mapping lock.
    if (MODELLED_OBJECT_TYPES.includes(objectType) && mapIds.length) {
      await lockOrganizationMapping(sql, org);
      const rows = await this.objects.load(sql, org, objectType, mapIds);
      const run = new MappingRun(sql, org, batch.portalId, runId, await this.settings.load(sql, org, runId), new Date());
      outcome = await this.models.mapObjects(run, objectType, rows);
      await recordCascadeSkips(sql, this.skipped, org, run.cascadeSkips);
    }

    const notes = new Map<string, string[]>();
    for (const d of prepared.droppedFields) notes.set(d.objectId, [d.detail]);
    for (const [id, fields] of outcome.invalidFields) notes.set(id, [...(notes.get(id) ?? []), ...fields.map((f) => `mapping ${f}`)]);
    const skipRows: SkippedRecord[] = [
      ...prepared.rejected,
      ...[...outcome.skips].map(([id, s]) => ({ objectId: id, rule: s.rule, detail: s.detail })),
      ...[...notes].map(([id, details]) => ({ objectId: id, rule: DROPPED_FIELD_RULE, detail: details.join('; ') })),
    ];
    await this.skipped.replace(sql, org, runId, objectType, mapIds, skipRows);

    let status: string | null = null;
    if (runId) {
      const outcomes = [
        ...prepared.writes.map((w) => ({ id: w.id, skipped: outcome.skips.has(w.id) })),
        ...prepared.rejected.map((r) => ({ id: r.objectId, skipped: true })),
      ];
      status = await this.results.commitBatch(sql, runId, org, objectType, outcomes);
    }
    return { duplicate: false, stored: prepared.writes.length, changed: changed.length, skipped: outcome.skips.size + prepared.rejected.length, status };
  }
}
