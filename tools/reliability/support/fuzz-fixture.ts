import { createHmac } from 'node:crypto';
import { generateApiKey } from '@hubsync/api-keys';
import { FuzzContext } from './fuzz-inputs';
import { ReliabilityStack, Tenant } from './reliability-stack';

/** The deal stages the fuzzing tenant's mirror is given (what a pipelines fetch would store). */
export const FUZZ_STAGE_IDS = ['appointmentscheduled', 'qualifiedtobuy', 'contractsent', 'closedwon', 'closedlost'];

/** Seed 002/OpsHub filters, as documented on PUT …/filters (operator.controller.ts). */
export const FILTERS_TEMPLATE = {
  companies: { lifecycle_stages: ['customer'], owner_ids: ['12345'] },
  contacts: { roles: ['sales'], engaged_within_days: 90 },
  deals: { pipelines: ['default'], amount_greater_than: 1000 },
  activities: { types: ['meetings', 'calls'], from: '2024-01-01', outcomes: { meetings: ['COMPLETED'] } },
  criteria: { companies: [{ condition: 'EQUALS', field: 'industry', value: 'COMPUTER_SOFTWARE' }] },
};

/** Property mappings, as documented on PUT …/mappings (mappings.controller.ts). */
export const MAPPINGS_TEMPLATE = {
  mappings: [
    { target_entity: 'stanna.client', target_field: 'mrr', source: { firstNonEmpty: ['mrr', { divide: ['annual_recurring_revenue', { literal: 12 }] }] } },
    { target_entity: 'stanna.stakeholder', target_field: 'name', source: { concat: ['firstname', 'lastname'], separator: ' ' } },
  ],
};

export function webhookEventsTemplate(portalId: number) {
  return [
    { eventId: 100, subscriptionId: 2, portalId, appId: 1000001, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 123, propertyName: 'email', propertyValue: 'a@b.c', changeSource: 'CRM' },
    { eventId: 101, subscriptionId: 3, portalId, appId: 1000001, occurredAt: Date.now(), subscriptionType: 'deal.creation', attemptNumber: 0, objectId: 456, changeSource: 'CRM' },
  ];
}

/** HubSpot's v3 signature over method + URL + body + timestamp (sync-api/src/webhooks/webhook-signature.ts). */
export function signWebhook(clientSecret: string, url: string, rawBody: string, timestamp = Date.now()): Record<string, string> {
  const signature = createHmac('sha256', clientSecret).update(`POST${url}${rawBody}${timestamp}`, 'utf8').digest('base64');
  return { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

/**
 * A tenant with an OAuth connection, deal pipelines in its mirror, an ELT sync with streams and a
 * run: everything an endpoint needs to get past validation.
 */
export async function prepareFuzzTenant(rs: ReliabilityStack, tenant: Tenant, portalId: number): Promise<FuzzContext> {
  const connectionId = await rs.connectOAuth(tenant, portalId);
  // Pipelines land in the mirror from the mapper; this suite runs without fetcher/mapper (their
  // background writes would blur "no row changed"), so it stores what a pipelines fetch would.
  await rs.db.query(
    `INSERT INTO hubspot.pipelines (organization_uid, object_type, pipeline_id, label, display_order, fetched_at) VALUES ($1, 'deals', 'default', 'Sales Pipeline', 0, now())`,
    [tenant.organizationUid],
  );
  for (const [i, stage] of FUZZ_STAGE_IDS.entries()) {
    await rs.db.query(
      `INSERT INTO hubspot.pipeline_stages (organization_uid, object_type, pipeline_id, stage_id, label, display_order, fetched_at) VALUES ($1, 'deals', 'default', $2, $2, $3, now())`,
      [tenant.organizationUid, stage, i],
    );
  }
  const must = (what: string, answer: { status: number; text: string; body: any }, ok: number[]) => {
    if (!ok.includes(answer.status)) throw new Error(`${what} answered ${answer.status}: ${answer.text.slice(0, 400)}`);
    return answer.body;
  };
  const elt = must('POST /elt_syncs', await rs.api('sync-api', { method: 'POST', path: '/elt_syncs', apiKey: tenant.apiKey, body: { connection_id: connectionId } }), [200, 201]);
  const withStreams = must(
    'POST /elt_syncs/:id/source_streams',
    await rs.api('sync-api', { method: 'POST', path: `/elt_syncs/${elt.id}/source_streams`, apiKey: tenant.apiKey, body: { source_streams: [{ name: 'contacts' }, { name: 'companies' }] } }),
    [200],
  );
  const run = must('POST /api/ingest/run', await rs.api('sync-api', { method: 'POST', path: '/api/ingest/run', apiKey: tenant.apiKey, body: {} }), [200, 202]);
  const spare = must('POST /api/keys', await rs.api('sync-api', { method: 'POST', path: '/api/keys', apiKey: tenant.apiKey, body: { name: 'spare' } }), [200, 201]);
  return {
    organizationUid: tenant.organizationUid,
    connectionId,
    eltSyncId: elt.id,
    eltStreamId: withStreams.source_streams[0].id,
    runId: run.run_id,
    spareApiKeyUid: spare.id,
    stageIds: FUZZ_STAGE_IDS,
    unknownApiKey: generateApiKey().apiKey,
  };
}
