/** After a 401: refresh once if `accessToken` is still the current one; private apps → needs_reauth. */
export const AUTH_TOKEN_INVALIDATE_V1 = 'auth.token.invalidate.v1';

export interface AuthTokenInvalidateRequestV1 {
  connectionId: string;
  accessToken: string;
}
