/** Normalised provider error kinds (DESIGN §7); one exception handler maps them to state changes. */
export type ProviderErrorKind =
  | 'transient'
  | 'rate_limited'
  | 'unauthorized'
  | 'forbidden_scope'
  | 'not_found'
  | 'invalid_request';

/** Error reply shape for NATS request/reply handlers. */
export interface RpcErrorV1 {
  error: { kind: ProviderErrorKind | 'needs_reauth' | 'internal'; message: string };
}

export function isRpcError(value: unknown): value is RpcErrorV1 {
  return typeof value === 'object' && value !== null && 'error' in value;
}
