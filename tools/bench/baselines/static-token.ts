import { AccessTokenSource } from '@hubsync/hubspot';

/** A private-app token never expires: nothing to refresh. */
export function staticToken(token: string): AccessTokenSource {
  return {
    get: async () => token,
    invalidate: async () => undefined,
  };
}
