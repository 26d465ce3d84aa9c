import { runMigrations } from '@hubsync/persistence';
import { NatsHandle, PostgresHandle, startNats, startPostgres, waitFor } from '@hubsync/testing';
import { JetStreamManager, NatsConnection, connect } from 'nats';
import { Pool } from 'pg';
import { PermanentMessageError } from '../src/errors/permanent-message.error';
import { PgDeadLetterStore } from '../src/dead-letters/pg-dead-letter.store';
import { JetStreamPublisher } from '../src/jetstream/jetstream-publisher';
import { JetStreamServer } from '../src/jetstream/jetstream-server';
import { ensureStream } from '../src/jetstream/jetstream-setup';
import { JetStreamContext } from '../src/jetstream/jetstream-context';
import {
  consumerState,
  deadLetters,
  encode,
  flakyStore,
  sleep,
  startJetStreamServer,
  streamMessages,
  testTopology,
} from './support/jetstream-test-kit';

const ORG = '6f1c2a54-9d1e-4b8a-9c43-3f0e2b7d1a10';

describe('JetStreamServer against nats-server -js and PostgreSQL', () => {
  let nats: NatsHandle;
  let pg: PostgresHandle;
  let pool: Pool;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: JetStreamPublisher;
  let store: PgDeadLetterStore;
  const servers: JetStreamServer[] = [];

  beforeAll(async () => {
    [nats, pg] = await Promise.all([startNats(), startPostgres({ database: 'messaging_spec' })]);
    await runMigrations(pg.databaseUrl);
    pool = new Pool({ connectionString: pg.databaseUrl, max: 3 });
    store = new PgDeadLetterStore(pool);
    nc = await connect({ servers: nats.natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
    jsm = await nc.jetstreamManager();
    publisher = new JetStreamPublisher(nc);
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    await nc?.close();
    await pool?.end();
    await nats?.stop();
    await pg?.stop();
  });

  async function serve(topology: ReturnType<typeof testTopology>, handler: (data: any, ctx: JetStreamContext) => Promise<unknown>, extra = {}) {
    const server = await startJetStreamServer({
      natsUrl: nats.natsUrl,
      streams: [topology.stream],
      consumers: [topology.consumer],
      deadLetters: store,
      handlers: { [topology.subject]: handler },
      ...extra,
    });
    servers.push(server);
    return server;
  }

  it('redelivers a message whose handler threw, then acks it once it succeeds', async () => {
    const t = testTopology('redeliver');
    const deliveries: number[] = [];
    let successes = 0;
    await serve(t, async (_data, ctx) => {
      deliveries.push(ctx.getDeliveryCount());
      if (deliveries.length === 1) throw new Error('transient failure');
      successes++;
    });

    await publisher.publish(`${t.subject}.portal-1`, { organizationUid: ORG, n: 1 }, { msgId: 'redeliver-1' });

    await waitFor('the message to be acked', async () => (await consumerState(jsm, t.consumer)).ackPending === 0 && successes === 1, 20_000);
    expect(deliveries).toEqual([1, 2]);
    expect(await streamMessages(jsm, t.stream)).toBe(0);
    expect(await deadLetters(pool, t.stream)).toEqual([]);
  });

  it('dead-letters a poison message on its last allowed delivery and terms it', async () => {
    const t = testTopology('poison', { maxDeliver: 3 });
    const deliveries: number[] = [];
    await serve(t, async (_data, ctx) => {
      deliveries.push(ctx.getDeliveryCount());
      throw new Error(`poison ${ctx.getDeliveryCount()}`);
    });

    const payload = { organizationUid: ORG, records: [1, 2, 3] };
    await publisher.publish(t.subject, payload, { msgId: 'poison-1' });

    const [letter] = await waitFor('the dead letter', async () => (await deadLetters(pool, t.stream)).length > 0 && deadLetters(pool, t.stream), 20_000);
    expect(letter).toMatchObject({
      organization_uid: ORG,
      stream: t.stream.name,
      consumer: t.consumer.durableName,
      subject: t.subject,
      msg_id: 'poison-1',
      deliveries: 3,
      error: 'Error: poison 3',
    });
    expect(JSON.parse(letter.payload.toString('utf8'))).toEqual(payload);
    // termed: nothing left to deliver or waiting for an ack, and the handler ran exactly maxDeliver times
    await waitFor('the message to be termed', async () => (await consumerState(jsm, t.consumer)).ackPending === 0, 10_000);
    expect(await consumerState(jsm, t.consumer)).toMatchObject({ pending: 0, delivered: 3 });
    expect(deliveries).toEqual([1, 2, 3]);
  });

  it('dead-letters a PermanentMessageError at once', async () => {
    const t = testTopology('permanent');
    let calls = 0;
    await serve(t, async () => {
      calls++;
      throw new PermanentMessageError('batch violates the schema', new Error('field "id" missing'));
    });

    await publisher.publish(t.subject, { organizationUid: ORG }, { msgId: 'permanent-1' });

    const [letter] = await waitFor('the dead letter', async () => (await deadLetters(pool, t.stream)).length > 0 && deadLetters(pool, t.stream), 20_000);
    expect(letter.deliveries).toBe(1);
    expect(letter.error).toBe('PermanentMessageError: batch violates the schema (cause: field "id" missing)');
    await waitFor('the message to be termed', async () => (await consumerState(jsm, t.consumer)).ackPending === 0, 10_000);
    expect(calls).toBe(1);
  });

  it('dead-letters an invalid JSON payload without calling the handler', async () => {
    const t = testTopology('badjson');
    let calls = 0;
    await serve(t, async () => {
      calls++;
    });

    await nc.jetstream().publish(t.subject, encode('{"organizationUid": "not json'), { msgID: 'badjson-1' });

    const [letter] = await waitFor('the dead letter', async () => (await deadLetters(pool, t.stream)).length > 0 && deadLetters(pool, t.stream), 20_000);
    expect(letter).toMatchObject({ deliveries: 1, organization_uid: null, msg_id: 'badjson-1' });
    expect(letter.error).toMatch(/^invalid JSON payload/);
    expect(letter.payload.toString('utf8')).toBe('{"organizationUid": "not json');
    expect(calls).toBe(0);
  });

  it('never terms without a dead-letter record: a failing store makes the message come back', async () => {
    const t = testTopology('dlfail', { maxDeliver: 1 });
    const deliveries: number[] = [];
    const flaky = flakyStore(store, 3); // the first dead-letter round (3 write attempts) fails entirely
    await serve(t, async (_data, ctx) => {
      deliveries.push(ctx.getDeliveryCount());
      throw new Error('always failing');
    }, { deadLetters: flaky });

    await publisher.publish(t.subject, { organizationUid: ORG }, { msgId: 'dlfail-1' });

    const [letter] = await waitFor('the dead letter', async () => (await deadLetters(pool, t.stream)).length > 0 && deadLetters(pool, t.stream), 30_000);
    expect(letter.deliveries).toBe(2);
    expect(deliveries).toEqual([1, 2]);
    expect(flaky.attempts).toBe(4);
  });

  it('keeps a long handler alive with working() heartbeats instead of letting the message be redelivered', async () => {
    const t = testTopology('heartbeat', { ackWaitMs: 2_000, maxConcurrency: 2 });
    let calls = 0;
    let finished = false;
    await serve(t, async () => {
      calls++;
      await sleep(5_000); // 2.5 × the ack wait
      finished = true;
    });

    await publisher.publish(t.subject, { n: 1 }, { msgId: 'heartbeat-1' });

    await waitFor('the long handler to finish and ack', async () => finished && (await streamMessages(jsm, t.stream)) === 0, 20_000);
    expect(calls).toBe(1);
    expect((await consumerState(jsm, t.consumer)).delivered).toBe(1);
  });

  it('runs at most maxConcurrency handlers at once per consumer', async () => {
    const t = testTopology('concurrency', { maxConcurrency: 2 });
    let running = 0;
    let maxRunning = 0;
    let done = 0;
    await ensureStream(jsm, t.stream);
    for (let i = 0; i < 6; i++) await publisher.publish(t.subject, { i }, { msgId: `concurrency-${i}` });
    await serve(t, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(150);
      running--;
      done++;
    });

    await waitFor('all six handled', async () => done === 6 && (await streamMessages(jsm, t.stream)) === 0, 20_000);
    expect(maxRunning).toBeLessThanOrEqual(2);
    expect((await consumerState(jsm, t.consumer)).delivered).toBe(6);
  });

  it('delivers a message published twice with one msg id once', async () => {
    const t = testTopology('dedupe');
    const seen: string[] = [];
    await serve(t, async (data) => {
      seen.push(data.name);
    });

    const first = await publisher.publish(t.subject, { name: 'a' }, { msgId: 'dedupe-a' });
    const second = await publisher.publish(t.subject, { name: 'a' }, { msgId: 'dedupe-a' });
    await publisher.publish(t.subject, { name: 'sentinel' }, { msgId: 'dedupe-sentinel' });

    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, seq: first.seq });
    await waitFor('the sentinel', async () => seen.includes('sentinel') && (await streamMessages(jsm, t.stream)) === 0, 20_000);
    expect(seen).toEqual(['a', 'sentinel']);
    expect((await consumerState(jsm, t.consumer)).delivered).toBe(2);
  });

  it('waits for a running handler on close, and the message is acked', async () => {
    const t = testTopology('graceful');
    let started = false;
    let finished = false;
    const server = await serve(t, async () => {
      started = true;
      await sleep(1_000);
      finished = true;
    });

    await publisher.publish(t.subject, { n: 1 }, { msgId: 'graceful-1' });
    await waitFor('the handler to start', () => started, 20_000);
    await server.close();

    expect(finished).toBe(true);
    expect(await streamMessages(jsm, t.stream)).toBe(0);
  });

  it('hands an unfinished message back on close after the grace period, to be handled elsewhere', async () => {
    const t = testTopology('handback', { ackWaitMs: 30_000 });
    let started = false;
    const first = await serve(t, async () => {
      started = true;
      await sleep(5_000);
    }, { shutdownGraceMs: 200 });

    await publisher.publish(t.subject, { n: 1 }, { msgId: 'handback-1' });
    await waitFor('the first handler to start', () => started, 20_000);
    await first.close();

    const deliveries: number[] = [];
    await serve(t, async (_data, ctx) => {
      deliveries.push(ctx.getDeliveryCount());
    });
    // Far sooner than the 30 s ack wait: the nak gave it back at once.
    await waitFor('the second server to handle it', async () => deliveries.length === 1 && (await streamMessages(jsm, t.stream)) === 0, 15_000);
    expect(deliveries).toEqual([2]);
  });

  it('keeps acked publishes across a nats-server restart', async () => {
    const t = testTopology('restart');
    await ensureStream(jsm, t.stream);
    for (let i = 0; i < 5; i++) {
      const ack = await publisher.publish(t.subject, { i }, { msgId: `restart-${i}` });
      expect(ack.duplicate).toBe(false);
    }

    await nats.restart();

    await waitFor('JetStream after the restart', async () => (await streamMessages(jsm, t.stream)) === 5, 20_000);
    const seen: number[] = [];
    await serve(t, async (data) => {
      seen.push(data.i);
    });
    await waitFor('all five handled', async () => seen.length === 5 && (await streamMessages(jsm, t.stream)) === 0, 20_000);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps consuming across a nats-server restart', async () => {
    const t = testTopology('resume');
    const seen: string[] = [];
    await serve(t, async (data) => {
      seen.push(data.name);
    });
    await publisher.publish(t.subject, { name: 'before' }, { msgId: 'resume-before' });
    await waitFor('the first message', () => seen.includes('before'), 20_000);

    await nats.restart();

    await waitFor('a publish after the restart', () => publisher.publish(t.subject, { name: 'after' }, { msgId: 'resume-after' }), 20_000, 250);
    await waitFor('the message published after the restart', async () => seen.includes('after') && (await streamMessages(jsm, t.stream)) === 0, 30_000);
    expect(seen).toEqual(['before', 'after']);
  });

  it('refuses a payload above MAX_MESSAGE_BYTES before it reaches NATS', async () => {
    const t = testTopology('toolarge');
    await ensureStream(jsm, t.stream);
    const big = { blob: 'x'.repeat(800 * 1024) };
    await expect(publisher.publish(t.subject, big, { msgId: 'big-1' })).rejects.toThrow(/above MAX_MESSAGE_BYTES/);
    expect(await streamMessages(jsm, t.stream)).toBe(0);
  });
});
