import { Injectable } from '@nestjs/common';
import { HubSpotError, objectNotFound, unknownObjectType, validationError } from '../http/hubspot-error';
import { HubSpotContext, requireScopes } from '../http/request-context';
import { SandboxState } from '../state/sandbox-state.service';
import { CrmWriter } from './crm-writer.service';
import { ObjectTypeInfo, Portal } from './portal';
import { validatePropertyValues } from './property-validation';
import { recordRenderer, renderAssociations, renderRecord, selectProperties } from './record-renderer';
import { executeSearch } from './search/search-engine';
import { parseSearchRequest } from './search/search-request';

/** Batch endpoints take at most 100 inputs (HubSpot CRM objects API, batch limits). */
export const BATCH_LIMIT = 100;
/** Search bodies above 3,000 characters answer 400 (HubSpot search guide, "Limitations"). */
export const SEARCH_BODY_LIMIT = 3000;

export interface ListQuery {
  limit: number;
  after?: string;
  properties?: string[];
  propertiesWithHistory?: string[];
  associations?: string[];
  archived: boolean;
}

const encodeCursor = (id: number) => Buffer.from(String(id)).toString('base64url');

function decodeCursor(after: string): number {
  const decoded = Buffer.from(after, 'base64url').toString();
  if (!/^\d+$/.test(decoded)) throw validationError(`after "${after}" is not a cursor returned in paging.next.after`);
  return Number(decoded);
}

function batchTimes(startedAt: number) {
  return { startedAt: new Date(startedAt).toISOString(), completedAt: new Date().toISOString() };
}

/** The CRM objects API (`/crm/v3/objects/{objectType}…`) over the in-memory tables. */
@Injectable()
export class ObjectsService {
  constructor(private readonly state: SandboxState, private readonly writer: CrmWriter) {}

  resolve(ctx: HubSpotContext, typeKey: string, write: boolean): ObjectTypeInfo {
    const info = ctx.portal.resolveType(typeKey);
    if (!info) throw unknownObjectType(typeKey);
    requireScopes(ctx, write ? info.writeScopes : info.readScopes);
    return info;
  }

  private renderOptions(ctx: HubSpotContext) {
    return { glitchRate: this.state.knobs(ctx.portal.portalId).typeGlitchRate, random: this.state.random };
  }

  private associationTargets(portal: Portal, names?: string[]): ObjectTypeInfo[] {
    return (names ?? []).map((n) => portal.resolveType(n)).filter((t): t is ObjectTypeInfo => !!t);
  }

  list(ctx: HubSpotContext, typeKey: string, q: ListQuery, baseUrl: string): Record<string, unknown> {
    const info = this.resolve(ctx, typeKey, false);
    if (q.propertiesWithHistory && q.limit > 50) throw validationError('limit must be at most 50 when propertiesWithHistory is requested');
    const table = info.table;
    const results: Record<string, unknown>[] = [];
    // Custom objects have no archived listing (HUBSPOT-FACTS.md, Objects): the request succeeds empty.
    if (q.archived && info.custom) return { results };
    const names = selectProperties(info, q.properties);
    const targets = this.associationTargets(ctx.portal, q.associations);
    const render = recordRenderer(info, names, { ...this.renderOptions(ctx), propertiesWithHistory: q.propertiesWithHistory });
    let row = 0;
    if (q.after) {
      const id = decodeCursor(q.after);
      let lo = 0;
      let hi = table.size;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (table.ids[mid] < id) lo = mid + 1;
        else hi = mid;
      }
      row = lo;
    }
    const wanted = (r: number) => (table.archivedAt[r] !== 0) === q.archived;
    for (; row < table.size && results.length < q.limit; row++) {
      if (!wanted(row)) continue;
      const rec = render(row);
      const assoc = targets.length ? renderAssociations(ctx.portal, info, row, targets) : undefined;
      if (assoc) rec['associations'] = assoc;
      results.push(rec);
    }
    while (row < table.size && !wanted(row)) row++;
    const out: Record<string, unknown> = { results };
    if (row < table.size) {
      const after = encodeCursor(table.ids[row]);
      out['paging'] = { next: { after, link: `${baseUrl}/crm/v3/objects/${typeKey}?after=${after}` } };
    }
    return out;
  }

  /** Row for an id (or an `idProperty` value); merged-away ids resolve to the record they merged into. */
  private findRow(info: ObjectTypeInfo, id: string, idProperty: string | undefined, archived: boolean): number {
    const table = info.table;
    if (idProperty && idProperty !== 'hs_object_id') {
      const def = info.properties.get(idProperty);
      if (!def) throw validationError(`idProperty "${idProperty}" does not exist on ${info.name}`);
      const col = table.column(idProperty);
      if (!col) return -1;
      const wanted = id.toLowerCase();
      for (let r = 0; r < table.size; r++) {
        if ((table.archivedAt[r] !== 0) !== archived) continue;
        const v = col.get(r);
        if (v !== null && v.toLowerCase() === wanted) return r;
      }
      return -1;
    }
    if (!/^\d+$/.test(id)) return -1;
    let row = table.rowOf(Number(id));
    if (!archived && row >= 0 && table.archivedAt[row] !== 0) {
      const into = table.mergedInto.get(Number(id));
      row = into !== undefined ? table.rowOf(into) : -1;
    }
    if (row < 0) return -1;
    return (table.archivedAt[row] !== 0) === archived ? row : -1;
  }

  get(ctx: HubSpotContext, typeKey: string, id: string, q: Omit<ListQuery, 'limit' | 'after'> & { idProperty?: string }): Record<string, unknown> {
    const info = this.resolve(ctx, typeKey, false);
    const row = this.findRow(info, id, q.idProperty, q.archived);
    if (row < 0) throw objectNotFound();
    const rec = renderRecord(info, row, selectProperties(info, q.properties), { ...this.renderOptions(ctx), propertiesWithHistory: q.propertiesWithHistory });
    const assoc = q.associations ? renderAssociations(ctx.portal, info, row, this.associationTargets(ctx.portal, q.associations)) : undefined;
    if (assoc) rec['associations'] = assoc;
    return rec;
  }

  private createOne(ctx: HubSpotContext, info: ObjectTypeInfo, input: unknown, where: string): number {
    if (!input || typeof input !== 'object') throw validationError(`${where} must be an object with "properties"`);
    const body = input as Record<string, unknown>;
    const props = validatePropertyValues(ctx.portal, info, body['properties'], `${where}.properties`);
    const assocs = this.parseCreateAssociations(ctx, info, body['associations'], where);
    if (info.objectTypeId === '0-1' && props['email']) {
      const existing = this.findRow(info, props['email'], 'email', false);
      if (existing >= 0) {
        throw new HubSpotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${info.table.ids[existing]}`, { context: { existingId: [String(info.table.ids[existing])] } });
      }
    }
    const row = this.writer.create(ctx.portal, info, props);
    for (const a of assocs) this.writer.associate(ctx.portal, info, row, a.target, a.toRow, a.typeIds);
    return row;
  }

  /** `associations: [{ to: {id}, types: [{associationCategory, associationTypeId}] }]` — the type id names the target type. */
  private parseCreateAssociations(ctx: HubSpotContext, info: ObjectTypeInfo, raw: unknown, where: string) {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) throw validationError(`${where}.associations must be an array`);
    return raw.map((a, i) => {
      const to = (a as { to?: { id?: unknown } })?.to?.id;
      const types = (a as { types?: Array<{ associationTypeId?: unknown }> })?.types;
      if (to === undefined || !Array.isArray(types) || types.length === 0) throw validationError(`${where}.associations[${i}] needs to.id and types`);
      const typeIds = types.map((t) => Number(t.associationTypeId));
      const found = ctx.portal.associationTypes.find(typeIds[0]);
      if (!found || found.from !== info.objectTypeId) throw validationError(`${where}.associations[${i}]: association type ${typeIds[0]} does not start at ${info.name}`);
      const target = ctx.portal.requireType(found.to);
      const toRow = target.table.liveRow(String(to));
      if (toRow < 0) throw validationError(`${where}.associations[${i}]: ${target.name} ${String(to)} does not exist`);
      return { target, toRow, typeIds };
    });
  }

  private renderWritten(ctx: HubSpotContext, info: ObjectTypeInfo, row: number, written: string[]): Record<string, unknown> {
    const names = [...new Set([...info.defaultProperties, ...written])];
    return renderRecord(info, row, names, this.renderOptions(ctx));
  }

  create(ctx: HubSpotContext, typeKey: string, body: unknown): Record<string, unknown> {
    const info = this.resolve(ctx, typeKey, true);
    const row = this.createOne(ctx, info, body, 'body');
    return this.renderWritten(ctx, info, row, Object.keys((body as { properties?: object }).properties ?? {}));
  }

  update(ctx: HubSpotContext, typeKey: string, id: string, body: unknown, idProperty?: string): Record<string, unknown> {
    const info = this.resolve(ctx, typeKey, true);
    const row = this.findRow(info, id, idProperty, false);
    if (row < 0) throw objectNotFound();
    const props = validatePropertyValues(ctx.portal, info, (body as { properties?: unknown })?.properties);
    this.writer.update(ctx.portal, info, row, props);
    return this.renderWritten(ctx, info, row, Object.keys(props));
  }

  /** DELETE answers 204 whether or not the record existed (archiving is idempotent). */
  archive(ctx: HubSpotContext, typeKey: string, id: string): void {
    const info = this.resolve(ctx, typeKey, true);
    const row = info.table.liveRow(id);
    if (row >= 0) this.writer.archive(ctx.portal, info, row);
  }

  private inputs(body: unknown, limit = BATCH_LIMIT): unknown[] {
    const inputs = (body as { inputs?: unknown })?.inputs;
    if (!Array.isArray(inputs)) throw validationError('inputs must be an array');
    if (inputs.length > limit) throw validationError(`Batch input is limited to ${limit} inputs; got ${inputs.length}.`, { context: { inputs: [String(inputs.length)] } });
    return inputs;
  }

  batchRead(ctx: HubSpotContext, typeKey: string, body: unknown, archived: boolean): { status: number; body: Record<string, unknown> } {
    const startedAt = Date.now();
    const info = this.resolve(ctx, typeKey, false);
    const inputs = this.inputs(body);
    const b = body as { properties?: unknown; propertiesWithHistory?: unknown; idProperty?: unknown };
    const properties = Array.isArray(b.properties) ? b.properties.map(String) : undefined;
    const withHistory = Array.isArray(b.propertiesWithHistory) ? b.propertiesWithHistory.map(String) : undefined;
    const idProperty = typeof b.idProperty === 'string' ? b.idProperty : undefined;
    const render = recordRenderer(info, selectProperties(info, properties), { ...this.renderOptions(ctx), propertiesWithHistory: withHistory });
    const results: Record<string, unknown>[] = [];
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const input of inputs) {
      const id = String((input as { id?: unknown })?.id ?? '');
      if (seen.has(id)) continue;
      seen.add(id);
      const row = this.findRow(info, id, idProperty, archived);
      if (row < 0) missing.push(id);
      else results.push(render(row));
    }
    return this.batchResponse(results, missing, info, startedAt, 200);
  }

  private batchResponse(results: Record<string, unknown>[], missing: string[], info: ObjectTypeInfo, startedAt: number, okStatus: number) {
    const base = { status: 'COMPLETE', results, ...batchTimes(startedAt) };
    if (missing.length === 0) return { status: okStatus, body: base };
    // 207 with per-input errors (SDK BatchResponseSimplePublicObjectWithErrors).
    return {
      status: 207,
      body: {
        ...base,
        numErrors: 1,
        errors: [{
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: `Could not get some ${info.singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
          context: { ids: missing },
        }],
      },
    };
  }

  batchCreate(ctx: HubSpotContext, typeKey: string, body: unknown): { status: number; body: Record<string, unknown> } {
    const startedAt = Date.now();
    const info = this.resolve(ctx, typeKey, true);
    const inputs = this.inputs(body);
    // Validate everything first: an invalid input fails the whole batch, as HubSpot does.
    inputs.forEach((input, i) => validatePropertyValues(ctx.portal, info, (input as { properties?: unknown })?.properties, `inputs[${i}].properties`));
    const results = inputs.map((input, i) => {
      const row = this.createOne(ctx, info, input, `inputs[${i}]`);
      return this.renderWritten(ctx, info, row, Object.keys((input as { properties?: object }).properties ?? {}));
    });
    return { status: 201, body: { status: 'COMPLETE', results, ...batchTimes(startedAt) } };
  }

  batchUpdate(ctx: HubSpotContext, typeKey: string, body: unknown): { status: number; body: Record<string, unknown> } {
    const startedAt = Date.now();
    const info = this.resolve(ctx, typeKey, true);
    const inputs = this.inputs(body);
    const ids = inputs.map((i) => String((i as { id?: unknown })?.id ?? ''));
    if (new Set(ids).size !== ids.length) throw validationError('Duplicate IDs found in batch input: each id may appear once.');
    const parsed = inputs.map((input, i) => validatePropertyValues(ctx.portal, info, (input as { properties?: unknown })?.properties, `inputs[${i}].properties`));
    const results: Record<string, unknown>[] = [];
    const missing: string[] = [];
    inputs.forEach((input, i) => {
      const idProperty = (input as { idProperty?: string }).idProperty;
      const row = this.findRow(info, ids[i], idProperty, false);
      if (row < 0) return missing.push(ids[i]);
      this.writer.update(ctx.portal, info, row, parsed[i]);
      results.push(this.renderWritten(ctx, info, row, Object.keys(parsed[i])));
    });
    return this.batchResponse(results, missing, info, startedAt, 200);
  }

  batchUpsert(ctx: HubSpotContext, typeKey: string, body: unknown): { status: number; body: Record<string, unknown> } {
    const startedAt = Date.now();
    const info = this.resolve(ctx, typeKey, true);
    const inputs = this.inputs(body);
    const results = inputs.map((input, i) => {
      const { id, idProperty } = input as { id?: unknown; idProperty?: string };
      if (!idProperty || id === undefined) throw validationError(`inputs[${i}] needs id and idProperty`);
      const props = validatePropertyValues(ctx.portal, info, (input as { properties?: unknown }).properties, `inputs[${i}].properties`);
      let row = this.findRow(info, String(id), idProperty, false);
      const isNew = row < 0;
      if (isNew) row = this.writer.create(ctx.portal, info, { ...props, [idProperty]: String(id) });
      else this.writer.update(ctx.portal, info, row, props);
      return { ...this.renderWritten(ctx, info, row, Object.keys(props)), new: isNew };
    });
    return { status: 200, body: { status: 'COMPLETE', results, ...batchTimes(startedAt) } };
  }

  batchArchive(ctx: HubSpotContext, typeKey: string, body: unknown): void {
    const info = this.resolve(ctx, typeKey, true);
    for (const input of this.inputs(body)) {
      const row = info.table.liveRow(String((input as { id?: unknown })?.id ?? ''));
      if (row >= 0) this.writer.archive(ctx.portal, info, row);
    }
  }

  search(ctx: HubSpotContext, typeKey: string, body: unknown, rawLength: number, baseUrl: string): Record<string, unknown> {
    const info = this.resolve(ctx, typeKey, false);
    if (rawLength > SEARCH_BODY_LIMIT) {
      throw validationError(`The search request body is ${rawLength} characters; the limit is ${SEARCH_BODY_LIMIT}.`);
    }
    const limits = this.state.knobs(ctx.portal.portalId).search;
    const req = parseSearchRequest(body, limits);
    const result = executeSearch(info, req, Date.now(), limits.maxResults);
    const render = recordRenderer(info, selectProperties(info, req.properties), this.renderOptions(ctx));
    const results = result.rows.map((row) => render(row, result.snapshots.get(row)));
    const out: Record<string, unknown> = { total: result.total, results };
    const next = req.offset + req.limit;
    if (req.limit > 0 && next < result.total) {
      out['paging'] = { next: { after: String(next), link: `${baseUrl}/crm/v3/objects/${typeKey}/search?after=${next}` } };
    }
    return out;
  }

  merge(ctx: HubSpotContext, typeKey: string, body: unknown): Record<string, unknown> {
    const info = this.resolve(ctx, typeKey, true);
    if (!info.mergeable) throw validationError(`Merging is not supported for ${info.name}; it is available for contacts, companies, deals and tickets.`);
    const b = body as { primaryObjectId?: unknown; objectIdToMerge?: unknown };
    const primaryId = String(b?.primaryObjectId ?? '');
    const mergeId = String(b?.objectIdToMerge ?? '');
    if (!primaryId || !mergeId) throw validationError('primaryObjectId and objectIdToMerge are required');
    if (primaryId === mergeId) throw validationError('primaryObjectId and objectIdToMerge must be different records');
    const primary = info.table.liveRow(primaryId);
    const other = info.table.liveRow(mergeId);
    if (primary < 0 || other < 0) throw objectNotFound(`Object not found: ${primary < 0 ? primaryId : mergeId}`);
    this.writer.merge(ctx.portal, info, primary, other);
    return renderRecord(info, primary, info.defaultProperties, this.renderOptions(ctx));
  }

  gdprDelete(ctx: HubSpotContext, body: unknown): void {
    const info = this.resolve(ctx, 'contacts', true);
    const b = body as { objectId?: unknown; idProperty?: string };
    const row = this.findRow(info, String(b?.objectId ?? ''), b?.idProperty, false);
    if (row < 0) throw objectNotFound();
    this.writer.archive(ctx.portal, info, row);
  }
}
