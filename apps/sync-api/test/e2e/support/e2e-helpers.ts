import { createHmac } from 'node:crypto';
import { ApiKeyService, TenancyService } from '@hubsync/api-keys';
import { createDataSource } from '@hubsync/persistence';

export interface HttpAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** One HTTP call with an API key; JSON in and out (the body stays text when it is not JSON). */
export async function call(base: string, apiKey: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(apiKey ? { 'x-api-key': apiKey } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export interface Tenant {
  organizationUid: string;
  userUid: string;
  apiKey: string;
}

/** An organization with its own user (default membership) and API key, as the operator CLI creates them. */
export async function createTenant(databaseUrl: string, label: string): Promise<Tenant> {
  const dataSource = createDataSource({ databaseUrl, poolSize: 1, applicationName: `e2e-${label}` });
  await dataSource.initialize();
  try {
    const tenancy = new TenancyService(dataSource);
    const keys = new ApiKeyService(dataSource);
    const org = await tenancy.createOrganization(`E2E ${label}`);
    const user = await tenancy.createUser(`e2e-${label}-${Date.now()}@example.com`, `E2E ${label}`);
    await tenancy.addMembership(org.uid, user.uid, { role: 'owner', makeDefault: true });
    const key = await keys.create({ organizationUid: org.uid, userUid: user.uid, name: `e2e ${label}` });
    return { organizationUid: org.uid, userUid: user.uid, apiKey: key.apiKey };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The real OAuth install: auth-gateway's /start (JSON) → the sandbox's /oauth/authorize with
 * auto-approve for one portal → 302 to auth-gateway's /callback with code and state → the connection.
 */
export async function connectThroughOAuth(authGatewayUrl: string, apiKey: string, portalId: number): Promise<{ id: string; portal_id: string; status: string }> {
  const start = await fetch(`${authGatewayUrl}/api/integrations/hubspot/start?label=e2e`, { headers: { 'x-api-key': apiKey, accept: 'application/json' } });
  if (!start.ok) throw new Error(`auth-gateway /start answered ${start.status}: ${await start.text()}`);
  const authorize = new URL(((await start.json()) as { url: string }).url);
  authorize.searchParams.set('auto_approve', '1');
  authorize.searchParams.set('portal_id', String(portalId));
  const approved = await fetch(authorize, { redirect: 'manual' });
  const callback = approved.headers.get('location');
  if (approved.status !== 302 || !callback) throw new Error(`sandbox authorize answered ${approved.status}: ${await approved.text()}`);
  const done = await fetch(callback, { redirect: 'manual', headers: { accept: 'application/json' } });
  if (done.status !== 200) throw new Error(`auth-gateway /callback answered ${done.status}: ${await done.text()}`);
  return ((await done.json()) as { connection: { id: string; portal_id: string; status: string } }).connection;
}

export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  archived?: boolean;
}

/**
 * Ground truth read from the sandbox's own CRM API with a private-app token of the portal (the admin
 * truth endpoint has ids and timestamps but no properties).
 */
export class SandboxCrm {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!response.ok) throw new Error(`sandbox GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Every live record of a type (list pages of 100). */
  async all(objectType: string, properties: string[]): Promise<CrmRecord[]> {
    const out: CrmRecord[] = [];
    let after: string | undefined;
    do {
      const page = await this.get<{ results: CrmRecord[]; paging?: { next?: { after: string } } }>(
        `/crm/v3/objects/${objectType}?limit=100&properties=${properties.join(',')}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      );
      out.push(...page.results);
      after = page.paging?.next?.after;
    } while (after);
    return out;
  }

  async dealPipelines(): Promise<Array<{ id: string; label: string; displayOrder: number; stages: Array<{ id: string; label: string; displayOrder: number }> }>> {
    return (await this.get<{ results: Array<{ id: string; label: string; displayOrder: number; stages: Array<{ id: string; label: string; displayOrder: number }> }> }>('/crm/v3/pipelines/deals')).results;
  }
}

/** HubSpot's v3 signature: base64(HMAC-SHA256(client secret, method + URI + body + timestamp)) (developers.hubspot.com, "Validating requests from HubSpot"). */
export function signV3(clientSecret: string, method: string, url: string, body: string, timestamp: string): string {
  return createHmac('sha256', clientSecret).update(`${method}${url}${body}${timestamp}`, 'utf8').digest('base64');
}

/** POSTs webhook events to sync-api signed exactly as HubSpot signs them (the URL called is the URL signed). */
export async function postSignedWebhook(syncApiUrl: string, clientSecret: string, events: unknown[], options: { timestamp?: number; secret?: string } = {}): Promise<HttpAnswer> {
  const url = `${syncApiUrl}/api/integrations/hubspot/webhooks`;
  const body = JSON.stringify(events);
  const timestamp = String(options.timestamp ?? Date.now());
  const signature = signV3(options.secret ?? clientSecret, 'POST', url, body, timestamp);
  return call(syncApiUrl, undefined, 'POST', '/api/integrations/hubspot/webhooks', body, {
    'x-hubspot-signature-v3': signature,
    'x-hubspot-request-timestamp': timestamp,
  });
}

export interface ObjectState {
  status: string;
  total_synced?: number;
  total_skipped?: number;
  error_message?: string;
}

/** Polls `check` every `intervalMs` until it returns a value; a thrown error fails at once (a failed sync never turns green). */
export async function poll<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls GET …/sync/status until every listed type is completed (fails at once when one failed). */
export async function waitForExanteStatus(syncApiUrl: string, apiKey: string, types: string[], timeoutMs: number): Promise<Record<string, ObjectState>> {
  let last: unknown;
  try {
    return await poll(
      'the Exante sync to complete',
      async () => {
        const answer = await call(syncApiUrl, apiKey, 'GET', '/api/integrations/hubspot/sync/status');
        if (answer.status !== 200) throw new Error(`sync/status answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        last = answer.body;
        if (types.some((t) => answer.body[t]?.status === 'failed')) throw new Error('an object type failed');
        return types.every((t) => answer.body[t]?.status === 'completed') ? (answer.body as Record<string, ObjectState>) : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last sync/status: ${JSON.stringify(last)}`);
  }
}

/** Polls GET /api/ingest/status?run_id= until the run is completed or failed. */
export async function waitForRun(syncApiUrl: string, apiKey: string, runId: string, timeoutMs: number): Promise<{ status: string; objects: Record<string, ObjectState>; errors: unknown[] }> {
  let last: unknown;
  try {
    return await poll(
      `run ${runId} to finish`,
      async () => {
        const answer = await call(syncApiUrl, apiKey, 'GET', `/api/ingest/status?run_id=${runId}`);
        last = answer.body;
        if (answer.status !== 200) throw new Error(`ingest/status answered ${answer.status}`);
        return ['completed', 'failed'].includes(answer.body.status) ? answer.body : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last ingest/status: ${JSON.stringify(last)}`);
  }
}
