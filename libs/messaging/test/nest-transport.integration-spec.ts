import { RpcErrorV1 } from '@hubsync/contracts';
import { runMigrations } from '@hubsync/persistence';
import { NatsHandle, PostgresHandle, startNats, startPostgres, waitFor } from '@hubsync/testing';
import { Controller, INestApplication, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload, Transport } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Pool } from 'pg';
import { PgDeadLetterStore } from '../src/dead-letters/pg-dead-letter.store';
import { PermanentMessageError } from '../src/errors/permanent-message.error';
import { RpcRequestError } from '../src/errors/rpc-request.error';
import { JetStreamContext } from '../src/jetstream/jetstream-context';
import { JetStreamExceptionFilter } from '../src/jetstream/jetstream-exception.filter';
import { JetStreamPublisher } from '../src/jetstream/jetstream-publisher';
import { jetStreamMicroservice } from '../src/jetstream/jetstream-microservice';
import { JETSTREAM_TRANSPORT } from '../src/jetstream/jetstream-server';
import { MessagingHealth } from '../src/messaging-health.service';
import { MessagingModule } from '../src/messaging.module';
import { NatsRequester } from '../src/rpc/nats-requester';
import { natsRpcOptions } from '../src/rpc/nats-rpc-options';
import { deadLetters, quietLogger, testTopology } from './support/jetstream-test-kit';

const ORG = '0d3b7a1e-5a7c-4e0f-8d7e-2c5b9a4f6e31';
const work = testTopology('nestwork', { maxDeliver: 2 });
const WORK_SUBJECT = work.subject;
const UNFILTERED_SUBJECT = `${work.subject}.unfiltered`;

const received: { data: any; subject: string; deliveryCount: number; msgId: string | null }[] = [];

@Controller()
@UseFilters(JetStreamExceptionFilter)
class WorkHandlers {
  @EventPattern(WORK_SUBJECT, JETSTREAM_TRANSPORT)
  async handleWork(@Payload() data: any, @Ctx() ctx: JetStreamContext): Promise<void> {
    if (data.reject) throw new PermanentMessageError(`rejected ${data.id}`);
    if (data.fail) throw new Error(`database said no for ${data.id}`);
    received.push({ data, subject: ctx.getSubject(), deliveryCount: ctx.getDeliveryCount(), msgId: ctx.getMsgId() });
  }
}

/** No JetStreamExceptionFilter here: Nest's default filter stands between the handler and the transport. */
@Controller()
class UnfilteredHandlers {
  @EventPattern(UNFILTERED_SUBJECT, JETSTREAM_TRANSPORT)
  async handle(@Payload() data: any): Promise<void> {
    if (data.reject) throw new PermanentMessageError(`unfiltered rejection ${data.id}`);
    throw new Error('the real reason');
  }
}

@Controller()
class RpcHandlers {
  @MessagePattern('spec.rpc.echo.v1', Transport.NATS)
  echo(@Payload() data: { text: string }) {
    return { echoed: data.text.toUpperCase() };
  }

  @MessagePattern('spec.rpc.reauth.v1', Transport.NATS)
  reauth(): RpcErrorV1 {
    return { error: { kind: 'needs_reauth', message: 'refresh token revoked' } };
  }

  @MessagePattern('spec.rpc.crash.v1', Transport.NATS)
  crash(): never {
    throw new Error('handler crashed');
  }
}

describe('NestJS app with the JetStream strategy, the NATS RPC transport and MessagingModule', () => {
  let nats: NatsHandle;
  let pg: PostgresHandle;
  let pool: Pool;
  let app: INestApplication;

  beforeAll(async () => {
    [nats, pg] = await Promise.all([startNats(), startPostgres({ database: 'messaging_nest_spec' })]);
    await runMigrations(pg.databaseUrl);
    pool = new Pool({ connectionString: pg.databaseUrl, max: 2 });

    const moduleRef = await Test.createTestingModule({
      imports: [MessagingModule.forRoot({ natsUrl: nats.natsUrl, serviceName: 'nest-spec', streams: [work.stream], leases: { ttlMs: 5_000 } })],
      controllers: [WorkHandlers, UnfilteredHandlers, RpcHandlers],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.connectMicroservice(
      jetStreamMicroservice({
        natsUrl: nats.natsUrl,
        serviceName: 'nest-spec',
        streams: [work.stream],
        consumers: [work.consumer],
        deadLetters: new PgDeadLetterStore(pool),
        jitterRatio: 0,
        pullExpiresMs: 1_000,
        logger: quietLogger,
      }),
    );
    app.connectMicroservice(natsRpcOptions(nats.natsUrl, 'nest-spec'));
    await app.startAllMicroservices();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await nats?.stop();
    await pg?.stop();
  });

  it('delivers a published message to the @EventPattern handler, routing by subject prefix', async () => {
    const publisher = app.get(JetStreamPublisher);
    await publisher.publish(`${WORK_SUBJECT}.portal-42`, { id: 'w1', organizationUid: ORG }, { msgId: 'nest-w1' });

    const got = await waitFor('the handler to receive it', () => received.find((r) => r.data.id === 'w1'), 20_000);
    expect(got).toEqual({ data: { id: 'w1', organizationUid: ORG }, subject: `${WORK_SUBJECT}.portal-42`, deliveryCount: 1, msgId: 'nest-w1' });
  });

  it('passes the real error and PermanentMessageError through JetStreamExceptionFilter', async () => {
    const publisher = app.get(JetStreamPublisher);
    await publisher.publish(WORK_SUBJECT, { id: 'w2', reject: true, organizationUid: ORG }, { msgId: 'nest-w2' });
    await publisher.publish(WORK_SUBJECT, { id: 'w3', fail: true }, { msgId: 'nest-w3' });

    const letters = await waitFor('two dead letters', async () => {
      const rows = (await deadLetters(pool, work.stream)).filter((r) => ['nest-w2', 'nest-w3'].includes(r.msg_id ?? ''));
      return rows.length === 2 && rows;
    }, 20_000);
    const byId = Object.fromEntries(letters.map((l) => [l.msg_id, l]));
    expect(byId['nest-w2']).toMatchObject({ deliveries: 1, error: 'PermanentMessageError: rejected w2', organization_uid: ORG });
    expect(byId['nest-w3']).toMatchObject({ deliveries: 2, error: 'Error: database said no for w3' });
  });

  it('still recognises PermanentMessageError behind Nest\'s default exception filter', async () => {
    const publisher = app.get(JetStreamPublisher);
    await publisher.publish(UNFILTERED_SUBJECT, { id: 'u1', reject: true }, { msgId: 'nest-u1' });
    await publisher.publish(UNFILTERED_SUBJECT, { id: 'u2' }, { msgId: 'nest-u2' });

    const letters = await waitFor('two dead letters', async () => {
      const rows = (await deadLetters(pool, work.stream)).filter((r) => ['nest-u1', 'nest-u2'].includes(r.msg_id ?? ''));
      return rows.length === 2 && rows;
    }, 20_000);
    const byId = Object.fromEntries(letters.map((l) => [l.msg_id, l]));
    expect(byId['nest-u1']).toMatchObject({ deliveries: 1, error: 'unfiltered rejection u1' });
    // Nest replaced the error; it was still retried up to maxDeliver.
    expect(byId['nest-u2']).toMatchObject({ deliveries: 2, error: 'Internal server error' });
  });

  it('answers NatsRequester through @MessagePattern handlers on the built-in NATS transport', async () => {
    const requester = app.get(NatsRequester);
    await expect(requester.request('spec.rpc.echo.v1', { text: 'hello' }, 5_000)).resolves.toEqual({ echoed: 'HELLO' });
  });

  it('turns RpcErrorV1 replies, handler crashes and silence into RpcRequestError', async () => {
    const requester = app.get(NatsRequester);
    await expect(requester.request('spec.rpc.reauth.v1', {}, 5_000)).rejects.toMatchObject({
      name: 'RpcRequestError',
      kind: 'needs_reauth',
      message: expect.stringContaining('refresh token revoked'),
    });
    await expect(requester.request('spec.rpc.crash.v1', {}, 5_000)).rejects.toMatchObject({ kind: 'internal' });
    const missing = requester.request('spec.rpc.nobody-listens.v1', {}, 1_000);
    await expect(missing).rejects.toBeInstanceOf(RpcRequestError);
    await expect(missing).rejects.toMatchObject({ kind: expect.stringMatching(/^(no_responders|timeout)$/) });
  });

  it('reports NATS readiness', async () => {
    await expect(app.get(MessagingHealth).check()).resolves.toBeUndefined();
  });
});
