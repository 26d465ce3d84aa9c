import { HubspotAssociationV1, HubspotOwnerV1, HubspotPropertyDefinitionV1, HubspotRecordV1 } from '@hubsync/contracts';
import { chunkPropertiesForUrl, DEFAULT_MAX_URL_BYTES } from '../paging/property-chunks';
import { malformed, PipelineShape, toAssociations, toOwner, toPipeline, toPropertyDefinition, toRecord } from '../records/record-mapping';
import { SearchRequestBody } from '../search/search-types';
import { CallOptions, PortalTransport } from './portal-transport';
import { stripTrailingSlash } from './sdk-client.factory';

export interface SearchPage {
  /** HubSpot's `total` for the query (an estimate for progress). */
  total: number;
  results: HubspotRecordV1[];
  /** Offset of the next page, if any. */
  nextAfter?: string;
}

export interface ListPage {
  results: HubspotRecordV1[];
  nextAfter?: string;
}

export interface BatchReadResult {
  records: HubspotRecordV1[];
  /** Requested ids HubSpot did not return (deleted, merged away, never existed). */
  missingIds: string[];
}

export interface AssociationPageResult {
  fromId: string;
  associations: HubspotAssociationV1[];
  /** Per-object paging: ask again for this from-id with `after` to get the rest. */
  nextAfter?: string;
}

export interface AssociationBatchResult {
  results: AssociationPageResult[];
  /** From-ids HubSpot reported as errors (object gone). */
  failedIds: string[];
}

export interface CustomObjectSchema {
  objectTypeId: string;
  fullyQualifiedName: string;
  name: string;
  properties: HubspotPropertyDefinitionV1[];
}

export interface AccountDetails {
  portalId: string;
  timeZone: string;
  currency: string | null;
}

export interface ListPageRequest {
  after?: string;
  limit?: number;
  properties: string[];
  archived?: boolean;
}

/** Batch endpoint limits (HUBSPOT-FACTS "Objects", "Associations (v4)"). */
export const BATCH_READ_MAX_INPUTS = 100;
export const ASSOCIATIONS_BATCH_MAX_INPUTS = 1000;
export const LIST_PAGE_MAX = 100;

/**
 * Typed HubSpot reads for one portal, each through the portal's transport (limiter, retry, error
 * normalisation). Responses are validated and mapped to the message shapes of libs/contracts.
 */
export class HubspotPortalClient {
  constructor(
    private readonly transport: PortalTransport,
    private readonly basePath: string,
    private readonly maxUrlBytes = DEFAULT_MAX_URL_BYTES,
  ) {}

  get limiter() {
    return this.transport.limiter;
  }

  /** `POST /crm/v3/objects/{type}/search` — on the search budget. */
  async search(objectType: string, body: SearchRequestBody, options: CallOptions = {}): Promise<SearchPage> {
    const op = `search ${objectType}`;
    // Record reads go through `apiRequest` and plain JSON, not the typed `…WithHttpInfo` methods: the
    // SDK's ObjectSerializer (codegen/crm/objects/models/ObjectSerializer.ts `deserialize`) walked
    // every record into model classes and Dates only for toRecord to walk it again — 13% of the
    // fetcher's busy time in the unthrottled profile. Same URLs and bodies as the typed methods.
    const { data } = await this.transport.raw(op, 'search', { method: 'POST', path: `${objectPath(objectType)}/search`, body }, options);
    const d = data as unknown as Record<string, unknown>;
    if (!Array.isArray(d?.['results'])) throw malformed(op, 'results');
    const total = Number(d['total'] ?? 0);
    return {
      total: Number.isFinite(total) ? total : 0,
      results: (d['results'] as unknown[]).map((r) => toRecord(r, op)),
      nextAfter: nextAfterOf(d['paging']),
    };
  }

  /** `POST /crm/v3/objects/{type}/batch/read` with properties in the body (no URL limit); ≤ 100 ids. */
  async batchRead(objectType: string, ids: string[], properties: string[], options: CallOptions & { archived?: boolean } = {}): Promise<BatchReadResult> {
    if (ids.length === 0) return { records: [], missingIds: [] };
    if (ids.length > BATCH_READ_MAX_INPUTS) throw new Error(`batch read takes at most ${BATCH_READ_MAX_INPUTS} ids, got ${ids.length}`);
    const op = `batch read ${objectType}`;
    const input = { inputs: ids.map((id) => ({ id })), properties, propertiesWithHistory: [] as string[] };
    const { data } = await this.transport.raw(
      op,
      'general',
      { method: 'POST', path: `${objectPath(objectType)}/batch/read`, qs: { archived: String(options.archived ?? false) }, body: input },
      options,
    );
    const d = data as unknown as Record<string, unknown>;
    if (!Array.isArray(d?.['results'])) throw malformed(op, 'results');
    const records = (d['results'] as unknown[]).map((r) => toRecord(r, op, options.archived ?? false));
    const seen = new Set(records.map((r) => r.id));
    return { records, missingIds: ids.filter((id) => !seen.has(id)) };
  }

  /**
   * `GET /crm/v3/objects/{type}` (id-ordered, `after` cursor; `archived=true` lists only archived
   * objects). The property list is split so every URL stays under the 414 limit; the extra chunks
   * fetch the same page, and records a later chunk did not return are completed by batch read.
   */
  async listPage(objectType: string, request: ListPageRequest, options: CallOptions = {}): Promise<ListPage> {
    const op = `list ${objectType}${request.archived ? ' (archived)' : ''}`;
    const limit = Math.min(request.limit ?? LIST_PAGE_MAX, LIST_PAGE_MAX);
    const fixedParams: [string, string][] = [['limit', String(limit)], ...(request.after ? [['after', request.after] as [string, string]] : []), ['archived', String(request.archived ?? false)]];
    const fixed = `${stripTrailingSlash(this.basePath)}${objectPath(objectType)}?${new URLSearchParams(fixedParams)}`;
    const chunks = chunkPropertiesForUrl(fixed, request.properties, this.maxUrlBytes);
    const fetchChunk = async (properties: string[]) => {
      const qs: [string, string][] = [...fixedParams, ...properties.map((p) => ['properties', p] as [string, string])];
      const { data } = await this.transport.raw(op, 'general', { method: 'GET', path: objectPath(objectType), qs }, options);
      const d = data as unknown as Record<string, unknown>;
      if (!Array.isArray(d?.['results'])) throw malformed(op, 'results');
      return { records: (d['results'] as unknown[]).map((r) => toRecord(r, op, request.archived ?? false)), nextAfter: nextAfterOf(d['paging']) };
    };
    const first = await fetchChunk(chunks[0]);
    for (const chunk of chunks.slice(1)) {
      const more = await fetchChunk(chunk);
      const byId = new Map(more.records.map((r) => [r.id, r]));
      const incomplete: string[] = [];
      for (const record of first.records) {
        const extra = byId.get(record.id);
        if (extra) Object.assign(record.properties, extra.properties);
        else incomplete.push(record.id);
      }
      // The page moved between chunk requests (a create or delete): complete those records by id.
      for (let i = 0; i < incomplete.length; i += BATCH_READ_MAX_INPUTS) {
        const read = await this.batchRead(objectType, incomplete.slice(i, i + BATCH_READ_MAX_INPUTS), chunk, { ...options, archived: request.archived });
        for (const r of read.records) Object.assign(first.records.find((x) => x.id === r.id)?.properties ?? {}, r.properties);
      }
    }
    return { results: first.records, nextAfter: first.nextAfter };
  }

  /**
   * `POST /crm/v4/associations/{from}/{to}/batch/read` — ≤ 1,000 inputs `{id, after?}`; each result
   * may carry its own `paging.next.after` (per-object paging).
   */
  async associationsBatchRead(fromType: string, toType: string, inputs: { id: string; after?: string }[], options: CallOptions = {}): Promise<AssociationBatchResult> {
    if (inputs.length === 0) return { results: [], failedIds: [] };
    if (inputs.length > ASSOCIATIONS_BATCH_MAX_INPUTS) throw new Error(`association batch read takes at most ${ASSOCIATIONS_BATCH_MAX_INPUTS} inputs, got ${inputs.length}`);
    const op = `associations ${fromType}→${toType}`;
    const body = { inputs: inputs.map((i) => (i.after ? { id: i.id, after: i.after } : { id: i.id })) };
    const { data } = await this.transport.raw(
      op,
      'general',
      { method: 'POST', path: `/crm/v4/associations/${encodeURIComponent(fromType)}/${encodeURIComponent(toType)}/batch/read`, body },
      options,
    );
    const d = data as unknown as Record<string, unknown>;
    if (!Array.isArray(d?.['results'])) throw malformed(op, 'results');
    const results = (d['results'] as Record<string, unknown>[]).map((r) => {
      // HubSpot's JSON says `from`; the SDK's typed models rename it `_from`
      // (codegen/crm/associations/v4/models/PublicAssociationMultiWithLabel.ts): accept both.
      const from = (r['_from'] ?? r['from']) as Record<string, unknown> | undefined;
      const fromId = from?.['id'];
      if (typeof fromId !== 'string' && typeof fromId !== 'number') throw malformed(op, 'results[].from.id');
      return { fromId: String(fromId), associations: toAssociations(String(fromId), r['to'], op), nextAfter: nextAfterOf(r['paging']) };
    });
    const failedIds: string[] = [];
    if (Array.isArray(d['errors'])) {
      for (const e of d['errors'] as Record<string, unknown>[]) {
        const ids = (e?.['context'] as Record<string, unknown> | undefined)?.['ids'];
        if (Array.isArray(ids)) ids.forEach((id) => failedIds.push(String(id)));
      }
    }
    return { results, failedIds };
  }

  /** `GET /crm/v3/schemas` — custom objects only (core ones are not listed there). */
  async customSchemas(options: CallOptions = {}): Promise<CustomObjectSchema[]> {
    const op = 'list schemas';
    const { data } = await this.transport.call(op, 'general', (c) => c.crm.schemas.coreApi.getAllWithHttpInfo(false), options);
    const d = data as unknown as Record<string, unknown>;
    if (!Array.isArray(d?.['results'])) throw malformed(op, 'results');
    return (d['results'] as Record<string, unknown>[]).map((s) => {
      const objectTypeId = s['objectTypeId'] ?? (s['id'] ? `2-${s['id']}` : undefined);
      if (typeof objectTypeId !== 'string') throw malformed(op, 'results[].objectTypeId');
      const properties = Array.isArray(s['properties']) ? (s['properties'] as unknown[]).map((p) => toPropertyDefinition(p, op)) : [];
      return {
        objectTypeId,
        fullyQualifiedName: typeof s['fullyQualifiedName'] === 'string' ? (s['fullyQualifiedName'] as string) : objectTypeId,
        name: typeof s['name'] === 'string' ? (s['name'] as string) : objectTypeId,
        properties,
      };
    });
  }

  /** `GET /crm/v3/properties/{type}` — every property of an object type. */
  async properties(objectType: string, options: CallOptions = {}): Promise<HubspotPropertyDefinitionV1[]> {
    const op = `properties ${objectType}`;
    const { data } = await this.transport.call(op, 'general', (c) => c.crm.properties.coreApi.getAllWithHttpInfo(objectType, false), options);
    const d = data as unknown as Record<string, unknown>;
    if (!Array.isArray(d?.['results'])) throw malformed(op, 'results');
    return (d['results'] as unknown[]).map((p) => toPropertyDefinition(p, op));
  }

  /** `GET /crm/v3/pipelines/{deals|tickets}` — pipelines have no schema endpoint. */
  async pipelines(objectType: 'deals' | 'tickets', options: CallOptions = {}): Promise<PipelineShape[]> {
    const op = `pipelines ${objectType}`;
    const { data } = await this.transport.call(op, 'general', (c) => c.crm.pipelines.pipelinesApi.getAllWithHttpInfo(objectType), options);
    const d = data as unknown as Record<string, unknown>;
    if (!Array.isArray(d?.['results'])) throw malformed(op, 'results');
    return (d['results'] as unknown[]).map((p) => toPipeline(p, op));
  }

  /** `GET /crm/v3/owners` (paged). */
  async ownersPage(after?: string, archived = false, options: CallOptions = {}): Promise<{ owners: HubspotOwnerV1[]; nextAfter?: string }> {
    const op = `owners${archived ? ' (archived)' : ''}`;
    const { data } = await this.transport.call(op, 'general', (c) => c.crm.owners.ownersApi.getPageWithHttpInfo(undefined, after, 100, archived), options);
    const d = data as unknown as Record<string, unknown>;
    if (!Array.isArray(d?.['results'])) throw malformed(op, 'results');
    return { owners: (d['results'] as unknown[]).map((o) => toOwner(o, op)), nextAfter: nextAfterOf(d['paging']) };
  }

  /** `GET /account-info/v3/details` — no typed SDK method, so through the SDK's `apiRequest`. */
  async accountDetails(options: CallOptions = {}): Promise<AccountDetails> {
    const op = 'account details';
    const { data } = await this.transport.raw<Record<string, unknown>>(op, 'general', { method: 'GET', path: '/account-info/v3/details' }, options);
    const portalId = data?.['portalId'];
    if (typeof portalId !== 'number' && typeof portalId !== 'string') throw malformed(op, 'portalId');
    const timeZone = typeof data['timeZone'] === 'string' && data['timeZone'] ? (data['timeZone'] as string) : 'UTC';
    const currency = typeof data['companyCurrency'] === 'string' ? (data['companyCurrency'] as string) : null;
    return { portalId: String(portalId), timeZone, currency };
  }
}

/** `/crm/v3/objects/{type}` with the type encoded as the SDK does for path parameters. */
function objectPath(objectType: string): string {
  return `/crm/v3/objects/${encodeURIComponent(objectType)}`;
}

function nextAfterOf(paging: unknown): string | undefined {
  const next = (paging as Record<string, unknown> | undefined)?.['next'] as Record<string, unknown> | undefined;
  const after = next?.['after'];
  return typeof after === 'string' && after ? after : typeof after === 'number' ? String(after) : undefined;
}
