import { randomUUID } from 'node:crypto';
import { RpcErrorV1, isRpcError } from '@hubsync/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { NatsConnection, NatsError } from 'nats';
import { RpcRequestError } from '../errors/rpc-request.error';
import { NATS_CONNECTION } from '../messaging.tokens';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const RPC_KINDS: ReadonlySet<string> = new Set([
  'transient', 'rate_limited', 'unauthorized', 'forbidden_scope', 'not_found', 'invalid_request', 'needs_reauth', 'internal',
]);

/** Nest's NATS transport reply packet (`@nestjs/microservices` server-nats + NatsRecordSerializer). */
interface NestReplyPacket {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

/**
 * Core-NATS request/reply with the wire format of Nest's built-in NATS transport, so it talks to
 * `@MessagePattern(subject)` handlers of other services (Nest treats a message without `id` as a
 * fire-and-forget event and never answers it). RpcErrorV1 replies and handler errors become
 * {@link RpcRequestError}.
 */
@Injectable()
export class NatsRequester {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection, private readonly defaultTimeoutMs = 5_000) {}

  async request<TReq, TRes>(subject: string, payload: TReq, timeoutMs = this.defaultTimeoutMs): Promise<TRes> {
    const packet = { pattern: subject, data: payload, id: randomUUID() };
    let raw: Uint8Array;
    try {
      raw = (await this.nc.request(subject, encoder.encode(JSON.stringify(packet)), { timeout: timeoutMs })).data;
    } catch (error) {
      const code = (error as NatsError)?.code;
      if (code === '503') throw new RpcRequestError(subject, 'no_responders', 'no service is subscribed to this subject');
      if (code === 'TIMEOUT') throw new RpcRequestError(subject, 'timeout', `no reply within ${timeoutMs} ms`);
      throw new RpcRequestError(subject, 'transient', (error as Error).message);
    }
    let reply: NestReplyPacket;
    try {
      reply = JSON.parse(decoder.decode(raw)) as NestReplyPacket;
    } catch {
      throw new RpcRequestError(subject, 'internal', 'reply is not valid JSON');
    }
    if (reply.err !== undefined && reply.err !== null) throw errorFromReply(subject, reply.err);
    if (isRpcError(reply.response)) throw errorFromReply(subject, reply.response);
    return reply.response as TRes;
  }
}

function errorFromReply(subject: string, err: unknown): RpcRequestError {
  if (isRpcError(err)) {
    const { kind, message } = (err as RpcErrorV1).error ?? {};
    return new RpcRequestError(subject, RPC_KINDS.has(kind) ? kind : 'internal', typeof message === 'string' ? message : 'error reply');
  }
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    return new RpcRequestError(subject, 'internal', (err as { message: string }).message);
  }
  return new RpcRequestError(subject, 'internal', typeof err === 'string' ? err : JSON.stringify(err));
}
