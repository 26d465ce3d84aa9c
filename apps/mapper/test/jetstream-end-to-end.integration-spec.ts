import { HUBSPOT_RECORDS_V1, HUBSPOT_SCHEMA_V1 } from '@hubsync/contracts';
import { Stack, startStack } from '@hubsync/test-stack';
import { waitFor } from '@hubsync/testing';
import { randomUUID } from 'node:crypto';
import { connect, JSONCodec, NatsConnection } from 'nats';
import { Client } from 'pg';
import { Origin, record, recordBatch, schemaMessage } from './support/portal-generator';

/**
 * The mapper as it runs: its built JavaScript in a child process, batches through JetStream
 * (MAPPER_DATA_CONSUMER), PostgreSQL with migrations. Needs `npx tsc -p apps/mapper/tsconfig.app.json
 * && npx tsc-alias -p apps/mapper/tsconfig.app.json` first.
 */
describe('mapper end to end through JetStream', () => {
  let stack: Stack;
  let nc: NatsConnection;
  let pg: Client;
  const codec = JSONCodec();

  beforeAll(async () => {
    stack = await startStack({ apps: ['mapper'], appEnv: { mapper: { MAPPER_COMPLETION_CHECK_MS: '200', MAPPER_ACK_WAIT_MS: '2000', LOG_LEVEL: 'warn' } } });
    nc = await connect({ servers: stack.natsUrl });
    pg = new Client({ connectionString: stack.databaseUrl });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end().catch(() => undefined);
    await nc?.drain().catch(() => undefined);
    await stack?.stop();
  });

  const publish = (subject: string, payload: unknown) => nc.jetstream().publish(subject, codec.encode(payload), { msgID: randomUUID() });

  it('stores, maps and counts batches delivered twice, completes the object run, and dead-letters an invalid payload', async () => {
    const org = randomUUID();
    const connectionId = randomUUID();
    const [run] = (await pg.query(`INSERT INTO sync.runs (organization_uid, connection_id, portal_id, kind, mode) VALUES ($1, $2, '4242', 'full_sync', 'full') RETURNING id`, [org, connectionId])).rows;
    await pg.query(`INSERT INTO sync.jobs (organization_uid, connection_id, portal_id, kind, mode, status, run_id) VALUES ($1, $2, '4242', 'full_sync', 'full', 'running', $3)`, [org, connectionId, run.id]);
    await pg.query(`INSERT INTO sync.object_runs (run_id, organization_uid, object_type, fetch_started_at) VALUES ($1, $2, 'companies', now())`, [run.id, org]);
    const o: Origin = { organizationUid: org, connectionId, portalId: '4242', runId: run.id };

    await publish(HUBSPOT_SCHEMA_V1, schemaMessage(o, 'companies', [{ name: 'name', type: 'string' }, { name: 'domain', type: 'string' }, { name: 'mrr', type: 'number' }]));
    const batches = [1, 2, 3].map((b) =>
      recordBatch(o, 'companies', Array.from({ length: 50 }, (_, k) => {
        const i = (b - 1) * 50 + k + 1;
        return record(i, i % 10 === 0 ? { name: `No domain ${i}` } : { name: `C${i}`, domain: `c${i}.example.com`, mrr: String(i) });
      })),
    );
    for (const b of batches) await publish(HUBSPOT_RECORDS_V1, b);
    await publish(HUBSPOT_RECORDS_V1, batches[1]); // the same batch again, under another JetStream msg id
    await pg.query(`UPDATE sync.object_runs SET batches_published = 3, fetch_finished_at = now() WHERE run_id = $1 AND object_type = 'companies'`, [run.id]);

    const done = await waitFor('companies completed', async () => {
      const { rows } = await pg.query(`SELECT status, batches_committed, total_synced, total_skipped FROM sync.object_runs WHERE run_id = $1 AND object_type = 'companies'`, [run.id]);
      return rows[0]?.status === 'completed' ? rows[0] : null;
    }, 60_000, 200);
    expect(done).toEqual({ status: 'completed', batches_committed: 3, total_synced: 135, total_skipped: 15 });
    // the duplicate may land after completion: give it a moment, then check nothing moved
    await waitFor('duplicate handled', async () => (await pg.query(`SELECT count(*)::int AS n FROM sync.mapper_batches WHERE run_id = $1`, [run.id])).rows[0].n === 3, 10_000, 200);
    await new Promise((r) => setTimeout(r, 500));
    expect((await pg.query(`SELECT batches_committed, total_synced FROM sync.object_runs WHERE run_id = $1 AND object_type = 'companies'`, [run.id])).rows[0]).toEqual({ batches_committed: 3, total_synced: 135 });
    expect((await pg.query(`SELECT count(*)::int AS n FROM stanna.clients WHERE organization_uid = $1`, [org])).rows[0].n).toBe(135);
    const schema = (await pg.query(`SELECT schema_name FROM hubspot.destinations WHERE organization_uid = $1`, [org])).rows[0].schema_name;
    expect((await pg.query(`SELECT sum(mrr)::int AS s FROM "${schema}".companies`)).rows[0].s).toBe((150 * 151) / 2 - 10 * (15 * 16) / 2); // the multiples of 10 have no domain and no mrr

    await publish(HUBSPOT_RECORDS_V1, { organizationUid: org, objectType: 'companies', records: 'nope' });
    const dead = await waitFor('dead letter', async () => {
      const { rows } = await pg.query(`SELECT subject, error, deliveries FROM sync.dead_letters WHERE organization_uid = $1`, [org]);
      return rows[0];
    }, 30_000, 200);
    expect(dead.subject).toBe(HUBSPOT_RECORDS_V1);
    expect(dead.error).toMatch(/portalId must be a non-empty string.*records must be an array/);
    expect(dead.deliveries).toBe(1);
  });
});
