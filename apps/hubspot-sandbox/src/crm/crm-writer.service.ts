import { Injectable } from '@nestjs/common';
import { SandboxState } from '../state/sandbox-state.service';
import { CrmEvents } from './crm-events';
import { ObjectTypeInfo, Portal } from './portal';

export interface WriteOptions {
  /** `API` for HubSpot API writes; `INTEGRATION`/`CRM_UI`/`IMPORT` etc. for seeded or live-mode changes. */
  source?: string;
  at?: number;
  /** Skip the search-index lag (seeding happens "before" the test starts). */
  immediate?: boolean;
}

/**
 * Every CRM write goes through here so that the search-index lag and webhook events apply the
 * same way to API writes, admin mutations and live mode.
 */
@Injectable()
export class CrmWriter {
  constructor(private readonly state: SandboxState, private readonly events: CrmEvents) {}

  private lagUntil(portal: Portal, now: number, options: WriteOptions): number | null {
    if (options.immediate) return null;
    const lag = this.state.knobs(portal.portalId).searchLagMaxSeconds;
    if (lag <= 0) return null;
    return now + this.state.random.next() * lag * 1000;
  }

  create(portal: Portal, info: ObjectTypeInfo, properties: Record<string, string | null>, options: WriteOptions = {}): number {
    const now = options.at ?? Date.now();
    const props = this.derived(portal, info, properties);
    const row = info.table.insert(props, now, now, options.source ?? 'API');
    const visibleAt = this.lagUntil(portal, now, options);
    if (visibleAt !== null) info.table.markPending(row, visibleAt, false);
    this.events.emit({ kind: 'creation', portalId: portal.portalId, objectTypeId: info.objectTypeId, objectId: info.table.ids[row], occurredAt: now, changeSource: options.source ?? 'API' });
    return row;
  }

  update(portal: Portal, info: ObjectTypeInfo, row: number, properties: Record<string, string | null>, options: WriteOptions = {}): string[] {
    const now = options.at ?? Date.now();
    const table = info.table;
    const visibleAt = this.lagUntil(portal, now, options);
    const props = this.derived(portal, info, properties);
    // The snapshot must be taken before the write; drop it again if nothing changed.
    const hadPending = table.pending.has(row);
    if (visibleAt !== null) table.markPending(row, visibleAt, true);
    const changed = table.update(row, props, Math.max(now, table.updatedAt[row]), options.source ?? 'API');
    if (changed.length === 0 && visibleAt !== null && !hadPending) {
      table.pending.delete(row);
      table.pendingFlags[row] = 0;
    }
    for (const name of changed) {
      this.events.emit({
        kind: 'propertyChange', portalId: portal.portalId, objectTypeId: info.objectTypeId, objectId: table.ids[row], occurredAt: now,
        changeSource: options.source ?? 'API', propertyName: name, propertyValue: table.value(row, name) ?? '',
      });
    }
    return changed;
  }

  archive(portal: Portal, info: ObjectTypeInfo, row: number, options: WriteOptions = {}): boolean {
    const table = info.table;
    if (table.archivedAt[row] !== 0) return false;
    const now = options.at ?? Date.now();
    const visibleAt = this.lagUntil(portal, now, options);
    if (visibleAt !== null) table.markPending(row, visibleAt, true);
    table.archive(row, now);
    this.events.emit({ kind: 'deletion', portalId: portal.portalId, objectTypeId: info.objectTypeId, objectId: table.ids[row], occurredAt: now, changeSource: options.source ?? 'API' });
    return true;
  }

  associate(portal: Portal, from: ObjectTypeInfo, fromRow: number, to: ObjectTypeInfo, toRow: number, typeIds: number[], options: WriteOptions = {}): number[] {
    const result = portal.associations.add(from.objectTypeId, fromRow, to.objectTypeId, toRow, typeIds);
    if (result.changed) this.emitAssociation(portal, from, fromRow, to, toRow, result.typeIds, false, options);
    return result.typeIds;
  }

  unassociate(portal: Portal, from: ObjectTypeInfo, fromRow: number, to: ObjectTypeInfo, toRow: number, typeIds?: number[], options: WriteOptions = {}): boolean {
    const before = portal.associations.edgeTypes(from.objectTypeId, fromRow, to.objectTypeId, toRow) ?? [];
    const removed = portal.associations.remove(from.objectTypeId, fromRow, to.objectTypeId, toRow, typeIds);
    if (removed) {
      const after = portal.associations.edgeTypes(from.objectTypeId, fromRow, to.objectTypeId, toRow) ?? [];
      this.emitAssociation(portal, from, fromRow, to, toRow, before.filter((t) => !after.includes(t)), true, options);
    }
    return removed;
  }

  private emitAssociation(portal: Portal, from: ObjectTypeInfo, fromRow: number, to: ObjectTypeInfo, toRow: number, typeIds: number[], removed: boolean, options: WriteOptions): void {
    const now = options.at ?? Date.now();
    for (const typeId of typeIds) {
      const def = portal.associationTypes.find(typeId)?.def;
      const fwd = { toObjectTypeId: to.objectTypeId, toObjectId: to.table.ids[toRow], associationTypeId: typeId, removed, primary: def?.label === 'Primary' };
      this.events.emit({ kind: 'associationChange', portalId: portal.portalId, objectTypeId: from.objectTypeId, objectId: from.table.ids[fromRow], occurredAt: now, changeSource: options.source ?? 'API', association: fwd });
      const inverse = def?.inverseTypeId ?? typeId;
      const back = { toObjectTypeId: from.objectTypeId, toObjectId: from.table.ids[fromRow], associationTypeId: inverse, removed, primary: def?.label === 'Primary' };
      this.events.emit({ kind: 'associationChange', portalId: portal.portalId, objectTypeId: to.objectTypeId, objectId: to.table.ids[toRow], occurredAt: now, changeSource: options.source ?? 'API', association: back });
    }
  }

  /**
   * Merge (`POST /crm/v3/objects/{type}/merge`): the primary keeps its id; its empty properties are
   * filled from the merged record; the merged record's associations move to the primary; the
   * merged record is archived and its id recorded in `hs_merged_object_ids` (HubSpot "Merge
   * records" knowledge-base article; SDK MergeApi returns the primary as SimplePublicObject).
   */
  merge(portal: Portal, info: ObjectTypeInfo, primaryRow: number, mergedRow: number, options: WriteOptions = {}): void {
    const table = info.table;
    const fill: Record<string, string | null> = {};
    for (const [name, col] of table.columns) {
      if (name === 'hs_merged_object_ids') continue;
      if (col.get(primaryRow) === null && col.get(mergedRow) !== null) fill[name] = col.get(mergedRow);
    }
    const mergedIds = [table.value(primaryRow, 'hs_merged_object_ids'), table.value(mergedRow, 'hs_merged_object_ids'), String(table.ids[mergedRow])]
      .filter((v): v is string => !!v)
      .join(';');
    fill['hs_merged_object_ids'] = mergedIds;
    for (const [toType, list] of [...portal.associations.outgoing(info.objectTypeId, mergedRow)]) {
      const other = portal.types.get(toType);
      if (!other) continue;
      const pairs = [...list];
      for (let i = 0; i < pairs.length; i += 2) {
        const toRow = pairs[i];
        const typeIds = portal.associations.typeIdsOf(pairs[i + 1]);
        this.unassociate(portal, info, mergedRow, other, toRow, undefined, options);
        if (other === info && toRow === primaryRow) continue;
        // A second "primary" would contradict the primary's own; keep the other labels.
        this.associate(portal, info, primaryRow, other, toRow, typeIds.filter((t) => portal.associationTypes.find(t)?.def.label !== 'Primary'), options);
      }
    }
    this.update(portal, info, primaryRow, fill, options);
    table.mergedInto.set(table.ids[mergedRow], table.ids[primaryRow]);
    const now = options.at ?? Date.now();
    this.archive(portal, info, mergedRow, options);
    this.events.emit({
      kind: 'merge', portalId: portal.portalId, objectTypeId: info.objectTypeId, objectId: table.ids[primaryRow], occurredAt: now, changeSource: options.source ?? 'API',
      merge: { primaryObjectId: table.ids[primaryRow], mergedObjectIds: [table.ids[mergedRow]], newObjectId: table.ids[primaryRow] },
    });
  }

  /** Calculated properties HubSpot maintains on write (deal stage probability from the pipeline). */
  private derived(portal: Portal, info: ObjectTypeInfo, properties: Record<string, string | null>): Record<string, string | null> {
    if (info.objectTypeId !== '0-3' || properties['dealstage'] === undefined) return properties;
    const stageId = properties['dealstage'];
    for (const p of portal.pipelines.get('0-3') ?? []) {
      const stage = p.stages.find((s) => s.id === stageId);
      if (stage) return { ...properties, hs_deal_stage_probability: stage.metadata['probability'] ?? null, pipeline: properties['pipeline'] ?? p.id };
    }
    return properties;
  }
}
