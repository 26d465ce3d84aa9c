/**
 * Mapper benchmark (issue 6): rows/s for mirror upserts and for full mapping, on 100 k records each,
 * through the mapper as it runs — its built JavaScript as a child process consuming JetStream, with
 * PostgreSQL and NATS from libs/test-stack.
 *
 *   npx tsc -p apps/mapper/tsconfig.app.json && npx tsc-alias -p apps/mapper/tsconfig.app.json
 *   node dist/tools/tools/bench/mapper-bench.js [--records 100000] [--batch 200] [--concurrency 4]
 *
 * Phase 1 "mirror upserts": records of a type the product models do not read (tickets), so the time
 * is the mirror's bulk upsert plus batch bookkeeping and run counters.
 * Phase 2 "full mapping": companies, contacts and deals of an Exante `full` sync (40 % / 40 % / 20 %)
 * with the associations linking them: mirror + Stanna (clients, stakeholders, deals, health) +
 * Exante (documents, parties, contacts, catalog) + validation and counters.
 * Each phase is timed from its first publish until every object run of it is `completed`.
 */
import { HUBSPOT_ASSOCIATIONS_V1, HUBSPOT_RECORDS_V1, HubspotAssociationBatchV1, HubspotRecordBatchV1, HubspotRecordV1 } from '@hubsync/contracts';
import { startStack } from '@hubsync/test-stack';
import { randomUUID } from 'node:crypto';
import { connect, JSONCodec, NatsConnection } from 'nats';
import { Client } from 'pg';

interface BenchArgs {
  records: number;
  batch: number;
  concurrency: number;
}

function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { records: 100_000, batch: 200, concurrency: 4 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof BenchArgs;
    const value = Number(argv[i + 1]);
    if (!(key in args) || !Number.isInteger(value) || value < 1) throw new Error(`usage: mapper-bench [--records N] [--batch N] [--concurrency N] (bad ${argv[i]})`);
    args[key] = value;
  }
  return args;
}

interface Run {
  organizationUid: string;
  connectionId: string;
  portalId: string;
  runId: string;
}

const codec = JSONCodec();
let sequence = 0;

async function createRun(pg: Client, mode: 'full' | null, objectTypes: string[]): Promise<Run> {
  const organizationUid = randomUUID();
  const connectionId = randomUUID();
  const portalId = String(700000 + Math.floor(Math.random() * 99999));
  const { rows } = await pg.query(`INSERT INTO sync.runs (organization_uid, connection_id, portal_id, kind, mode) VALUES ($1, $2, $3, 'full_sync', $4) RETURNING id`, [
    organizationUid,
    connectionId,
    portalId,
    mode,
  ]);
  const runId = rows[0].id as string;
  await pg.query(`INSERT INTO sync.jobs (organization_uid, connection_id, portal_id, kind, object_types, mode, status, run_id) VALUES ($1, $2, $3, 'full_sync', $4, $5, 'running', $6)`, [
    organizationUid,
    connectionId,
    portalId,
    objectTypes,
    mode,
    runId,
  ]);
  for (const t of objectTypes) {
    await pg.query(`INSERT INTO sync.object_runs (run_id, organization_uid, object_type, phase, fetch_started_at) VALUES ($1, $2, $3, 'backfill', now())`, [runId, organizationUid, t]);
  }
  return { organizationUid, connectionId, portalId, runId };
}

function recordBatch(run: Run, objectType: string, records: HubspotRecordV1[]): HubspotRecordBatchV1 {
  const seq = ++sequence;
  return { ...base(run), objectType, runId: run.runId, sweepId: 'bench', sequence: seq, batchId: `bench.${run.runId}.${objectType}.${seq}`, records, fetchedAt: new Date().toISOString() };
}

function associationBatch(run: Run, fromType: string, toType: string, pairs: [string, string][]): HubspotAssociationBatchV1 {
  const seq = ++sequence;
  return {
    ...base(run),
    fromType,
    toType,
    runId: run.runId,
    sweepId: `bench-${run.runId}`,
    sequence: seq,
    batchId: `bench-assoc.${run.runId}.${seq}`,
    fromIds: [...new Set(pairs.map(([f]) => f))],
    associations: pairs.map(([fromId, toId]) => ({ fromId, toId, typeId: 1, category: 'HUBSPOT_DEFINED' as const, label: null })),
    sweepComplete: false,
  };
}

function base(run: Run) {
  return { organizationUid: run.organizationUid, connectionId: run.connectionId, portalId: run.portalId };
}

const updatedAt = '2025-01-15T12:00:00.000Z';
const rec = (id: number, properties: Record<string, string | null>): HubspotRecordV1 => ({ id: String(id), properties, createdAt: '2024-01-01T00:00:00.000Z', updatedAt, archived: false });

function chunk<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

async function publishAll(nc: NatsConnection, messages: { subject: string; payload: unknown; msgId: string }[]): Promise<void> {
  const js = nc.jetstream();
  // A window of outstanding publish acks keeps the publisher from being the bottleneck.
  const window = 64;
  for (let i = 0; i < messages.length; i += window) {
    await Promise.all(messages.slice(i, i + window).map((m) => js.publish(m.subject, codec.encode(m.payload), { msgID: m.msgId })));
  }
}

async function waitCompleted(pg: Client, run: Run, objectTypes: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pg.query(`SELECT object_type, status, batches_committed, batches_published FROM sync.object_runs WHERE run_id = $1`, [run.runId]);
    if (rows.length === objectTypes.length && rows.every((r) => r.status === 'completed')) return;
    if (Date.now() > deadline) throw new Error(`timed out; object runs: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function finishFetch(pg: Client, run: Run, batches: Map<string, number>): Promise<void> {
  for (const [t, n] of batches) {
    await pg.query(`UPDATE sync.object_runs SET batches_published = $3, fetch_finished_at = now(), phase = 'fetched' WHERE run_id = $1 AND object_type = $2`, [run.runId, t, n]);
  }
}

async function mirrorPhase(pg: Client, nc: NatsConnection, args: BenchArgs): Promise<number> {
  const run = await createRun(pg, null, ['tickets']);
  const records = Array.from({ length: args.records }, (_, i) =>
    rec(i + 1, { subject: `Ticket ${i + 1}`, content: 'Printer on floor 3 is out of toner again', hs_pipeline: '0', hs_pipeline_stage: String(1 + (i % 4)), hs_ticket_priority: ['LOW', 'MEDIUM', 'HIGH'][i % 3], hubspot_owner_id: String(500 + (i % 7)), createdate: '2024-01-01T00:00:00.000Z' }),
  );
  const batches = chunk(records, args.batch).map((c) => recordBatch(run, 'tickets', c));
  const started = Date.now();
  await publishAll(nc, batches.map((b) => ({ subject: HUBSPOT_RECORDS_V1, payload: b, msgId: b.batchId })));
  await finishFetch(pg, run, new Map([['tickets', batches.length]]));
  await waitCompleted(pg, run, ['tickets'], 30 * 60_000);
  const seconds = (Date.now() - started) / 1000;
  const { rows } = await pg.query(`SELECT count(*)::int AS n FROM hubspot.objects WHERE organization_uid = $1`, [run.organizationUid]);
  if (rows[0].n !== args.records) throw new Error(`mirror holds ${rows[0].n} rows, expected ${args.records}`);
  return args.records / seconds;
}

async function mappingPhase(pg: Client, nc: NatsConnection, args: BenchArgs): Promise<{ rowsPerSecond: number; clients: number; stakeholders: number; documents: number }> {
  const types = ['companies', 'contacts', 'deals'];
  const run = await createRun(pg, 'full', types);
  const nCompanies = Math.floor(args.records * 0.4);
  const nContacts = Math.floor(args.records * 0.4);
  const nDeals = args.records - nCompanies - nContacts;
  const companyId = (i: number) => 1_000_000 + i;
  const contactId = (i: number) => 2_000_000 + i;
  const dealId = (i: number) => 3_000_000 + i;
  const companies = Array.from({ length: nCompanies }, (_, i) =>
    rec(companyId(i), {
      name: `Company ${i}`,
      domain: i % 50 === 49 ? null : `company${i}.example.com`,
      annual_recurring_revenue: String(12_000 + (i % 100) * 120),
      contract_end_date: '2026-03-31',
      hubspot_owner_id: String(500 + (i % 7)),
      lifecyclestage: i % 3 ? 'customer' : 'opportunity',
      industry: 'SOFTWARE',
    }),
  );
  const contacts = Array.from({ length: nContacts }, (_, i) =>
    rec(contactId(i), { email: `person${i}@company${i % nCompanies}.example.com`, firstname: 'Pat', lastname: `Person ${i}`, jobtitle: 'Buyer', company: `Company ${i % nCompanies}` }),
  );
  const deals = Array.from({ length: nDeals }, (_, i) =>
    rec(dealId(i), { dealname: `Deal ${i}`, amount: String(1000 + i), dealstage: i % 4 ? 'closedwon' : 'contractsent', pipeline: 'default', closedate: '2025-02-01T00:00:00.000Z', dealtype: 'newbusiness' }),
  );
  const dealCompany = deals.map((_, i) => [String(dealId(i)), String(companyId(i % nCompanies))] as [string, string]);
  const companyContact = contacts.map((_, i) => [String(companyId(i % nCompanies)), String(contactId(i))] as [string, string]);

  // In the order the fetcher hands them on: deals, then associations and the companies they reach, then contacts.
  const dealBatches = chunk(deals, args.batch).map((c) => recordBatch(run, 'deals', c));
  const companyBatches = chunk(companies, args.batch).map((c) => recordBatch(run, 'companies', c));
  const contactBatches = chunk(contacts, args.batch).map((c) => recordBatch(run, 'contacts', c));
  const messages = [
    ...dealBatches.map((b) => ({ subject: HUBSPOT_RECORDS_V1, payload: b as unknown, msgId: b.batchId })),
    ...chunk(dealCompany, 1000).map((p) => associationBatch(run, 'deals', 'companies', p)).map((b) => ({ subject: HUBSPOT_ASSOCIATIONS_V1, payload: b as unknown, msgId: b.batchId })),
    ...companyBatches.map((b) => ({ subject: HUBSPOT_RECORDS_V1, payload: b as unknown, msgId: b.batchId })),
    ...chunk(companyContact, 1000).map((p) => associationBatch(run, 'companies', 'contacts', p)).map((b) => ({ subject: HUBSPOT_ASSOCIATIONS_V1, payload: b as unknown, msgId: b.batchId })),
    ...contactBatches.map((b) => ({ subject: HUBSPOT_RECORDS_V1, payload: b as unknown, msgId: b.batchId })),
  ];
  const started = Date.now();
  await publishAll(nc, messages);
  await finishFetch(pg, run, new Map([['deals', dealBatches.length], ['companies', companyBatches.length], ['contacts', contactBatches.length]]));
  await waitCompleted(pg, run, types, 60 * 60_000);
  // Associations are not counted in object runs: wait until the last one is committed too.
  const associationMessages = messages.filter((m) => m.subject === HUBSPOT_ASSOCIATIONS_V1).length;
  for (;;) {
    const { rows } = await pg.query(`SELECT count(*)::int AS n FROM sync.mapper_batches WHERE run_id = $1 AND subject = $2`, [run.runId, HUBSPOT_ASSOCIATIONS_V1]);
    if (rows[0].n >= associationMessages) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (Date.now() - started) / 1000;
  const count = async (sql: string) => (await pg.query(sql, [run.organizationUid])).rows[0].n as number;
  return {
    rowsPerSecond: args.records / seconds,
    clients: await count(`SELECT count(*)::int AS n FROM stanna.clients WHERE organization_uid = $1`),
    stakeholders: await count(`SELECT count(*)::int AS n FROM stanna.stakeholders WHERE organization_uid = $1`),
    documents: await count(`SELECT count(*)::int AS n FROM exante.documents WHERE organization_uid = $1`),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`mapper bench: ${args.records} records per phase, batches of ${args.batch}, mapper concurrency ${args.concurrency}`);
  const stack = await startStack({
    apps: ['mapper'],
    appEnv: { mapper: { LOG_LEVEL: 'warn', MAPPER_COMPLETION_CHECK_MS: '100', MAPPER_MAX_CONCURRENCY: String(args.concurrency), MAPPER_ACK_WAIT_MS: '60000' } },
  });
  const pg = new Client({ connectionString: stack.databaseUrl });
  await pg.connect();
  const nc = await connect({ servers: stack.natsUrl });
  try {
    const mirror = await mirrorPhase(pg, nc, args);
    log(`mirror upserts: ${Math.round(mirror)} rows/s`);
    const mapping = await mappingPhase(pg, nc, args);
    log(`full mapping:   ${Math.round(mapping.rowsPerSecond)} rows/s (clients ${mapping.clients}, stakeholders ${mapping.stakeholders}, documents ${mapping.documents})`);
  } finally {
    await nc.drain().catch(() => undefined);
    await pg.end().catch(() => undefined);
    await stack.stop();
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`mapper bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
