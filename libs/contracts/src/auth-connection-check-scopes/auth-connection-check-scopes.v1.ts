/**
 * Core NATS request/reply to auth-gateway: the organization changed which object types a connection
 * syncs; recompute the scopes they require. Reply: `AuthConnectionStatusV1` whose `missing_scopes`
 * names every required scope the connection was not granted, or `RpcErrorV1`.
 */
export const AUTH_CONNECTION_CHECK_SCOPES_V1 = 'auth.connection.check-scopes.v1';

export interface AuthConnectionCheckScopesRequestV1 {
  connectionId: string;
  /** Standard object type names (`contacts`, `deals`, …) and custom object types (`2-123`, `p123_cars`). */
  objectTypes: string[];
}
