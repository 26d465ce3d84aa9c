import { MAX_MESSAGE_BYTES } from '@hubsync/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { JetStreamClient, NatsConnection, NatsError } from 'nats';
import { MessageTooLargeError } from '../errors/message-too-large.error';
import { NATS_CONNECTION } from '../messaging.tokens';

export interface PublishOptions {
  /** `Nats-Msg-Id`: the server drops a second publish with the same id inside the stream's duplicate window. */
  msgId: string;
  /** Wait for the publish ack this long per attempt (ms); default 5 000. */
  timeoutMs?: number;
  /** Attempts on timeouts / no responders (safe thanks to msgId); default 3. */
  attempts?: number;
}

export interface PublishResult {
  stream: string;
  seq: number;
  /** True when the server had already stored a message with this msgId. */
  duplicate: boolean;
}

const encoder = new TextEncoder();

/** Publishes JSON to JetStream and resolves only once the stream has stored it (publish ack). */
@Injectable()
export class JetStreamPublisher {
  private readonly js: JetStreamClient;

  constructor(@Inject(NATS_CONNECTION) nc: NatsConnection, private readonly maxBytes = MAX_MESSAGE_BYTES) {
    this.js = nc.jetstream();
  }

  /** The encoded size a payload would have, so producers can cap batches by bytes before publishing. */
  static encodedSize(payload: unknown): number {
    return encoder.encode(JSON.stringify(payload)).byteLength;
  }

  async publish<T>(subject: string, payload: T, options: PublishOptions): Promise<PublishResult> {
    return this.publishJson(subject, JSON.stringify(payload), options);
  }

  /**
   * Same as `publish` for a payload the producer already serialised (the fetcher serialises each
   * record once to size its batches, then assembles the message from those parts).
   */
  async publishJson(subject: string, json: string, options: PublishOptions): Promise<PublishResult> {
    if (!options?.msgId) throw new Error(`publish to ${subject}: msgId is required (idempotent publishing)`);
    const data = encoder.encode(json);
    if (data.byteLength > this.maxBytes) throw new MessageTooLargeError(subject, data.byteLength, this.maxBytes);
    const attempts = Math.max(1, options.attempts ?? 3);
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await this.js.publish(subject, data, { msgID: options.msgId, timeout: options.timeoutMs ?? 5_000 });
        return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
      } catch (error) {
        if (attempt >= attempts || !isRetryable(error)) {
          const reason = (error as NatsError)?.code === '503' ? 'no JetStream stream captures this subject (503)' : (error as Error).message;
          throw new Error(`publish to ${subject} (msgId ${options.msgId}) failed: ${reason}`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
    }
  }
}

function isRetryable(error: unknown): boolean {
  const code = (error as NatsError)?.code;
  return code === 'TIMEOUT' || code === '503' || code === 'CONNECTION_CLOSED' || code === 'DISCONNECT';
}
