import { NatsHandle, startNats } from '@hubsync/testing';
import { JetStreamManager, NatsConnection, StorageType, connect, nanos } from 'nats';
import { ensureConsumer, ensureStream } from '../src/jetstream/jetstream-setup';
import { SPARE_SERVER_DELIVERIES } from '../src/jetstream/retry-policy';
import { testTopology } from './support/jetstream-test-kit';

describe('stream and consumer setup at boot', () => {
  let nats: NatsHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.natsUrl });
    jsm = await nc.jetstreamManager();
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  it('creates a file-storage stream and a durable pull consumer, idempotently', async () => {
    const t = testTopology('setup', { ackWaitMs: 4_000, maxDeliver: 7 });
    await ensureStream(jsm, t.stream);
    await ensureConsumer(jsm, t.consumer);
    await Promise.all([ensureStream(jsm, t.stream), ensureStream(jsm, t.stream)]);
    await ensureConsumer(jsm, t.consumer);

    const stream = await jsm.streams.info(t.stream.name);
    expect(stream.config).toMatchObject({ storage: StorageType.File, subjects: t.stream.subjects, duplicate_window: nanos(120_000) });
    const consumer = await jsm.consumers.info(t.stream.name, t.consumer.durableName);
    expect(consumer.config).toMatchObject({ durable_name: 'spec-setup', ack_wait: nanos(4_000), max_deliver: 7 + SPARE_SERVER_DELIVERIES });
    expect(consumer.config.deliver_subject).toBeUndefined(); // pull consumer
    expect((await jsm.consumers.list(t.stream.name).next()).length).toBe(1);
  });

  it('updates changed settings of an existing stream and consumer', async () => {
    const t = testTopology('setupupdate');
    await ensureStream(jsm, t.stream);
    await ensureConsumer(jsm, t.consumer);

    await ensureStream(jsm, { ...t.stream, subjects: [...t.stream.subjects, 'spec.extra.>'], duplicateWindowMs: 60_000 });
    await ensureConsumer(jsm, { ...t.consumer, ackWaitMs: 9_000, maxDeliver: 11 });

    expect((await jsm.streams.info(t.stream.name)).config).toMatchObject({
      subjects: [...t.stream.subjects, 'spec.extra.>'],
      duplicate_window: nanos(60_000),
    });
    expect((await jsm.consumers.info(t.stream.name, t.consumer.durableName)).config).toMatchObject({
      ack_wait: nanos(9_000),
      max_deliver: 11 + SPARE_SERVER_DELIVERIES,
    });
  });

  it('stops with a clear error when an existing stream has an incompatible retention', async () => {
    const t = testTopology('setupclash');
    await ensureStream(jsm, { ...t.stream, retention: 'limits' });
    await expect(ensureStream(jsm, t.stream)).rejects.toThrow(/SPEC_SETUPCLASH exists with incompatible retention/);
  });
});
