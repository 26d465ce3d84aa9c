import { RpcErrorV1 } from '@hubsync/contracts';

export type TokenAccessErrorKind = RpcErrorV1['error']['kind'];

/** Why a token cannot be handed out; becomes the `RpcErrorV1` reply of the auth.* handlers. */
export class TokenAccessError extends Error {
  constructor(readonly kind: TokenAccessErrorKind, message: string) {
    super(message);
    this.name = 'TokenAccessError';
  }

  toRpcError(): RpcErrorV1 {
    return { error: { kind: this.kind, message: this.message } };
  }
}
