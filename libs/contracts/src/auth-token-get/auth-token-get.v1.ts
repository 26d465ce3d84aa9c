/** Core NATS request/reply to auth-gateway: a valid access token for a connection. */
export const AUTH_TOKEN_GET_V1 = 'auth.token.get.v1';

export interface AuthTokenGetRequestV1 {
  connectionId: string;
}

export interface AuthTokenGetReplyV1 {
  accessToken: string;
  /** ISO-8601; null for private-app tokens, which do not expire. */
  expiresAt: string | null;
  portalId: string;
  authType: 'oauth' | 'private_app';
}
