import { ConsumerDefinition, RetryBackoff } from '@hubsync/contracts';
import { LoggerService } from '@nestjs/common';
import { Consumer, JetStreamClient, JsMsg } from 'nats';
import { DeadLetterStore, organizationUidOf } from '../dead-letters/dead-letter-store';
import { describeFailure } from './failure';
import { isNotFound } from './jetstream-setup';
import { JetStreamContext } from './jetstream-context';
import { decideOnFailure, retryDelayMs, serverMaxDeliver } from './retry-policy';

/** Runs the handler for one decoded message; resolves when its effects are committed, throws on failure. */
export type MessageDispatcher = (subject: string, data: unknown, context: JetStreamContext) => Promise<void>;

export interface ConsumerRunnerOptions {
  consumer: ConsumerDefinition & { backoff: RetryBackoff };
  js: JetStreamClient;
  dispatch: MessageDispatcher;
  deadLetters: DeadLetterStore;
  logger: LoggerService;
  /** How long one pull request waits at the server for a message (ms, ≥ 1000). */
  pullExpiresMs: number;
  jitterRatio: number;
  /** Re-creates stream and consumer after they vanished (e.g. a NATS store wiped under us). */
  recover: () => Promise<void>;
}

interface InFlight {
  done: Promise<void>;
  msg: JsMsg;
  /** Set when shutdown gave the message back; the handler's late outcome is then ignored. */
  handedBack: boolean;
}

const DEAD_LETTER_WRITE_ATTEMPTS = 3;
const decoder = new TextDecoder();

/**
 * One durable pull consumer in this process: `maxConcurrency` workers, each pulling exactly one
 * message when it is free. Pulling only for free slots (rather than `consume()`'s prefetch buffer)
 * keeps the concurrency bound real and never lets a buffered message sit out its ack wait unhandled,
 * which would redeliver it elsewhere and inflate its delivery count toward the dead-letter limit.
 */
export class ConsumerRunner {
  private stopping = false;
  private readonly inFlight = new Set<InFlight>();
  private readonly workers: Promise<void>[] = [];
  private consumer?: Promise<Consumer>;
  private wake: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => (this.wake = resolve));

  constructor(private readonly options: ConsumerRunnerOptions) {}

  get name(): string {
    return `${this.options.consumer.stream}/${this.options.consumer.durableName}`;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  start(): void {
    for (let i = 0; i < this.options.consumer.maxConcurrency; i++) this.workers.push(this.work());
  }

  /**
   * Stops pulling, waits up to `graceMs` for running handlers, then hands the unfinished messages
   * back (`nak` without delay) so another process takes them now rather than after the ack wait.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wake();
    const running = [...this.inFlight];
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled(running.map((f) => f.done)).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (finished) return;
    for (const flight of this.inFlight) {
      flight.handedBack = true;
      flight.msg.nak();
    }
    this.options.logger.warn?.(`${this.name}: handed ${this.inFlight.size} unfinished message(s) back after ${graceMs} ms`);
  }

  private async work(): Promise<void> {
    let errorDelayMs = 250;
    while (!this.stopping) {
      let msg: JsMsg | null;
      try {
        this.consumer ??= this.options.js.consumers.get(this.options.consumer.stream, this.options.consumer.durableName);
        msg = await (await this.consumer).next({ expires: this.options.pullExpiresMs });
        errorDelayMs = 250;
      } catch (error) {
        this.consumer = undefined;
        if (this.stopping) return;
        this.options.logger.warn?.(`${this.name}: pull failed, retrying in ${errorDelayMs} ms: ${(error as Error).message}`);
        if (isNotFound(error)) await this.options.recover().catch(() => undefined);
        await this.pause(errorDelayMs);
        errorDelayMs = Math.min(errorDelayMs * 2, 5_000);
        continue;
      }
      if (!msg) continue;
      if (this.stopping) {
        msg.nak();
        return;
      }
      await this.track(msg);
    }
  }

  private track(msg: JsMsg): Promise<void> {
    const flight: InFlight = { msg, handedBack: false, done: Promise.resolve() };
    flight.done = this.process(flight).finally(() => this.inFlight.delete(flight));
    this.inFlight.add(flight);
    return flight.done;
  }

  private async process(flight: InFlight): Promise<void> {
    const { msg } = flight;
    const consumer = this.options.consumer;
    // Long handlers tell the server they are alive, so it does not redeliver under them.
    const heartbeat = setInterval(() => flight.handedBack || msg.working(), Math.max(100, Math.floor(consumer.ackWaitMs / 2)));
    try {
      let data: unknown;
      try {
        data = JSON.parse(decoder.decode(msg.data));
      } catch (error) {
        await this.deadLetter(flight, null, `invalid JSON payload: ${(error as Error).message}`);
        return;
      }
      try {
        await this.options.dispatch(msg.subject, data, new JetStreamContext([msg, consumer]));
      } catch (error) {
        if (flight.handedBack) return;
        const failure = describeFailure(error);
        const decision = decideOnFailure({
          deliveryCount: msg.info.deliveryCount,
          maxDeliver: consumer.maxDeliver,
          permanent: failure.permanent,
          backoff: consumer.backoff,
          jitterRatio: this.options.jitterRatio,
        });
        if (decision.action === 'retry') {
          this.options.logger.warn?.(
            `${this.name}: ${msg.subject} seq ${msg.seq} failed on delivery ${msg.info.deliveryCount}/${consumer.maxDeliver}, ` +
              `retrying in ${decision.delayMs} ms: ${failure.message}`,
          );
          msg.nak(decision.delayMs);
          return;
        }
        await this.deadLetter(flight, data, failure.message);
        return;
      }
      if (flight.handedBack) return;
      await this.ack(msg);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async ack(msg: JsMsg): Promise<void> {
    try {
      // Double ack: we learn whether the server recorded it (else the message comes back; handlers are idempotent).
      const confirmed = await msg.ackAck();
      if (!confirmed) this.options.logger.warn?.(`${this.name}: ack of seq ${msg.seq} not confirmed; it may be redelivered`);
    } catch (error) {
      this.options.logger.warn?.(`${this.name}: ack of seq ${msg.seq} failed (${(error as Error).message}); it may be redelivered`);
    }
  }

  /**
   * Records the message in the dead-letter store, then `term`s it. If the store stays unavailable the
   * message is nak'ed instead (the server keeps spare deliveries above maxDeliver for this), so a
   * message is never terminated without its record.
   */
  private async deadLetter(flight: InFlight, data: unknown, error: string): Promise<void> {
    const { msg } = flight;
    const consumer = this.options.consumer;
    const letter = {
      stream: msg.info.stream,
      consumer: msg.info.consumer,
      subject: msg.subject,
      msgId: msg.headers?.get('Nats-Msg-Id') || null,
      deliveries: msg.info.deliveryCount,
      error,
      payload: msg.data,
      organizationUid: organizationUidOf(data),
    };
    for (let attempt = 1; attempt <= DEAD_LETTER_WRITE_ATTEMPTS; attempt++) {
      try {
        await this.options.deadLetters.record(letter);
        if (flight.handedBack) return;
        msg.term();
        this.options.logger.error?.(
          `${this.name}: dead-lettered ${msg.subject} seq ${msg.seq} after ${letter.deliveries} deliveries: ${error}`,
        );
        return;
      } catch (writeError) {
        this.options.logger.error?.(`${this.name}: writing dead letter for seq ${msg.seq} failed (attempt ${attempt}): ${(writeError as Error).message}`);
        if (attempt < DEAD_LETTER_WRITE_ATTEMPTS) await this.pause(500 * attempt);
      }
    }
    if (flight.handedBack) return;
    if (msg.info.deliveryCount < serverMaxDeliver(consumer.maxDeliver)) {
      msg.nak(retryDelayMs(msg.info.deliveryCount, consumer.backoff));
    } else {
      this.options.logger.error?.(
        `${this.name}: ${msg.subject} seq ${msg.seq} reached the server's max_deliver without a dead-letter record; it stays unacked in the stream`,
      );
    }
  }

  /** Sleeps, but wakes at once when the runner stops. */
  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, ms))), this.stopped]);
    clearTimeout(timer);
  }
}
