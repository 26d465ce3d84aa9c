import { ConsumerDefinition, RetryBackoff, STREAMS, StreamDefinition } from '@hubsync/contracts';
import { Logger, LoggerService } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { NatsConnection } from 'nats';
import { isObservable, lastValueFrom } from 'rxjs';
import { DeadLetterStore } from '../dead-letters/dead-letter-store';
import { connectNats, drainWithin } from '../nats/nats-connection';
import { ConsumerRunner } from './consumer-runner';
import { JetStreamContext } from './jetstream-context';
import { ensureConsumer, ensureStream } from './jetstream-setup';
import { DEFAULT_BACKOFF } from './retry-policy';
import { matchSubjectPattern } from './subject-router';

export const JETSTREAM_TRANSPORT = Symbol('JETSTREAM');

/** Settings applied to every consumer of this server (from the app's configuration, e.g. short ack waits in tests). */
export interface ConsumerOverrides {
  ackWaitMs?: number;
  maxDeliver?: number;
  maxConcurrency?: number;
  backoff?: RetryBackoff;
}

export interface JetStreamServerOptions {
  natsUrl: string;
  serviceName: string;
  /** Durable pull consumers this service reads (from libs/contracts). */
  consumers: ConsumerDefinition[];
  /** Streams created or updated at boot; default: every stream in libs/contracts. */
  streams?: StreamDefinition[];
  deadLetters: DeadLetterStore;
  overrides?: ConsumerOverrides;
  /** Spread of nak delays (0..1); default 0.2. */
  jitterRatio?: number;
  /** How long one pull waits at the server (ms, ≥ 1000); default 10 000. */
  pullExpiresMs?: number;
  /** How long close() waits for running handlers before handing their messages back (ms); default 8 000. */
  shutdownGraceMs?: number;
  logger?: LoggerService;
}

type JetStreamStatus = 'connected' | 'disconnected' | 'reconnecting';

/**
 * NestJS transport strategy for JetStream durable pull consumers: handlers stay `@EventPattern(subject)`
 * methods; a message is acked only after its handler resolved, nak'ed with a growing delay when it
 * failed, and dead-lettered (`sync.dead_letters`) then `term`ed on its final allowed delivery or on a
 * PermanentMessageError. See libs/messaging/README.md.
 */
export class JetStreamServer extends Server<Record<string, (...args: unknown[]) => void>, JetStreamStatus> implements CustomTransportStrategy {
  override readonly transportId = JETSTREAM_TRANSPORT;
  private nc?: NatsConnection;
  private runners: ConsumerRunner[] = [];
  private readonly consumers: (ConsumerDefinition & { backoff: RetryBackoff })[];
  private readonly log: LoggerService;
  private readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  private closing?: Promise<void>;

  constructor(private readonly options: JetStreamServerOptions) {
    super();
    if (!options.natsUrl) throw new Error('JetStreamServer: natsUrl (NATS_URL) is required');
    if (!options.deadLetters) throw new Error('JetStreamServer: a deadLetters store is required (e.g. PgDeadLetterStore)');
    if (options.consumers.length === 0) throw new Error('JetStreamServer: at least one consumer definition is required');
    this.log = options.logger ?? new Logger(`JetStreamServer(${options.serviceName})`);
    this.consumers = options.consumers.map((c) => resolveConsumer(c, options.overrides));
    if ((options.pullExpiresMs ?? 10_000) < 1_000) throw new Error('JetStreamServer: pullExpiresMs must be at least 1000');
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.nc = await connectNats({ natsUrl: this.options.natsUrl, name: `${this.options.serviceName}-jetstream` });
      void this.watchStatus(this.nc);
      await this.ensureTopology();
      const js = this.nc.jetstream();
      this.runners = this.consumers.map(
        (consumer) =>
          new ConsumerRunner({
            consumer,
            js,
            dispatch: (subject, data, context) => this.dispatch(subject, data, context),
            deadLetters: this.options.deadLetters,
            logger: this.log,
            pullExpiresMs: this.options.pullExpiresMs ?? 10_000,
            jitterRatio: this.options.jitterRatio ?? 0.2,
            recover: () => this.ensureTopology(),
          }),
      );
      for (const runner of this.runners) runner.start();
      this._status$.next('connected');
      this.log.log?.(`consuming ${this.runners.map((r) => r.name).join(', ')}; handlers: ${[...this.messageHandlers.keys()].join(', ') || 'none'}`);
      callback();
    } catch (error) {
      await this.nc?.close().catch(() => undefined);
      callback(error);
    }
  }

  /** Stops pulling, lets running handlers finish (bounded), hands the rest back, drains NATS. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const grace = this.options.shutdownGraceMs ?? 8_000;
      await Promise.all(this.runners.map((r) => r.stop(grace)));
      if (this.nc) await drainWithin(this.nc, 2_000);
      await this.options.deadLetters.close?.();
      this._status$.next('disconnected');
    })();
    return this.closing;
  }

  /** Registers a listener for NATS connection status events (`disconnect`, `reconnect`, `error`, ...). */
  on(event: string, callback: (...args: unknown[]) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), callback]);
  }

  unwrap<T>(): T {
    if (!this.nc) throw new Error('JetStreamServer is not listening yet');
    return this.nc as T;
  }

  /** Messages being handled right now in this process (for metrics and tests). */
  inFlightCount(): number {
    return this.runners.reduce((n, r) => n + r.inFlightCount, 0);
  }

  private async ensureTopology(): Promise<void> {
    if (!this.nc) return;
    const jsm = await this.nc.jetstreamManager();
    for (const stream of this.options.streams ?? STREAMS) await ensureStream(jsm, stream);
    for (const consumer of this.consumers) await ensureConsumer(jsm, consumer);
  }

  private async dispatch(subject: string, data: unknown, context: JetStreamContext): Promise<void> {
    // Only @EventPattern handlers: unscoped @MessagePattern (request/reply) handlers are registered on every server too.
    const eventPatterns = [...this.messageHandlers].filter(([, h]) => h.isEventHandler).map(([p]) => p);
    const pattern = matchSubjectPattern(subject, eventPatterns);
    // A missing handler is treated as transient: during a rolling deploy another replica may know the subject.
    if (!pattern) throw new Error(`no @EventPattern handler for subject ${subject} in ${this.options.serviceName}`);
    const handler = this.messageHandlers.get(pattern);
    if (!handler) throw new Error(`handler for ${pattern} disappeared`);
    const result = await handler(data, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') this._status$.next('disconnected');
      if (status.type === 'reconnecting') this._status$.next('reconnecting');
      if (status.type === 'reconnect') this._status$.next('connected');
      if (status.type === 'disconnect' || status.type === 'error') this.log.warn?.(`NATS ${status.type}: ${String(status.data)}`);
      for (const listener of this.listeners.get(status.type) ?? []) listener(status.data);
    }
  }
}

function resolveConsumer(def: ConsumerDefinition, overrides: ConsumerOverrides = {}): ConsumerDefinition & { backoff: RetryBackoff } {
  const resolved = {
    ...def,
    ackWaitMs: overrides.ackWaitMs ?? def.ackWaitMs,
    maxDeliver: overrides.maxDeliver ?? def.maxDeliver,
    maxConcurrency: overrides.maxConcurrency ?? def.maxConcurrency,
    backoff: overrides.backoff ?? def.backoff ?? DEFAULT_BACKOFF,
  };
  const where = `consumer ${def.stream}/${def.durableName}`;
  if (!(resolved.maxDeliver >= 1)) throw new Error(`JetStreamServer: ${where} maxDeliver must be ≥ 1`);
  if (!(resolved.maxConcurrency >= 1)) throw new Error(`JetStreamServer: ${where} maxConcurrency must be ≥ 1`);
  if (!(resolved.ackWaitMs >= 200)) throw new Error(`JetStreamServer: ${where} ackWaitMs must be ≥ 200`);
  if (!(resolved.backoff.initialDelayMs >= 0 && resolved.backoff.maxDelayMs >= resolved.backoff.initialDelayMs)) {
    throw new Error(`JetStreamServer: ${where} backoff needs 0 ≤ initialDelayMs ≤ maxDelayMs`);
  }
  return resolved;
}
