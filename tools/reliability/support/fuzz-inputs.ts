import fc from 'fast-check';
import { Endpoint } from './endpoints';

/** Ids and values of the fuzzing tenant that make a request valid (so fuzzing also reaches past validation). */
export interface FuzzContext {
  organizationUid: string;
  connectionId: string;
  eltSyncId: string;
  eltStreamId: string;
  runId: string;
  /** A key the fuzzer may revoke (never the one it authenticates with). */
  spareApiKeyUid: string;
  stageIds: string[];
  /** A well-formed key of nobody. */
  unknownApiKey: string;
}

/** One generated request and what a correct 400 must name. */
export interface FuzzCase {
  query: Record<string, string | string[]>;
  /** undefined: no body. A string is sent as the raw body (malformed JSON). */
  body: unknown;
  headers: Record<string, string>;
  /** 'valid' = the fuzzing tenant's key; null = no header; else this header value. */
  apiKey: 'valid' | null | string;
  pathId?: string;
  /** Field names the request made invalid, unknown or left out: a 400 must name one of them. */
  suspects: string[];
  /** The body (or query) was replaced wholesale: a 400 may say "body"/"JSON" instead of a field. */
  wholesale: boolean;
  /** Human-readable summary for failure messages. */
  summary: string;
}

/** Strings that break naive code: SQL/NoSQL/template injections, path tricks, control and odd unicode. */
export const NASTY_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE core.api_keys; --",
  '1; SELECT pg_sleep(3)',
  '" OR ""="',
  '{"$gt": ""}',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  'nul\u0000byte',
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  'hs_object_id GT 0 OR 1=1',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  '0x1F',
  '𝓗𝓾𝓫𝓢𝓹𝓸𝓽',
  '\uD800',
  '\u202Egnp.exe',
  'Ω≈ç√∫˜µ≤≥÷',
  '田中さんにあげて下さい',
  '   ',
  '',
];

const hugeString = fc.integer({ min: 2_000, max: 120_000 }).map((n) => 'Z'.repeat(n));

/** Any JSON value a hostile or buggy client might put where a field goes. */
export const junkJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2), fc.constant(-0)) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 2 }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: hugeString },
);

/** Junk for a query parameter (always text on the wire). */
export const junkQueryValue: fc.Arbitrary<string | string[]> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 7_000 }).map((n) => 'Q'.repeat(n)) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...NASTY_STRINGS), { minLength: 2, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', '0', '-5', '99999999999999999999', '1.5', '[]', '{}') },
);

/** Header values must be byte strings without CR/LF/NUL (fetch refuses others). */
const headerJunk: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.integer({ min: 1_000, max: 12_000 }).map((n) => 'H'.repeat(n)),
  fc.constantFrom("' OR 1=1 --", '../../etc/passwd', '${jndi:x}', ''),
);

const unknownKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '$where', 'deal_stage', 'organizationUid', 'extra'), fc.string({ minLength: 1, maxLength: 12 }));

/** Valid values per field name: what a well-behaved client sends. */
export function validValue(field: string, ctx: FuzzContext, where: 'query' | 'body'): fc.Arbitrary<unknown> {
  const q = <T>(a: fc.Arbitrary<T>) => (where === 'query' ? a.map(String) : a);
  switch (field) {
    case 'organization_uid':
      return fc.constant(ctx.organizationUid);
    case 'deal_stages':
      return fc.subarray(ctx.stageIds, { minLength: 1 });
    case 'mode':
      return fc.constantFrom('full', 'catalog_only');
    case 'lookback':
      return fc.constantFrom('2y', 'P1Y6M', '90d', '12h', 'P2Y');
    case 'object_types':
      return where === 'query' ? fc.constantFrom('companies,contacts', 'deals') : fc.subarray(['companies', 'contacts', 'deals', 'meetings', 'calls'], { minLength: 1 });
    case 'run_id':
      return fc.constant(ctx.runId);
    case 'limit':
      return q(fc.integer({ min: 1, max: 100 }));
    case 'examples':
      return q(fc.integer({ min: 0, max: 50 }));
    case 'after_id':
      return fc.constantFrom('0', '1', '42');
    case 'level':
      return fc.constantFrom('debug', 'info', 'warn', 'error');
    case 'object_type':
      return fc.constantFrom('companies', 'contacts', 'deals');
    case 'rule':
      return fc.constantFrom('missing_domain', 'invalid_email');
    case 'cursor':
      return fc.constant(undefined);
    case 'connection_id':
      return fc.constant(ctx.connectionId);
    case 'destination_schema_name':
      return fc.stringMatching(/^[a-z][a-z0-9_]{3,20}$/).map((s) => `fz_${s}`);
    case 'sync_interval':
      return fc.constantFrom('*/15 * * * *', '0 */6 * * *', '*/15 8-18 * * 1-5');
    case 'time_zone':
      return fc.constantFrom('UTC', 'Europe/Copenhagen', 'America/New_York');
    case 'source_streams':
      return fc.subarray(['contacts', 'companies', 'deals'], { minLength: 1 }).map((names) => names.map((name) => ({ name })));
    case 'target_url':
      return fc.constant('http://127.0.0.1:9/api/integrations/hubspot/webhooks');
    case 'subscriptions':
      return fc.constant([{ event_type: 'contact.creation' }, { event_type: 'deal.propertyChange', property_name: 'dealstage' }]);
    case 'max_concurrent_requests':
      return fc.integer({ min: 5, max: 100 });
    case 'name':
      return fc.constantFrom('fuzz key', 'CI');
    case 'return_to':
      return fc.constant('https://example.com/back');
    case 'label':
      return fc.constantFrom('fuzz', 'hubspot-production');
    case 'include_disconnected':
      return fc.constantFrom('true', 'false');
    case 'access_token':
      return fc.uuid().map((u) => `pat-na1-${u}`);
    case 'integration_id':
      return fc.constant('hubspot-v2');
    case 'redirect_uri':
      return fc.constant('https://example.com/done');
    // Fields a client only has from an earlier answer: absent in the valid case.
    case 'bridge':
    case 'code':
    case 'state':
    case 'error':
    case 'error_description':
      return fc.constant(undefined);
    default:
      throw new Error(`fuzz: no valid value for field ${field}`);
  }
}

type Choice = 'valid' | 'omit' | 'junk';
const choice: fc.Arbitrary<Choice> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Choice>('valid') },
  { weight: 2, arbitrary: fc.constant<Choice>('omit') },
  { weight: 3, arbitrary: fc.constant<Choice>('junk') },
);

interface Part<T> {
  value: T;
  suspects: string[];
  wholesale: boolean;
  notes: string[];
}

/** An object of the known fields, each valid, left out or junk, plus sometimes unknown fields. */
function fieldsObject(fields: string[], ctx: FuzzContext, where: 'query' | 'body'): fc.Arbitrary<Part<Record<string, unknown>>> {
  type Chosen = { f: string; c: Choice; v: unknown };
  const perField: Array<fc.Arbitrary<Chosen>> = fields.map((f) =>
    choice.chain((c): fc.Arbitrary<Chosen> =>
      c === 'valid'
        ? validValue(f, ctx, where).map((v) => ({ f, c, v }))
        : c === 'omit'
          ? fc.constant({ f, c, v: undefined })
          : (where === 'query' ? junkQueryValue : junkJson).map((v) => ({ f, c, v })),
    ),
  );
  const extras = fc.option(fc.dictionary(unknownKey, where === 'query' ? junkQueryValue : junkJson, { minKeys: 1, maxKeys: 2 }), { freq: 5 });
  return fc.tuple(fc.tuple(...perField), extras).map(([chosen, extra]) => {
    const value: Record<string, unknown> = {};
    const suspects: string[] = [];
    const notes: string[] = [];
    for (const { f, c, v } of chosen) {
      // A required field left out, or one only an earlier answer can fill (state, code), must be named.
      if (c === 'omit' || (c === 'valid' && v === undefined)) suspects.push(f);
      if (v === undefined) continue;
      value[f] = v;
      if (c === 'junk') {
        suspects.push(f);
        notes.push(`${f}=${preview(v)}`);
      }
    }
    for (const [k, v] of Object.entries(extra ?? {})) {
      Object.defineProperty(value, k, { value: v, enumerable: true, writable: true, configurable: true });
      suspects.push(k);
      notes.push(`+${k}=${preview(v)}`);
    }
    return { value, suspects, wholesale: false, notes };
  });
}

/** A valid document with some leaves replaced by junk, some keys removed, unknown keys added. */
export function mutatedDocument(template: unknown): fc.Arbitrary<Part<unknown>> {
  const leaves = leafPaths(template);
  const mutations = fc.array(
    fc.record({
      path: fc.constantFrom(...leaves),
      op: fc.constantFrom<'junk' | 'drop' | 'extra'>('junk', 'junk', 'drop', 'extra'),
      junk: junkJson,
      key: unknownKey,
    }),
    { minLength: 0, maxLength: 3 },
  );
  return mutations.map((list) => {
    const doc = structuredClone(template) as any;
    const suspects: string[] = [];
    const notes: string[] = [];
    for (const m of list) {
      const parentPath = m.path.slice(0, -1);
      const parent = parentPath.reduce((node: any, k) => (node && typeof node === 'object' ? node[k] : undefined), doc);
      if (!parent || typeof parent !== 'object') continue;
      const last = m.path[m.path.length - 1];
      if (m.op === 'junk') parent[last] = m.junk;
      else if (m.op === 'drop') {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else if (!Array.isArray(parent)) Object.defineProperty(parent, m.key, { value: m.junk, enumerable: true, writable: true, configurable: true });
      // Every segment may be what the answer names: a key, or an array index ("1 must be an event object").
      suspects.push(...m.path.map(String), ...(m.op === 'extra' ? [m.key] : []));
      notes.push(`${m.op} ${m.path.join('.')}${m.op === 'drop' ? '' : `=${preview(m.junk)}`}`);
    }
    return { value: doc, suspects, wholesale: false, notes };
  });
}

/** A body that is not an object at all, or not JSON. */
const wholesaleBody: fc.Arbitrary<Part<unknown>> = fc
  .oneof(
    junkJson,
    fc.constantFrom('not json', '{"a":', '[', '{"organization_uid": }', '\u0000', 'null', '"text"', '123', 'true', '[1,2,3]', '{'.repeat(5000)),
  )
  .map((value) => ({ value, suspects: ['body', 'json'], wholesale: true, notes: [`body=${preview(value)}`] }));

function leafPaths(node: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (node && typeof node === 'object') {
    const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
    const nested = entries.flatMap(([k, v]) => leafPaths(v, [...path, k]));
    return path.length > 0 ? [path, ...nested] : nested;
  }
  return [path];
}

export function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…(${text.length})` : text;
}

/** The full request generator of one endpoint. */
export function fuzzCase(endpoint: Endpoint, ctx: FuzzContext, templates: { filters: unknown; mappings: unknown; webhookEvents: unknown }): fc.Arbitrary<FuzzCase> {
  const query = endpoint.query ? fieldsObject(endpoint.query, ctx, 'query') : fc.constant<Part<Record<string, unknown>>>({ value: {}, suspects: [], wholesale: false, notes: [] });
  let body: fc.Arbitrary<Part<unknown>>;
  if (endpoint.body === 'free') {
    const template = endpoint.path.endsWith('/filters') ? templates.filters : templates.mappings;
    body = fc.oneof({ weight: 6, arbitrary: mutatedDocument(template) }, { weight: 1, arbitrary: wholesaleBody });
  } else if (endpoint.body === 'webhook-events') {
    body = fc.oneof({ weight: 6, arbitrary: mutatedDocument(templates.webhookEvents) }, { weight: 1, arbitrary: wholesaleBody });
  } else if (Array.isArray(endpoint.body)) {
    body = fc.oneof({ weight: 8, arbitrary: fieldsObject(endpoint.body, ctx, 'body') as fc.Arbitrary<Part<unknown>> }, { weight: 1, arbitrary: wholesaleBody });
  } else if (endpoint.method === 'GET') {
    body = fc.constant<Part<unknown>>({ value: undefined, suspects: [], wholesale: false, notes: [] });
  } else {
    // No body expected: usually none, sometimes junk (must be ignored or rejected, never a 500).
    body = fc.oneof(
      { weight: 3, arbitrary: fc.constant<Part<unknown>>({ value: undefined, suspects: [], wholesale: false, notes: [] }) },
      { weight: 1, arbitrary: wholesaleBody },
    );
  }
  const pathId = endpoint.resource
    ? fc.oneof(
        { weight: 4, arbitrary: fc.constant(validId(endpoint, ctx)) },
        { weight: 2, arbitrary: fc.uuid() },
        { weight: 3, arbitrary: fc.oneof(fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length > 0 && !s.includes('\u0000'))), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), fc.integer({ min: 300, max: 5_000 }).map((n) => 'I'.repeat(n))) },
      )
    : fc.constant(undefined);
  const apiKey: fc.Arbitrary<'valid' | null | string> = fc.oneof(
    { weight: 12, arbitrary: fc.constant<'valid'>('valid') },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(ctx.unknownApiKey) },
    { weight: 1, arbitrary: headerJunk },
  );
  const headers = fc.record(
    {
      'content-type': fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16'),
      accept: fc.oneof(fc.constantFrom('application/json', 'text/html', '*/*', 'text/event-stream'), headerJunk),
      'x-correlation-id': headerJunk,
      'last-event-id': headerJunk,
      'x-forwarded-host': headerJunk,
    },
    { requiredKeys: [] },
  );
  return fc.record({ query, body, pathId, apiKey, headers }).map(({ query: q, body: b, pathId: id, apiKey: key, headers: h }) => {
    // A JSON body needs a JSON content type unless the case wants to test a wrong one.
    const finalHeaders = b.value === undefined ? Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'content-type')) : h;
    // A wrong content type leaves the body unread or undecodable: the answer may name the body, its
    // encoding (JSON) or any field it then misses.
    const suspects = [...q.suspects, ...b.suspects, ...(finalHeaders['content-type'] ? ['body', 'json', 'content-type', ...(Array.isArray(endpoint.body) ? endpoint.body : [])] : [])];
    return {
      query: q.value as Record<string, string | string[]>,
      body: b.value,
      headers: finalHeaders as Record<string, string>,
      apiKey: key,
      pathId: id,
      suspects,
      wholesale: b.wholesale || q.wholesale,
      summary: [
        id !== undefined ? `id=${preview(id)}` : '',
        key === 'valid' ? '' : `x-api-key=${preview(key)}`,
        ...q.notes.map((n) => `query ${n}`),
        ...b.notes.map((n) => `body ${n}`),
        ...Object.entries(finalHeaders).map(([k, v]) => `${k}: ${preview(v)}`),
      ]
        .filter(Boolean)
        .join(' | '),
    };
  });
}

function validId(endpoint: Endpoint, ctx: FuzzContext): string {
  switch (endpoint.resource) {
    case 'elt_sync':
      return ctx.eltSyncId;
    case 'elt_stream':
      return ctx.eltStreamId;
    case 'connection':
      return ctx.connectionId;
    case 'api_key':
      return ctx.spareApiKeyUid;
    default:
      throw new Error(`no id for ${endpoint.path}`);
  }
}
