import { ConsumerDefinition, StreamDefinition } from '@hubsync/contracts';
import { MessageHandler } from '@nestjs/microservices';
import { JetStreamManager, NatsConnection } from 'nats';
import { Pool } from 'pg';
import { DeadLetterStore } from '../../src/dead-letters/dead-letter-store';
import { JetStreamServer, JetStreamServerOptions } from '../../src/jetstream/jetstream-server';

/** A stream + consumer pair of its own for one test, so tests sharing a nats-server never interfere. */
export function testTopology(
  name: string,
  consumer: Partial<ConsumerDefinition> = {},
): { stream: StreamDefinition; consumer: ConsumerDefinition; subject: string } {
  const stream: StreamDefinition = {
    name: `SPEC_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`,
    subjects: [`spec.${name}.>`],
    retention: 'workqueue',
    duplicateWindowMs: 120_000,
  };
  return {
    stream,
    subject: `spec.${name}.v1`,
    consumer: {
      stream: stream.name,
      durableName: `spec-${name}`,
      maxDeliver: 5,
      ackWaitMs: 2_000,
      maxConcurrency: 1,
      backoff: { initialDelayMs: 50, maxDelayMs: 200 },
      ...consumer,
    },
  };
}

export type TestHandler = (data: any, ctx: any) => Promise<unknown>;

/** A JetStreamServer without Nest: handlers registered as Nest would register `@EventPattern` methods. */
export async function startJetStreamServer(
  options: Omit<JetStreamServerOptions, 'serviceName' | 'logger'> & { handlers: Record<string, TestHandler> },
): Promise<JetStreamServer> {
  const { handlers, ...serverOptions } = options;
  const server = new JetStreamServer({ serviceName: 'messaging-spec', jitterRatio: 0, pullExpiresMs: 1_000, ...serverOptions, logger: quietLogger });
  for (const [pattern, handler] of Object.entries(handlers)) server.addHandler(pattern, handler as MessageHandler, true);
  await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error) : resolve())));
  return server;
}

/** Logs only errors: the tests provoke many retries on purpose. */
export const quietLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: (message: unknown) => process.env['MESSAGING_SPEC_VERBOSE'] && console.error(message),
};

export async function consumerState(jsm: JetStreamManager, consumer: ConsumerDefinition) {
  const info = await jsm.consumers.info(consumer.stream, consumer.durableName);
  return { ackPending: info.num_ack_pending, pending: info.num_pending, delivered: info.delivered.consumer_seq, redelivered: info.num_redelivered };
}

export async function streamMessages(jsm: JetStreamManager, stream: StreamDefinition): Promise<number> {
  return (await jsm.streams.info(stream.name)).state.messages;
}

export interface DeadLetterRow {
  organization_uid: string | null;
  stream: string;
  consumer: string;
  subject: string;
  msg_id: string | null;
  deliveries: number;
  error: string;
  payload: Buffer;
}

export async function deadLetters(db: Pool, stream: StreamDefinition): Promise<DeadLetterRow[]> {
  const result = await db.query<DeadLetterRow>('SELECT * FROM sync.dead_letters WHERE stream = $1 ORDER BY id', [stream.name]);
  return result.rows;
}

/** A DeadLetterStore that fails a given number of times first (to prove the nak fallback). */
export function flakyStore(inner: DeadLetterStore, failures: number): DeadLetterStore & { attempts: number } {
  const store = {
    attempts: 0,
    async record(letter: Parameters<DeadLetterStore['record']>[0]) {
      store.attempts++;
      if (store.attempts <= failures) throw new Error('database unavailable');
      await inner.record(letter);
    },
  };
  return store;
}

export function encode(value: unknown): Uint8Array {
  return new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type { NatsConnection };
