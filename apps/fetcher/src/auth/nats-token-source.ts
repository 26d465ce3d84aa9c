import { AUTH_TOKEN_GET_V1, AUTH_TOKEN_INVALIDATE_V1, AuthTokenGetReplyV1, AuthTokenGetRequestV1, AuthTokenInvalidateRequestV1 } from '@hubsync/contracts';
import { AccessTokenSource, ProviderError } from '@hubsync/hubspot';
import { NatsRequester, RpcRequestError } from '@hubsync/messaging';

/** Refresh a cached token this long before auth-gateway says it expires. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * A connection's access token from auth-gateway (`auth.token.get.v1`), cached until shortly before
 * it expires; after a 401 the transport calls `invalidate` (`auth.token.invalidate.v1`, which
 * refreshes once if the token is still current) and the next `get` asks again.
 */
export class NatsTokenSource implements AccessTokenSource {
  private cached: { token: string; reply: AuthTokenGetReplyV1; freshUntil: number } | null = null;
  private pending: Promise<AuthTokenGetReplyV1> | null = null;

  constructor(
    private readonly requester: NatsRequester,
    readonly connectionId: string,
    private readonly timeoutMs: number,
  ) {}

  async get(): Promise<string> {
    return (await this.reply()).accessToken;
  }

  /** The last reply (auth type tells public vs private app, i.e. which limits apply). */
  async reply(): Promise<AuthTokenGetReplyV1> {
    if (this.cached && Date.now() < this.cached.freshUntil) return this.cached.reply;
    this.pending ??= this.fetch().finally(() => (this.pending = null));
    return this.pending;
  }

  async invalidate(accessToken: string): Promise<void> {
    this.cached = null;
    try {
      await this.requester.request<AuthTokenInvalidateRequestV1, unknown>(AUTH_TOKEN_INVALIDATE_V1, { connectionId: this.connectionId, accessToken }, this.timeoutMs);
    } catch (error) {
      throw toProviderError(error, 'invalidate token');
    }
  }

  private async fetch(): Promise<AuthTokenGetReplyV1> {
    let reply: AuthTokenGetReplyV1;
    try {
      reply = await this.requester.request<AuthTokenGetRequestV1, AuthTokenGetReplyV1>(AUTH_TOKEN_GET_V1, { connectionId: this.connectionId }, this.timeoutMs);
    } catch (error) {
      throw toProviderError(error, 'get token');
    }
    if (!reply || typeof reply.accessToken !== 'string' || !reply.accessToken) {
      throw new ProviderError('transient', `auth.token.get.v1 for connection ${this.connectionId}: reply without accessToken`);
    }
    const expiresAt = reply.expiresAt ? Date.parse(reply.expiresAt) : NaN;
    const freshUntil = Number.isFinite(expiresAt) ? expiresAt - EXPIRY_MARGIN_MS : Date.now() + 10 * 60_000;
    this.cached = { token: reply.accessToken, reply, freshUntil };
    return reply;
  }
}

/** auth-gateway failures in the provider vocabulary: a revoked grant stops the connection, the rest retries. */
function toProviderError(error: unknown, what: string): ProviderError {
  if (error instanceof RpcRequestError) {
    const kind = error.kind === 'needs_reauth' || error.kind === 'unauthorized' ? 'unauthorized' : error.kind === 'not_found' ? 'not_found' : 'transient';
    return new ProviderError(kind, `${what}: ${error.message}`, { category: error.kind === 'needs_reauth' ? 'NEEDS_REAUTH' : undefined });
  }
  return new ProviderError('transient', `${what}: ${(error as Error)?.message ?? String(error)}`);
}
