import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ProviderError } from '../errors/provider-error';
import { PortalLimiter } from '../limits/portal-limiter';
import { rateLimitProfile } from '../limits/rate-limit-profile';
import { RetryPolicy } from '../retry/retry-policy';
import { HubspotPortalClient } from './hubspot-portal.client';
import { AccessTokenSource, AttemptEvent, PortalTransport } from './portal-transport';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A scripted HTTP server standing in for HubSpot: each request takes the next handler. */
class ScriptedServer {
  private server!: Server;
  readonly requests: { method: string; url: string; authorization?: string; body: string; at: number }[] = [];
  private script: Handler[] = [];
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body, at: Date.now() });
        const handler = this.script.shift();
        if (!handler) return json(res, 500, { message: 'script exhausted' });
        handler(req, body, res);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  then(...handlers: Handler[]): void {
    this.script.push(...handlers);
  }

  reset(): void {
    this.requests.length = 0;
    this.script = [];
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

// Short learnt burst window so waits stay short: the limiter learns it from the headers.
const LIMIT_HEADERS = { 'X-HubSpot-RateLimit-Max': '110', 'X-HubSpot-RateLimit-Remaining': '100', 'X-HubSpot-RateLimit-Interval-Milliseconds': '400' };

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = LIMIT_HEADERS): void {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

const ok = (body: unknown): Handler => (_req, _body, res) => json(res, 200, body);
const searchOk: Handler = ok({ total: 1, results: [{ id: '1', properties: { createdate: '2024-01-01T00:00:00Z' }, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-02T00:00:00Z', archived: false }] });
const searchBody = { filterGroups: [], sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' as const }], properties: ['createdate'], limit: 10 };

describe('PortalTransport + HubspotPortalClient over HTTP (scripted HubSpot)', () => {
  const server = new ScriptedServer();
  let tokens: AccessTokenSource & { current: string; invalidated: string[] };
  let attempts: AttemptEvent[];
  let limiter: PortalLimiter;
  let client: HubspotPortalClient;

  beforeAll(() => server.start());
  afterAll(() => server.stop());

  beforeEach(() => {
    server.reset();
    attempts = [];
    tokens = {
      current: 'token-1',
      invalidated: [],
      async get() {
        return this.current;
      },
      async invalidate(token: string) {
        this.invalidated.push(token);
        this.current = 'token-2';
      },
    };
    limiter = new PortalLimiter({ profile: rateLimitProfile('public'), windowMarginMs: 50, searchWindowMarginMs: 0 });
    const transport = new PortalTransport({
      basePath: server.url,
      tokens,
      limiter,
      retry: new RetryPolicy({ maxTransientAttempts: 4, baseDelayMs: 20, maxDelayMs: 100 }),
      requestTimeoutMs: 500,
      onAttempt: (e) => attempts.push(e),
    });
    client = new HubspotPortalClient(transport, server.url, 8000);
  });
  afterEach(() => limiter.close());

  it('waits out a TEN_SECONDLY_ROLLING 429 for the learnt window, then succeeds', async () => {
    server.then(
      (_q, _b, res) => json(res, 429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS' }),
      ok({ results: [{ id: 'default', label: 'Sales', displayOrder: 0, archived: false, stages: [{ id: 'won', label: 'Won', displayOrder: 1, archived: false, metadata: { probability: '1.0' } }] }] }),
    );
    const onRateLimited = jest.spyOn(limiter, 'onRateLimited');
    const pipelines = await client.pipelines('deals');
    // The bucket closed for the learnt 400 ms window (+50 ms margin) and the retry came after it opened.
    const reopensAt = onRateLimited.mock.results[0].value as number;
    expect(reopensAt - server.requests[0].at).toBeGreaterThanOrEqual(450);
    expect(server.requests[1].at).toBeGreaterThanOrEqual(reopensAt);
    expect(pipelines[0].stages[0]).toEqual({ id: 'won', label: 'Won', displayOrder: 1, archived: false, metadata: { probability: '1.0' } });
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(limiter.stats().http429).toBe(1);
  });

  it('retries the secondly search throttle after one second', async () => {
    server.then((_q, _b, res) => json(res, 429, { status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' }, {}), searchOk);
    const onRateLimited = jest.spyOn(limiter, 'onRateLimited');
    const page = await client.search('contacts', searchBody);
    expect(onRateLimited).toHaveBeenCalledWith('SECONDLY_SEARCH', 'search');
    expect(server.requests[1].at).toBeGreaterThanOrEqual(onRateLimited.mock.results[0].value as number);
    expect(page.results.map((r) => r.id)).toEqual(['1']);
    expect(page.results[0].createdAt).toBe('2024-01-01T00:00:00.000Z');
  });

  it('fails at once on a DAILY 429 with the time the portal may resume', async () => {
    server.then((_q, _b, res) => json(res, 429, { status: 'error', message: 'daily', policyName: 'DAILY', category: 'RATE_LIMITS' }));
    const error = (await client.search('contacts', searchBody).catch((e) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.details.policy).toBe('DAILY');
    const retryAt = error.details.retryAt?.getTime() ?? 0;
    expect(retryAt).toBeGreaterThan(Date.now());
    expect(limiter.stats().dailyPausedUntil).toBe(retryAt);
    expect(server.requests).toHaveLength(1);
  });

  it('backs off through an HTML 502, a connection reset and a timeout, then succeeds', async () => {
    server.then(
      (_q, _b, res) => {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end('<html>Bad gateway</html>');
      },
      (req) => req.socket.destroy(),
      () => undefined, // never answers: our 500 ms deadline
      searchOk,
    );
    const page = await client.search('contacts', searchBody);
    expect(page.total).toBe(1);
    expect(attempts.map((a) => a.kind ?? a.status)).toEqual(['transient', 'transient', 'transient', 200]);
  });

  it('holds the limiter slot until the answer arrives: the next request of a full window goes a window after that answer', async () => {
    // Capacity 1 per learnt 400 ms window; HubSpot (here) takes 300 ms to answer.
    const oneSlot = new PortalLimiter({ profile: { ...rateLimitProfile('public'), burstMax: 1 }, share: 1, windowMarginMs: 0 });
    const transport = new PortalTransport({ basePath: server.url, tokens, limiter: oneSlot, requestTimeoutMs: 5_000 });
    const slow = new HubspotPortalClient(transport, server.url, 8000);
    const answeredAt: number[] = [];
    const slowOk: Handler = (_q, _b, res) =>
      setTimeout(() => {
        answeredAt.push(Date.now());
        json(res, 200, { results: [] }, { 'X-HubSpot-RateLimit-Max': '1', 'X-HubSpot-RateLimit-Remaining': '0', 'X-HubSpot-RateLimit-Interval-Milliseconds': '400' });
      }, 300);
    server.then(slowOk, slowOk);
    try {
      await Promise.all([slow.pipelines('deals'), slow.pipelines('tickets')]);
      expect(server.requests).toHaveLength(2);
      // Send-time accounting would have sent the second at first send + 400 ms, before this bound.
      expect(server.requests[1].at).toBeGreaterThanOrEqual(answeredAt[0] + 400);
      expect(oneSlot.stats().inFlight).toEqual({ general: 0, search: 0 });
    } finally {
      oneSlot.close();
    }
  });

  it('releases the slot of an abandoned (timed-out) attempt at the latest one deadline later', async () => {
    server.then(() => undefined, searchOk);
    await client.search('contacts', searchBody);
    expect(attempts.map((a) => a.kind ?? a.status)).toEqual(['transient', 200]);
    const deadline = Date.now() + 5_000;
    while (limiter.stats().inFlight.search > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(limiter.stats().inFlight).toEqual({ general: 0, search: 0 });
  });

  it('gives up after the bounded number of transient failures with a normalised error', async () => {
    for (let i = 0; i < 4; i++) server.then((_q, _b, res) => json(res, 503, { status: 'error', message: 'unavailable' }));
    await expect(client.search('contacts', searchBody)).rejects.toMatchObject({ kind: 'transient', details: { status: 503, operation: 'search contacts' } });
    expect(server.requests).toHaveLength(4);
  });

  it('invalidates the token once on 401 and retries with the new one; a second 401 fails', async () => {
    server.then((_q, _b, res) => json(res, 401, { status: 'error', message: 'expired', category: 'EXPIRED_AUTHENTICATION' }), searchOk);
    await client.search('contacts', searchBody);
    expect(tokens.invalidated).toEqual(['token-1']);
    expect(server.requests.map((r) => r.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);

    server.then(
      (_q, _b, res) => json(res, 401, { status: 'error', message: 'expired' }),
      (_q, _b, res) => json(res, 401, { status: 'error', message: 'still' }),
    );
    await expect(client.search('contacts', searchBody)).rejects.toMatchObject({ kind: 'unauthorized' });
  });

  it('reports a missing scope without retrying', async () => {
    server.then((_q, _b, res) =>
      json(res, 403, { status: 'error', message: 'missing scopes', category: 'MISSING_SCOPES', errors: [{ message: 'x', context: { requiredGranularScopes: ['crm.objects.deals.read'] } }] }),
    );
    await expect(client.search('deals', searchBody)).rejects.toMatchObject({ kind: 'forbidden_scope', details: { requiredScopes: ['crm.objects.deals.read'] } });
    expect(server.requests).toHaveLength(1);
  });

  it('splits a long property list across list-page URLs under 8 KB and merges the records', async () => {
    const properties = Array.from({ length: 400 }, (_, i) => `a_fairly_long_custom_property_name_${i}`);
    const answer: Handler = (req, _b, res) => {
      const url = new URL(req.url ?? '', server.url);
      const props = url.searchParams.getAll('properties');
      const record = (id: string) => ({ id, properties: Object.fromEntries(props.map((p) => [p, `${id}:${p}`])), createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z', archived: false });
      json(res, 200, { results: [record('1'), record('2')], paging: { next: { after: '3' } } });
    };
    for (let i = 0; i < 5; i++) server.then(answer);
    const page = await client.listPage('contacts', { properties, limit: 2 });
    const urls = server.requests.map((r) => `${server.url}${r.url}`);
    expect(urls.length).toBeGreaterThan(1);
    for (const u of urls) expect(Buffer.byteLength(u)).toBeLessThanOrEqual(8000);
    expect(page.nextAfter).toBe('3');
    expect(Object.keys(page.results[1].properties).sort()).toEqual([...properties].sort());
    expect(page.results[1].properties['a_fairly_long_custom_property_name_399']).toBe('2:a_fairly_long_custom_property_name_399');
  });

  it('reads association pages with per-object paging and account details through apiRequest', async () => {
    server.then(
      ok({
        status: 'COMPLETE',
        startedAt: '2024-01-01T00:00:00Z',
        completedAt: '2024-01-01T00:00:00Z',
        results: [{ from: { id: '7' }, to: [{ toObjectId: 9, associationTypes: [{ category: 'USER_DEFINED', typeId: 5, label: 'Champion' }, { category: 'HUBSPOT_DEFINED', typeId: 1, label: null }] }], paging: { next: { after: 'abc' } } }],
      }),
      ok({ portalId: 123, timeZone: 'Europe/Berlin', companyCurrency: 'EUR' }),
    );
    const batch = await client.associationsBatchRead('contacts', 'companies', [{ id: '7' }]);
    expect(batch.results).toEqual([
      {
        fromId: '7',
        nextAfter: 'abc',
        associations: [
          { fromId: '7', toId: '9', typeId: 5, category: 'USER_DEFINED', label: 'Champion' },
          { fromId: '7', toId: '9', typeId: 1, category: 'HUBSPOT_DEFINED', label: null },
        ],
      },
    ]);
    expect(JSON.parse(server.requests[0].body)).toEqual({ inputs: [{ id: '7' }] });
    await expect(client.accountDetails()).resolves.toEqual({ portalId: '123', timeZone: 'Europe/Berlin', currency: 'EUR' });
  });
});
