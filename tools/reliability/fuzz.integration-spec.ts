import fc from 'fast-check';
import { call, errorText, HttpAnswer, queryString } from './support/http';
import { changedTables, tableFingerprints } from './support/db-fingerprint';
import { Endpoint, endpointName, ENDPOINTS, openApiKey, pathWithId, PUBLIC_OPERATIONAL_PATHS, SYNC_API_DOC_PATHS } from './support/endpoints';
import { FuzzCase, fuzzCase, FuzzContext } from './support/fuzz-inputs';
import { FILTERS_TEMPLATE, MAPPINGS_TEMPLATE, prepareFuzzTenant, signWebhook, webhookEventsTemplate } from './support/fuzz-fixture';
import { ReliabilityStack, startReliabilityStack, Tenant } from './support/reliability-stack';

/**
 * Issue 9 §2: property-based requests (fast-check) against every REST endpoint of sync-api and
 * auth-gateway, each running as its own process. Every answer must be a success or a 4xx whose
 * message names the offending field; a 5xx fails; the services stay up; a rejected request changes
 * no row. FUZZ_RUNS (default 12 per endpoint) and FUZZ_SEED reproduce or deepen a run.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 12);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261122);

/** What HubSpot is configured to call (and signs): sync-api verifies against it, not the Host header. */
const PUBLIC_WEBHOOK_URL = 'https://sync.example.com/api/integrations/hubspot/webhooks';

jest.setTimeout(180_000);

describe('fuzzed input: every endpoint answers a success or a 4xx naming the field, never a 5xx', () => {
  let rs: ReliabilityStack;
  let tenant: Tenant;
  let ctx: FuzzContext;
  let portalId: number;
  let clientSecret: string;
  let unchangedSince: Record<string, string> | null = null;

  beforeAll(async () => {
    rs = await startReliabilityStack({
      apps: ['auth-gateway', 'sync-api'],
      env: {
        LOG_LEVEL: 'warn',
        API_RATE_LIMIT_PER_MINUTE: '1000000',
        SCHEDULER_ENABLED: 'false',
        STAGES_WAIT_MS: '300',
        WEBHOOK_PUBLIC_URL: PUBLIC_WEBHOOK_URL,
      },
    });
    // A HubSpot app whose webhook subscriptions sync-api may manage (POST …/webhooks/subscribe).
    const webhookApp = await rs.admin.createApp({ appType: 'public' });
    await rs.stack.restart('sync-api', { HUBSPOT_APP_ID: String(webhookApp.appId), HUBSPOT_DEVELOPER_API_KEY: webhookApp.developerApiKey });
    clientSecret = rs.stack.hubspotApp.clientSecret;
    portalId = (await rs.portal({ sizes: { contacts: 20, companies: 10, deals: 10 } })).portalId;
    tenant = await rs.tenant('fuzz');
    ctx = await prepareFuzzTenant(rs, tenant, portalId);
  }, 240_000);

  afterAll(async () => {
    await rs?.stop();
  });

  it('the endpoint list covers every operation in sync-api’s OpenAPI document', async () => {
    const doc = await call(rs.stack.urls['sync-api'], { method: 'GET', path: '/docs-json' });
    expect(doc.status).toBe(200);
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => openApiKey(m, path)),
    );
    const ignored = new Set([...PUBLIC_OPERATIONAL_PATHS, ...SYNC_API_DOC_PATHS].map((p) => `GET ${p}`));
    const listed = new Set(ENDPOINTS.filter((e) => e.app === 'sync-api').map((e) => `${e.method} ${e.path}`));
    expect(documented.filter((k) => !ignored.has(k) && !listed.has(k))).toEqual([]);
  });

  // Read-only and additive endpoints first; the ones that disable or delete what they name last.
  const ordered = [...ENDPOINTS.filter((e) => !e.destructive), ...ENDPOINTS.filter((e) => e.destructive)];
  it.each(ordered.map((e) => [endpointName(e), e] as const))('%s', async (_name, endpoint) => {
    const violations: string[] = [];
    const arbitrary =
      endpoint.auth === 'webhook-signature'
        ? fc.tuple(fuzzCase(endpoint, ctx, templates()), fc.boolean())
        : fuzzCase(endpoint, ctx, templates()).map((c) => [c, false] as const);
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([fuzz, signed]) => {
        const problem = await exercise(endpoint, fuzz, signed);
        if (problem) violations.push(`${problem}\n    request: ${fuzz.summary || '(valid request)'}`);
        return true;
      }),
      { numRuns: RUNS, seed: SEED + hash(endpointName(endpoint)) },
    );
    for (const app of ['sync-api', 'auth-gateway'] as const) {
      expect(rs.stack.apps[app]?.running).toBe(true);
      expect((await call(rs.stack.urls[app], { method: 'GET', path: '/health/live' })).status).toBe(200);
    }
    expect(violations).toEqual([]);
  });

  function templates() {
    return { filters: FILTERS_TEMPLATE, mappings: MAPPINGS_TEMPLATE, webhookEvents: webhookEventsTemplate(portalId) };
  }

  /** Sends one fuzzed request and answers what was wrong with the answer (null = fine). */
  async function exercise(endpoint: Endpoint, fuzz: FuzzCase, signed: boolean): Promise<string | null> {
    // After a rejected request the database is as it was, so its "after" is the next "before".
    const before = unchangedSince ?? (await tableFingerprints(rs.db));
    unchangedSince = null;
    const path = `${fuzz.pathId !== undefined ? pathWithId(endpoint, fuzz.pathId) : endpoint.path}${queryString(fuzz.query)}`;
    const baseUrl = rs.stack.urls[endpoint.app];
    const rawBody = fuzz.body === undefined ? undefined : typeof fuzz.body === 'string' ? fuzz.body : JSON.stringify(fuzz.body);
    const headers: Record<string, string> = { ...fuzz.headers };
    if (signed && rawBody !== undefined) {
      delete headers['x-forwarded-host'];
      Object.assign(headers, signWebhook(clientSecret, PUBLIC_WEBHOOK_URL, rawBody));
    }
    let answer: HttpAnswer;
    try {
      answer = await call(baseUrl, {
        method: endpoint.method,
        path,
        apiKey: fuzz.apiKey === 'valid' ? tenant.apiKey : (fuzz.apiKey ?? undefined),
        body: rawBody,
        headers,
        headOnly: endpoint.sse,
        timeoutMs: 20_000,
      });
    } catch (error) {
      return `no answer: ${(error as Error).message}`;
    }
    const status = answer.status;
    if (status >= 500) return `answered ${status}: ${answer.text.slice(0, 300)}`;
    if (status >= 300 && status < 400) {
      const redirectsByDesign = endpoint.path.endsWith('/start') || endpoint.path.endsWith('/callback');
      return redirectsByDesign ? null : `answered a redirect ${status}`;
    }
    if (status < 400) return null;
    // Limits of the HTTP layer itself (header block, body size) answer before any route runs.
    const transportLimit = status === 413 || status === 431;
    const after = await tableFingerprints(rs.db);
    const changed = changedTables(before, after);
    if (changed.length > 0) return `rejected with ${status} but changed rows in ${changed.join(', ')}`;
    unchangedSince = after;
    if (status === 401) {
      const keyOk = fuzz.apiKey === 'valid' && endpoint.auth === 'api-key';
      const signatureOk = endpoint.auth === 'webhook-signature' && signed && fuzz.headers['content-type'] === undefined;
      return keyOk || signatureOk ? `401 for a request with valid credentials: ${errorText(answer).slice(0, 200)}` : null;
    }
    // Unsigned webhooks: 401, unless the body never parsed (body-parser answers before any route).
    const unparsable = status === 400 && /json/i.test(errorText(answer));
    if (endpoint.auth === 'webhook-signature' && !signed && !transportLimit && !unparsable) return `unsigned webhook answered ${status} instead of 401`;
    if (status === 400 || status === 422) return namesAField(endpoint, fuzz, answer, rawBody);
    return null;
  }
});

/** A 400 must name one of the fields the request got wrong (or the body, when it was not an object). */
function namesAField(endpoint: Endpoint, fuzz: FuzzCase, answer: HttpAnswer, rawBody: string | undefined): string | null {
  const message = errorText(answer).toLowerCase();
  if (!message.trim()) return `400 without a message`;
  const known = [...(endpoint.query ?? []), ...(Array.isArray(endpoint.body) ? endpoint.body : []), 'body', 'query', 'id'];
  // A free-form body is the document itself: "filters must be …" names it.
  const document = endpoint.body === 'free' ? [endpoint.path.split('/').pop() as string] : [];
  // A body that is not an object may be answered by naming the fields it lacks; a form-encoded one
  // turns its text into field names, which "… is not a known field" then names.
  const raw = rawBody !== undefined && fuzz.headers['content-type'] ? [rawBody.slice(0, 40)] : [];
  const candidates = [...(fuzz.suspects.length > 0 ? fuzz.suspects : known), ...document, ...raw, ...(fuzz.wholesale ? known : [])];
  const named = candidates.some((s) => s.length > 0 && message.includes(s.toLowerCase())) || (fuzz.wholesale && /body|json|object|array/.test(message));
  return named ? null : `400 does not name the field (expected one of ${candidates.slice(0, 8).join(', ')}): ${errorText(answer).slice(0, 240)}`;
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return Math.abs(h) % 1_000_000;
}
