import { Injectable } from '@nestjs/common';
import { HubSpotError, unknownObjectType, validationError } from '../http/hubspot-error';
import { HubSpotContext, requireScopes } from '../http/request-context';
import { decodeAssociationCursor, encodeAssociationCursor } from './association-cursor';
import { CrmWriter } from './crm-writer.service';
import { ObjectTypeInfo, Portal } from './portal';
import { insertionPoint } from './store/association-store';

/** v4 batch read: at most 1,000 inputs (changelog 2025-02-10, raised from 100). */
export const ASSOC_BATCH_READ_LIMIT = 1000;
/** Associations returned per object in one batch-read result / one GET page (v4 GET: limit ≤ 500). */
export const ASSOC_PAGE_SIZE = 500;
const ASSOC_WRITE_LIMIT = 100;

const encodeAfter = encodeAssociationCursor;

function decodeAfter(after: string | undefined): number | undefined {
  const id = decodeAssociationCursor(after);
  if (id !== undefined && Number.isNaN(id)) throw validationError(`after "${after}" is not a cursor returned in paging.next.after`);
  return id;
}

const times = (startedAt: number) => ({ startedAt: new Date(startedAt).toISOString(), completedAt: new Date().toISOString() });

/**
 * Associations v4 (SDK lib/codegen/crm/associations/v4/apis/{BasicApi,BatchApi}.js; models
 * PublicAssociationMultiWithLabel, MultiAssociatedObjectWithLabel, AssociationSpecWithLabel,
 * LabelsBetweenObjectPair). Ids in `to` lists are numbers (`toObjectId`), as HubSpot's v4 answers.
 */
@Injectable()
export class AssociationsService {
  constructor(private readonly writer: CrmWriter) {}

  private types(ctx: HubSpotContext, fromKey: string, toKey: string, write: boolean): [ObjectTypeInfo, ObjectTypeInfo] {
    const from = ctx.portal.resolveType(fromKey);
    if (!from) throw unknownObjectType(fromKey);
    const to = ctx.portal.resolveType(toKey);
    if (!to) throw unknownObjectType(toKey);
    requireScopes(ctx, write ? [...from.writeScopes, ...to.readScopes] : [...from.readScopes, ...to.readScopes]);
    return [from, to];
  }

  private spec(portal: Portal, typeId: number) {
    const def = portal.associationTypes.find(typeId)?.def;
    return { category: def?.category ?? 'HUBSPOT_DEFINED', typeId, label: def?.label ?? null };
  }

  /** One page of a row's associations to `to`, starting after the cursor's target id. */
  private page(portal: Portal, from: ObjectTypeInfo, row: number, to: ObjectTypeInfo, afterId: number | undefined, limit: number) {
    const list = portal.associations.list(from.objectTypeId, row, to.objectTypeId) ?? [];
    let i = 0;
    if (afterId !== undefined) {
      const afterRow = to.table.rowOf(afterId);
      i = afterRow >= 0 ? insertionPoint(list, afterRow) : insertionPoint(list, lowerRowForId(to, afterId), true);
    }
    const results: Array<{ toObjectId: number; associationTypes: unknown[] }> = [];
    let lastId = 0;
    for (; i < list.length; i += 2) {
      const toRow = list[i];
      if (to.table.archivedAt[toRow] !== 0) continue;
      if (results.length === limit) return { results, next: lastId };
      const toObjectId = to.table.ids[toRow];
      results.push({ toObjectId, associationTypes: portal.associations.typeIdsOf(list[i + 1]).map((t) => this.spec(portal, t)) });
      lastId = toObjectId;
    }
    return { results, next: undefined };
  }

  batchRead(ctx: HubSpotContext, fromKey: string, toKey: string, body: unknown) {
    const startedAt = Date.now();
    const [from, to] = this.types(ctx, fromKey, toKey, false);
    const inputs = (body as { inputs?: unknown })?.inputs;
    if (!Array.isArray(inputs)) throw validationError('inputs must be an array');
    if (inputs.length > ASSOC_BATCH_READ_LIMIT) throw validationError(`Batch input is limited to ${ASSOC_BATCH_READ_LIMIT} inputs; got ${inputs.length}.`);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    const seen = new Set<string>();
    for (const input of inputs) {
      const id = String((input as { id?: unknown })?.id ?? '');
      if (seen.has(id)) continue;
      seen.add(id);
      const row = from.table.liveRow(id);
      const page = row >= 0 ? this.page(ctx.portal, from, row, to, decodeAfter((input as { after?: string }).after), ASSOC_PAGE_SIZE) : undefined;
      if (!page || page.results.length === 0) {
        // Inputs without associations become per-input errors in a 207 (the SDK models this
        // endpoint's 207 as BatchResponsePublicAssociationMultiWithLabelWithErrors; the
        // NO_ASSOCIATIONS_FOUND sub-category is how HubSpot's v4 answers are commonly reported —
        // not verified against a live portal here, `npm run contract:live` would show a difference).
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          context: { fromObjectId: [id] },
          message: `No ${to.singular} is associated with ${from.singular} ${id}.`,
        });
        continue;
      }
      const result: Record<string, unknown> = { from: { id }, to: page.results };
      if (page.next !== undefined) result['paging'] = { next: { after: encodeAfter(page.next), link: null } };
      results.push(result);
    }
    const base = { status: 'COMPLETE', results, ...times(startedAt) };
    if (errors.length === 0) return { status: 200, body: base };
    return { status: 207, body: { ...base, numErrors: errors.length, errors } };
  }

  getPage(ctx: HubSpotContext, fromKey: string, id: string, toKey: string, after: string | undefined, limit: number, baseUrl: string) {
    const [from, to] = this.types(ctx, fromKey, toKey, false);
    const row = from.table.liveRow(id);
    if (row < 0) return { results: [] };
    const page = this.page(ctx.portal, from, row, to, decodeAfter(after), limit);
    const out: Record<string, unknown> = { results: page.results };
    if (page.next !== undefined) {
      const a = encodeAfter(page.next);
      out['paging'] = { next: { after: a, link: `${baseUrl}/crm/v4/objects/${fromKey}/${id}/associations/${toKey}?after=${a}` } };
    }
    return out;
  }

  private parseSpecs(portal: Portal, from: ObjectTypeInfo, to: ObjectTypeInfo, raw: unknown, where: string): number[] {
    if (!Array.isArray(raw) || raw.length === 0) throw validationError(`${where} must be a non-empty array of {associationCategory, associationTypeId}`);
    return raw.map((s, i) => {
      const typeId = Number((s as { associationTypeId?: unknown })?.associationTypeId);
      const found = portal.associationTypes.find(typeId);
      if (!found || found.from !== from.objectTypeId || found.to !== to.objectTypeId) {
        throw validationError(`${where}[${i}]: association type ${typeId} is not valid from ${from.name} to ${to.name}`);
      }
      const category = (s as { associationCategory?: unknown }).associationCategory;
      if (category !== undefined && category !== found.def.category) throw validationError(`${where}[${i}]: association type ${typeId} is ${found.def.category}, not ${String(category)}`);
      return typeId;
    });
  }

  private rows(from: ObjectTypeInfo, fromId: string, to: ObjectTypeInfo, toId: string) {
    const fromRow = from.table.liveRow(fromId);
    const toRow = to.table.liveRow(toId);
    if (fromRow < 0) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `${from.singular} ${fromId} was not found`);
    if (toRow < 0) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `${to.singular} ${toId} was not found`);
    return { fromRow, toRow };
  }

  private labelsBetween(portal: Portal, from: ObjectTypeInfo, fromRow: number, to: ObjectTypeInfo, toRow: number, typeIds: number[]) {
    return {
      fromObjectTypeId: from.objectTypeId,
      fromObjectId: from.table.ids[fromRow],
      toObjectTypeId: to.objectTypeId,
      toObjectId: to.table.ids[toRow],
      labels: typeIds.map((t) => portal.associationTypes.find(t)?.def.label).filter((l): l is string => !!l),
    };
  }

  create(ctx: HubSpotContext, fromKey: string, fromId: string, toKey: string, toId: string, body: unknown) {
    const [from, to] = this.types(ctx, fromKey, toKey, true);
    const typeIds = this.parseSpecs(ctx.portal, from, to, body, 'body');
    const { fromRow, toRow } = this.rows(from, fromId, to, toId);
    const all = this.writer.associate(ctx.portal, from, fromRow, to, toRow, typeIds);
    return this.labelsBetween(ctx.portal, from, fromRow, to, toRow, all);
  }

  createDefault(ctx: HubSpotContext, fromKey: string, fromId: string, toKey: string, toId: string) {
    const startedAt = Date.now();
    const [from, to] = this.types(ctx, fromKey, toKey, true);
    const { fromRow, toRow } = this.rows(from, fromId, to, toId);
    const def = ctx.portal.associationTypes.defaultType(from.objectTypeId, to.objectTypeId);
    this.writer.associate(ctx.portal, from, fromRow, to, toRow, [def.typeId]);
    return {
      status: 'COMPLETE',
      results: [{ from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: def.category, associationTypeId: def.typeId } }],
      ...times(startedAt),
    };
  }

  archive(ctx: HubSpotContext, fromKey: string, fromId: string, toKey: string, toId: string): void {
    const [from, to] = this.types(ctx, fromKey, toKey, true);
    const fromRow = from.table.liveRow(fromId);
    const toRow = to.table.liveRow(toId);
    if (fromRow >= 0 && toRow >= 0) this.writer.unassociate(ctx.portal, from, fromRow, to, toRow);
  }

  private writeInputs(body: unknown): unknown[] {
    const inputs = (body as { inputs?: unknown })?.inputs;
    if (!Array.isArray(inputs)) throw validationError('inputs must be an array');
    if (inputs.length > ASSOC_WRITE_LIMIT) throw validationError(`Batch input is limited to ${ASSOC_WRITE_LIMIT} inputs; got ${inputs.length}.`);
    return inputs;
  }

  batchCreate(ctx: HubSpotContext, fromKey: string, toKey: string, body: unknown) {
    const startedAt = Date.now();
    const [from, to] = this.types(ctx, fromKey, toKey, true);
    const results = this.writeInputs(body).map((input, i) => {
      const x = input as { from?: { id?: unknown }; to?: { id?: unknown }; types?: unknown };
      const typeIds = this.parseSpecs(ctx.portal, from, to, x.types, `inputs[${i}].types`);
      const { fromRow, toRow } = this.rows(from, String(x.from?.id ?? ''), to, String(x.to?.id ?? ''));
      const all = this.writer.associate(ctx.portal, from, fromRow, to, toRow, typeIds);
      return this.labelsBetween(ctx.portal, from, fromRow, to, toRow, all);
    });
    return { status: 'COMPLETE', results, ...times(startedAt) };
  }

  batchCreateDefault(ctx: HubSpotContext, fromKey: string, toKey: string, body: unknown) {
    const startedAt = Date.now();
    const [from, to] = this.types(ctx, fromKey, toKey, true);
    const def = ctx.portal.associationTypes.defaultType(from.objectTypeId, to.objectTypeId);
    const results = this.writeInputs(body).map((input) => {
      const x = input as { from?: { id?: unknown }; to?: { id?: unknown } };
      const fromId = String(x.from?.id ?? '');
      const toId = String(x.to?.id ?? '');
      const { fromRow, toRow } = this.rows(from, fromId, to, toId);
      this.writer.associate(ctx.portal, from, fromRow, to, toRow, [def.typeId]);
      return { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: def.category, associationTypeId: def.typeId } };
    });
    return { status: 'COMPLETE', results, ...times(startedAt) };
  }

  batchArchive(ctx: HubSpotContext, fromKey: string, toKey: string, body: unknown): void {
    const [from, to] = this.types(ctx, fromKey, toKey, true);
    for (const input of this.writeInputs(body)) {
      const x = input as { from?: { id?: unknown }; to?: Array<{ id?: unknown }> };
      const fromRow = from.table.liveRow(String(x.from?.id ?? ''));
      if (fromRow < 0) continue;
      for (const t of x.to ?? []) {
        const toRow = to.table.liveRow(String(t?.id ?? ''));
        if (toRow >= 0) this.writer.unassociate(ctx.portal, from, fromRow, to, toRow);
      }
    }
  }

  batchArchiveLabels(ctx: HubSpotContext, fromKey: string, toKey: string, body: unknown): void {
    const [from, to] = this.types(ctx, fromKey, toKey, true);
    this.writeInputs(body).forEach((input, i) => {
      const x = input as { from?: { id?: unknown }; to?: { id?: unknown }; types?: unknown };
      const typeIds = this.parseSpecs(ctx.portal, from, to, x.types, `inputs[${i}].types`);
      const fromRow = from.table.liveRow(String(x.from?.id ?? ''));
      const toRow = to.table.liveRow(String(x.to?.id ?? ''));
      if (fromRow >= 0 && toRow >= 0) this.writer.unassociate(ctx.portal, from, fromRow, to, toRow, typeIds);
    });
  }

  /** `GET /crm/v4/associations/{from}/{to}/labels` (association schema: definitions of a pair). */
  labels(ctx: HubSpotContext, fromKey: string, toKey: string) {
    const [from, to] = this.types(ctx, fromKey, toKey, false);
    return { results: ctx.portal.associationTypes.definitions(from.objectTypeId, to.objectTypeId).map((d) => ({ category: d.category, typeId: d.typeId, label: d.label })) };
  }
}

/** Smallest row whose id is > id (for a cursor whose target no longer exists). */
function lowerRowForId(info: ObjectTypeInfo, id: number): number {
  let lo = 0;
  let hi = info.table.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (info.table.ids[mid] <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
