import { HttpAnswer, queryString } from './support/http';
import { changedTables, tableFingerprints } from './support/db-fingerprint';
import { Endpoint, endpointName, ENDPOINTS, pathWithId } from './support/endpoints';
import { pipelineDiagnosis, waitForMirror } from './support/pipeline-wait';
import { ReliabilityStack, startReliabilityStack, Tenant } from './support/reliability-stack';

/**
 * Issue 9 §4: two organizations with their own keys and portals. Every endpoint called with org A's
 * key against org B's resources (organization uid, connection ids, run ids, ELT sync and stream ids,
 * key ids) answers 404 and leaves B's rows untouched; B's key on the same ids answers 2xx (so the
 * 404s are about ownership, not bad ids); one org's destination schema never shows another org's rows.
 */
jest.setTimeout(300_000);

interface OrgFixture {
  tenant: Tenant;
  portalId: number;
  connectionId: string;
  eltSyncId: string;
  eltStreamId: string;
  runId: string;
  spareKeyUid: string;
  schema: string;
}

const TYPES = ['contacts', 'companies', 'deals'];

describe('tenant isolation matrix (org A’s key against org B’s resources)', () => {
  let rs: ReliabilityStack;
  let a: OrgFixture;
  let b: OrgFixture;

  beforeAll(async () => {
    rs = await startReliabilityStack({
      env: { LOG_LEVEL: 'warn', API_RATE_LIMIT_PER_MINUTE: '1000000', SCHEDULER_ENABLED: 'false' },
    });
    // Different sizes per portal: a view showing the other org's rows cannot match by accident.
    a = await setUpOrg('A', { contacts: 30, companies: 12, deals: 9 });
    b = await setUpOrg('B', { contacts: 47, companies: 19, deals: 14 });
  }, 300_000);

  afterAll(async () => {
    await rs?.stop();
  });

  async function setUpOrg(label: string, sizes: Record<string, number>): Promise<OrgFixture> {
    const tenant = await rs.tenant(`isolation-${label}`);
    const { portalId } = await rs.portal({ sizes, seed: label.charCodeAt(0) });
    const connectionId = await rs.connectOAuth(tenant, portalId);
    const ok = async (answer: Promise<HttpAnswer>, what: string) => {
      const r = await answer;
      if (r.status >= 300) throw new Error(`${label}: ${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
      return r.body;
    };
    const schema = `dest_${label.toLowerCase()}_${process.pid}`;
    const elt = await ok(rs.api('sync-api', { method: 'POST', path: '/elt_syncs', apiKey: tenant.apiKey, body: { connection_id: connectionId, destination_schema_name: schema } }), 'POST /elt_syncs');
    const streams = await ok(
      rs.api('sync-api', { method: 'POST', path: `/elt_syncs/${elt.id}/source_streams`, apiKey: tenant.apiKey, body: { source_streams: TYPES.map((name) => ({ name })) } }),
      'POST source_streams',
    );
    const run = await ok(rs.api('sync-api', { method: 'POST', path: '/api/ingest/run', apiKey: tenant.apiKey, body: {} }), 'POST /api/ingest/run');
    const spare = await ok(rs.api('sync-api', { method: 'POST', path: '/api/keys', apiKey: tenant.apiKey, body: { name: 'spare' } }), 'POST /api/keys');
    return { tenant, portalId, connectionId, eltSyncId: elt.id, eltStreamId: streams.source_streams[0].id, runId: run.run_id, spareKeyUid: spare.id, schema };
  }

  it('each destination schema shows exactly its own organization’s rows', async () => {
    for (const org of [a, b]) {
      await waitForMirror(rs.db, rs.admin, { organizationUid: org.tenant.organizationUid, portalId: org.portalId, objectTypes: TYPES }, 180_000, () =>
        pipelineDiagnosis(rs.db, org.tenant.organizationUid),
      );
    }
    const problems: string[] = [];
    for (const org of [a, b]) {
      const views = await rs.db.query<{ view_schema: string; view_name: string; kind: string; object_type: string; organization_uid: string }>(
        `SELECT v.view_schema, v.view_name, v.kind, v.object_type, v.organization_uid FROM hubspot.views v WHERE v.organization_uid = $1 AND v.part = 1`,
        [org.tenant.organizationUid],
      );
      const objectViews = views.rows.filter((v) => v.kind === 'object');
      if (!TYPES.every((t) => objectViews.some((v) => v.object_type === t))) problems.push(`${org.tenant.label}: views missing for some of ${TYPES.join(', ')}: ${JSON.stringify(views.rows)}`);
      for (const v of objectViews) {
        const q = `"${v.view_schema.replace(/"/g, '""')}"."${v.view_name.replace(/"/g, '""')}"`;
        const shown = await rs.db.query<{ n: string; foreign: string }>(
          `SELECT count(*) AS n,
                  count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM hubspot.objects o WHERE o.organization_uid = $1 AND o.object_type = $2 AND o.id = x.id AND NOT o.archived)) AS foreign
             FROM ${q} x`,
          [org.tenant.organizationUid, v.object_type],
        );
        const own = await rs.db.query<{ n: string }>(`SELECT count(*) AS n FROM hubspot.objects WHERE organization_uid = $1 AND object_type = $2 AND NOT archived`, [org.tenant.organizationUid, v.object_type]);
        if (Number(shown.rows[0].n) !== Number(own.rows[0].n) || Number(shown.rows[0].foreign) !== 0) {
          problems.push(`${v.view_schema}.${v.view_name} (org ${org.tenant.label}) shows ${shown.rows[0].n} rows (${shown.rows[0].foreign} not its own); its mirror has ${own.rows[0].n}`);
        }
      }
      // Nothing else may live in an org's destination schema: every view there is registered to it.
      const present = await rs.db.query<{ schemaname: string; viewname: string }>(
        `SELECT schemaname, viewname FROM pg_views WHERE schemaname = (SELECT schema_name FROM hubspot.destinations WHERE organization_uid = $1)`,
        [org.tenant.organizationUid],
      );
      for (const p of present.rows) {
        const owners = await rs.db.query<{ organization_uid: string }>(`SELECT DISTINCT organization_uid FROM hubspot.views WHERE view_schema = $1 AND view_name = $2`, [p.schemaname, p.viewname]);
        const foreign = owners.rows.filter((o) => o.organization_uid !== org.tenant.organizationUid).map((o) => nameOf(o.organization_uid));
        if (foreign.length > 0) problems.push(`${p.schemaname}.${p.viewname} in ${org.tenant.label}'s schema is registered to ${foreign.join(', ')}`);
        const definition = await rs.db.query<{ d: string }>(`SELECT pg_get_viewdef(format('%I.%I', $1::text, $2::text)::regclass) AS d`, [p.schemaname, p.viewname]);
        const orgs = [...definition.rows[0].d.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi)].map((m) => m[0].toLowerCase());
        const others = orgs.filter((u) => u !== org.tenant.organizationUid);
        if (orgs.length === 0 || others.length > 0) problems.push(`${p.schemaname}.${p.viewname} in ${org.tenant.label}'s schema selects organization(s) ${orgs.map(nameOf).join(', ') || 'none (no tenant filter)'}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every endpoint answers 404 to org A’s key for org B’s resources, leaks nothing and changes none of B’s rows', async () => {
    // The pipeline's background writes would blur "B unchanged": the matrix runs with it stopped.
    await rs.stack.stopApp('fetcher');
    await rs.stack.stopApp('mapper');
    const bSecrets = [b.tenant.organizationUid, b.connectionId, b.eltSyncId, b.eltStreamId, b.runId, b.spareKeyUid, b.schema];
    const failures: string[] = [];
    for (const probe of probes()) {
      const before = await tableFingerprints(rs.db, { organizationUid: b.tenant.organizationUid });
      const answer = await send(probe, a.tenant.apiKey);
      const changed = changedTables(before, await tableFingerprints(rs.db, { organizationUid: b.tenant.organizationUid }));
      // Echoing the id the caller sent reveals nothing; any other identifier of B does.
      const sent = `${probe.path} ${JSON.stringify(probe.body ?? null)}`;
      const leaked = bSecrets.filter((s) => answer.text.includes(s) && !sent.includes(s));
      const expected = probe.filterOnly ? answer.status === 404 || (answer.status === 200 && leaked.length === 0) : answer.status === 404;
      if (!expected) failures.push(`${probe.name}: answered ${answer.status} (expected 404${probe.filterOnly ? ' or an empty 200' : ''}): ${answer.text.slice(0, 200)}`);
      if (leaked.length > 0) failures.push(`${probe.name}: the answer contains B's identifiers ${leaked.join(', ')}`);
      if (changed.length > 0) failures.push(`${probe.name}: B's rows changed in ${changed.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('org B’s own key reaches the same resources (the 404s are about ownership, not bad ids)', async () => {
    const failures: string[] = [];
    for (const probe of probes().filter((p) => p.endpoint.method === 'GET')) {
      const answer = await send(probe, b.tenant.apiKey);
      if (answer.status !== 200) failures.push(`${probe.name}: B's own key answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });

  function nameOf(uid: string): string {
    return uid === a.tenant.organizationUid ? 'org A' : uid === b.tenant.organizationUid ? 'org B' : uid;
  }

  interface Probe {
    name: string;
    endpoint: Endpoint;
    path: string;
    body?: unknown;
    /** A list filter (run_id on events/skipped records): an empty answer leaks nothing either. */
    filterOnly?: boolean;
  }

  /** Every endpoint that addresses a tenant's data, aimed at B's. */
  function probes(): Probe[] {
    const out: Probe[] = [];
    const idOf: Record<string, string> = { elt_sync: b.eltSyncId, elt_stream: b.eltStreamId, connection: b.connectionId, api_key: b.spareKeyUid };
    for (const e of ENDPOINTS) {
      if (e.auth === 'webhook-signature' || e.auth === 'oauth-callback') continue; // not addressed by key (see the secrets suite)
      const base = e.resource ? pathWithId(e, idOf[e.resource]) : e.path;
      const bodyOf = (org?: string) => (e.method === 'GET' || e.method === 'DELETE' ? undefined : minimalBody(e, org));
      if (e.resource) out.push({ name: `${endpointName(e)} with B's ${e.resource} id`, endpoint: e, path: base, body: bodyOf() });
      if (e.organizationIn === 'query') {
        const query: Record<string, string> = { organization_uid: b.tenant.organizationUid };
        out.push({ name: `${endpointName(e)} with B's organization_uid`, endpoint: e, path: `${base}${queryString(query)}`, body: bodyOf() });
      }
      if (e.organizationIn === 'body') out.push({ name: `${endpointName(e)} with B's organization_uid`, endpoint: e, path: base, body: bodyOf(b.tenant.organizationUid) });
      if (e.query?.includes('run_id')) {
        out.push({ name: `${endpointName(e)} with B's run_id`, endpoint: e, path: `${base}${queryString({ run_id: b.runId })}`, filterOnly: !e.path.endsWith('/ingest/status') });
      }
      if (Array.isArray(e.body) && e.body.includes('connection_id')) {
        out.push({ name: `${endpointName(e)} with B's connection_id`, endpoint: e, path: base, body: { ...minimalBody(e), connection_id: b.connectionId } });
      }
    }
    return out;
  }

  /** A body that passes validation, so the answer is about ownership. */
  function minimalBody(e: Endpoint, organizationUid?: string): Record<string, unknown> {
    const org = organizationUid ? { organization_uid: organizationUid } : {};
    switch (`${e.method} ${e.path}`) {
      case 'POST /elt_syncs':
        return { ...org, connection_id: b.connectionId, destination_schema_name: `stolen_${process.pid}` };
      case 'POST /elt_syncs/:id':
        return { sync_interval: '0 * * * *' };
      case 'POST /elt_syncs/:id/source_streams':
        return { source_streams: [{ name: 'tickets' }] };
      case 'POST /api/keys':
        return { ...org, name: 'stolen' };
      case 'POST /api/integrations/hubspot/connections':
        return { ...org, access_token: 'pat-na1-00000000-0000-0000-0000-000000000000' };
      case 'POST /connection_bridges':
        return { ...org, integration_id: 'hubspot-v2', redirect_uri: 'https://example.com/done' };
      case 'PUT /api/integrations/hubspot/filters':
        return { companies: { lifecycle_stages: ['customer'] } };
      case 'PUT /api/integrations/hubspot/mappings':
        return { mappings: [] };
      default:
        return org;
    }
  }

  function send(probe: Probe, apiKey: string): Promise<HttpAnswer> {
    return rs.api(probe.endpoint.app, { method: probe.endpoint.method, path: probe.path, apiKey, body: probe.body, headers: { accept: 'application/json' }, headOnly: probe.endpoint.sse });
  }
});
