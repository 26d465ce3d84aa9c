/**
 * `npm run contract:live` (opt-in, never part of `npm test`): runs the same read-only calls against
 * HubSpot (HUBSPOT_LIVE_TOKEN, a private-app token of a test portal; HUBSPOT_LIVE_BASE_URL overrides
 * https://api.hubapi.com) and a freshly seeded sandbox, and diffs status codes, content types,
 * rate-limit header names and response shapes. The report is printed and written to
 * tmp/contract-live-report.json. The file ends in `.live-spec.ts` so the normal unit and
 * integration runs never pick it up.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SandboxHandle, startSandbox } from '@hubsync/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_CALLS, ContractCall, ContractIds } from './contract-calls';
import { ShapeDifference, diffShapes, rateLimitHeaderNames, shapeOf } from './shape-diff';

const LIVE_TOKEN = process.env['HUBSPOT_LIVE_TOKEN'];
const LIVE_BASE = process.env['HUBSPOT_LIVE_BASE_URL'] ?? 'https://api.hubapi.com';

interface Observed {
  status: number;
  contentType: string;
  rateLimitHeaders: string[];
  body: unknown;
}

async function observe(base: string, call: ContractCall, ids: ContractIds): Promise<Observed | null> {
  const path = call.path(ids);
  if (path === null) return null;
  const res = await fetch(`${base}${path}`, {
    method: call.method,
    headers: { authorization: `Bearer ${call.badToken ? 'invalid-token-for-contract-check' : ids.token}`, ...(call.body ? { 'content-type': 'application/json' } : {}) },
    body: call.body ? JSON.stringify(call.body(ids)) : undefined,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* non-JSON bodies are compared as strings */
  }
  return { status: res.status, contentType: (res.headers.get('content-type') ?? '').split(';')[0], rateLimitHeaders: rateLimitHeaderNames(res.headers), body };
}

async function discoverIds(base: string, token: string): Promise<ContractIds> {
  const first = async (type: string) => {
    const res = await fetch(`${base}/crm/v3/objects/${type}?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { results?: Array<{ id: string }> };
    return body.results?.[0]?.id;
  };
  return { token, contactId: await first('contacts'), companyId: await first('companies'), dealId: await first('deals') };
}

describe('live contract: HubSpot vs sandbox response shapes', () => {
  if (!LIVE_TOKEN) {
    it('needs HUBSPOT_LIVE_TOKEN (a private-app token of a HubSpot test portal)', () => {
      throw new Error('Set HUBSPOT_LIVE_TOKEN to run the live contract check; it only reads data.');
    });
    return;
  }
  const liveToken = LIVE_TOKEN;
  let sandbox: SandboxHandle;
  let sandboxIds: ContractIds;
  let liveIds: ContractIds;
  const report: Array<{ call: string; live: Omit<Observed, 'body'> | null; sandbox: Omit<Observed, 'body'> | null; differences: ShapeDifference[] }> = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ env: { SANDBOX_LIMITS: 'false' } });
    const portal = await sandbox.admin.createPortal({});
    await sandbox.admin.seed(portal.portalId, { seed: 1, total: 2000 });
    const scopes = ['crm.objects.contacts.read', 'crm.objects.companies.read', 'crm.objects.deals.read', 'crm.objects.owners.read', 'crm.schemas.custom.read'];
    const { token } = await sandbox.admin.createPrivateAppToken(portal.portalId, scopes);
    sandboxIds = await discoverIds(sandbox.url, token);
    liveIds = await discoverIds(LIVE_BASE, liveToken);
  }, 120_000);

  afterAll(async () => {
    await sandbox?.stop();
    const dir = join(process.cwd(), 'tmp');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'contract-live-report.json'), JSON.stringify(report, null, 2));
  });

  it.each(CONTRACT_CALLS.map((c) => [c.name, c] as const))('%s', async (_name, call) => {
    const live = await observe(LIVE_BASE, call, liveIds);
    const mine = await observe(sandbox.url, call, sandboxIds);
    const differences = live && mine ? diffShapes(shapeOf(live.body), shapeOf(mine.body)) : [];
    report.push({
      call: call.name,
      live: live && { status: live.status, contentType: live.contentType, rateLimitHeaders: live.rateLimitHeaders },
      sandbox: mine && { status: mine.status, contentType: mine.contentType, rateLimitHeaders: mine.rateLimitHeaders },
      differences,
    });
    if (!live || !mine) return; // the live portal has no record to address this call with
    process.stdout.write(`${call.name}: live ${live.status} / sandbox ${mine.status}; ${differences.length} shape differences\n${differences.map((d) => `  ${d.kind} ${d.path} live=${d.live ?? '-'} sandbox=${d.sandbox ?? '-'}`).join('\n')}\n`);
    expect(mine.status).toBe(live.status);
    expect(mine.contentType).toBe(live.contentType);
    expect(mine.rateLimitHeaders).toEqual(live.rateLimitHeaders);
    // Type conflicts and keys the sandbox invents are failures; keys HubSpot has and the sandbox
    // lacks are reported (HubSpot adds fields over time) but tolerated.
    expect(differences.filter((d) => d.kind !== 'live-only')).toEqual([]);
  });
});
