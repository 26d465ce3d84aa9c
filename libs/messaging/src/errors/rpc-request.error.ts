import { RpcErrorV1 } from '@hubsync/contracts';

/** Why a request/reply call failed: the responder's RpcErrorV1 kind, or a transport failure. */
export type RpcFailureKind = RpcErrorV1['error']['kind'] | 'timeout' | 'no_responders';

/** Thrown by NatsRequester when the call times out, nobody answers, or the responder replies with an error. */
export class RpcRequestError extends Error {
  override readonly name = 'RpcRequestError';

  constructor(readonly subject: string, readonly kind: RpcFailureKind, message: string) {
    super(`${subject} failed (${kind}): ${message}`);
  }
}
