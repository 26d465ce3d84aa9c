import { AUTH_TOKEN_GET_V1, AUTH_TOKEN_INVALIDATE_V1, AuthTokenGetReplyV1 } from '@hubsync/contracts';
import { connect, NatsConnection, Subscription } from 'nats';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Stands in for auth-gateway in fetcher tests: answers `auth.token.get.v1` / `auth.token.invalidate.v1`
 * over core NATS in the wire format of Nest's NATS transport (what NatsRequester speaks), with
 * private-app tokens the test created in the sandbox.
 */
export class AuthStub {
  private nc?: NatsConnection;
  private subs: Subscription[] = [];
  readonly tokens = new Map<string, AuthTokenGetReplyV1>();
  readonly invalidations: { connectionId: string; accessToken: string }[] = [];
  /** What auth-gateway would do on `auth.token.invalidate.v1` (refresh): the next token per connection. */
  readonly refreshed = new Map<string, string>();

  async start(natsUrl: string): Promise<void> {
    this.nc = await connect({ servers: natsUrl, name: 'auth-stub' });
    this.serve(AUTH_TOKEN_GET_V1, (data) => {
      const reply = this.tokens.get(String((data as { connectionId?: string })?.connectionId));
      return reply ?? { error: { kind: 'not_found', message: 'unknown connection' } };
    });
    this.serve(AUTH_TOKEN_INVALIDATE_V1, (data) => {
      const request = data as { connectionId: string; accessToken: string };
      this.invalidations.push(request);
      const current = this.tokens.get(request.connectionId);
      const next = this.refreshed.get(request.connectionId);
      if (current && next && current.accessToken === request.accessToken) this.tokens.set(request.connectionId, { ...current, accessToken: next });
      return { ok: true };
    });
  }

  /** `authType` decides which limits the fetcher assumes (oauth → public app, 110 / 10 s). */
  register(connectionId: string, portalId: number | string, accessToken: string, authType: 'oauth' | 'private_app' = 'private_app'): void {
    this.tokens.set(connectionId, { accessToken, expiresAt: null, portalId: String(portalId), authType });
  }

  async stop(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    await this.nc?.drain().catch(() => undefined);
  }

  private serve(subject: string, answer: (data: unknown) => unknown): void {
    if (!this.nc) throw new Error('not started');
    const sub = this.nc.subscribe(subject);
    this.subs.push(sub);
    void (async () => {
      for await (const msg of sub) {
        const packet = JSON.parse(decoder.decode(msg.data)) as { id?: string; data?: unknown };
        msg.respond(encoder.encode(JSON.stringify({ id: packet.id, response: answer(packet.data), isDisposed: true })));
      }
    })();
  }
}
