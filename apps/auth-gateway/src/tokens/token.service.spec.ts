import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectionsRepository } from '../connections/connections.repository';
import { HubSpotAuthError } from '../hubspot-auth/hubspot-auth.errors';
import { HubSpotOAuthClient, TokenGrant } from '../hubspot-auth/hubspot-oauth.client';
import { AuthSettings } from '../settings/auth-settings';
import { TokenService } from './token.service';
import { StoredTokens, TokenSet, TokenStore } from './token-store';

const ID = '11111111-2222-4333-8444-555555555555';

/** An in-memory token row with a real async mutex standing in for `SELECT … FOR UPDATE`. */
class FakeDb {
  row: StoredTokens;
  locks = 0;
  /** Runs right before the lock is granted (what another replica did meanwhile). */
  beforeLock?: () => void;
  private queue: Promise<void> = Promise.resolve();

  constructor(row: Partial<StoredTokens>) {
    this.row = {
      connectionId: ID,
      organizationUid: 'org',
      portalId: '123',
      authType: 'oauth',
      status: 'active',
      lastError: null,
      keyId: 'k',
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresAt: new Date(Date.now() + 3_600_000),
      lifetimeSeconds: 1800,
      ...row,
    };
  }

  dataSource(): DataSource {
    return {
      transaction: async <T>(fn: (m: EntityManager) => Promise<T>): Promise<T> => {
        const previous = this.queue;
        let release!: () => void;
        this.queue = new Promise<void>((r) => (release = r));
        await previous;
        try {
          return await fn({ query: async () => [] } as unknown as EntityManager);
        } finally {
          release();
        }
      },
    } as unknown as DataSource;
  }

  store(): TokenStore {
    return {
      read: async () => ({ ...this.row }),
      lock: async () => {
        this.beforeLock?.();
        this.locks++;
        return { ...this.row };
      },
      save: async (_m: EntityManager, _id: string, _org: string, tokens: TokenSet) => {
        this.row = { ...this.row, ...tokens };
      },
    } as unknown as TokenStore;
  }

  connections(): ConnectionsRepository {
    return {
      findById: async () => null,
      markNeedsReauth: async (_m: EntityManager, _id: string, reason: string) => {
        this.row = { ...this.row, status: 'needs_reauth', lastError: reason };
      },
      recordError: async (_m: EntityManager, _id: string, message: string | null) => {
        this.row = { ...this.row, lastError: message };
      },
    } as unknown as ConnectionsRepository;
  }
}

const settings = {
  refreshMarginSeconds: 300,
  refreshLockTimeoutMs: 1000,
  tokenEndpointMaxAttempts: 3,
  tokenEndpointBackoffMs: 0,
  tokenEndpointMaxBackoffMs: 0,
} as AuthSettings;

function service(db: FakeDb, refresh: (token: string) => Promise<TokenGrant>) {
  const hubspot = { refresh: jest.fn(refresh) } as unknown as HubSpotOAuthClient & { refresh: jest.Mock };
  return { tokens: new TokenService(db.dataSource(), db.store(), db.connections(), hubspot, settings), hubspot };
}

const grant = (n: number): TokenGrant => ({ accessToken: `access-${n}`, refreshToken: 'refresh-1', expiresInSeconds: 1800 });

describe('TokenService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('hands out a fresh token without locking or refreshing', async () => {
    const db = new FakeDb({});
    const { tokens, hubspot } = service(db, async () => grant(2));
    expect(await tokens.getToken(ID)).toMatchObject({ accessToken: 'access-1', authType: 'oauth', portalId: '123' });
    expect(db.locks).toBe(0);
    expect(hubspot.refresh).not.toHaveBeenCalled();
  });

  it('refreshes a token inside the margin once, however many callers ask at once', async () => {
    const db = new FakeDb({ expiresAt: new Date(Date.now() + 60_000) });
    const { tokens, hubspot } = service(db, async () => {
      await new Promise((r) => setTimeout(r, 20));
      return grant(2);
    });
    const replies = await Promise.all(Array.from({ length: 10 }, () => tokens.getToken(ID)));
    expect(new Set(replies.map((r) => r.accessToken))).toEqual(new Set(['access-2']));
    expect(hubspot.refresh).toHaveBeenCalledTimes(1);
  });

  it('re-checks freshness after the lock: a refresh by another replica is not repeated', async () => {
    const db = new FakeDb({ expiresAt: new Date(Date.now() + 60_000) });
    db.beforeLock = () => {
      db.row = { ...db.row, accessToken: 'access-by-other-replica', expiresAt: new Date(Date.now() + 1_800_000) };
    };
    const { tokens, hubspot } = service(db, async () => grant(3));
    expect((await tokens.getToken(ID)).accessToken).toBe('access-by-other-replica');
    expect(db.locks).toBe(1);
    expect(hubspot.refresh).not.toHaveBeenCalled();
  });

  it('caps the margin at half the token lifetime (short-lived tokens are not refreshed on every call)', () => {
    const db = new FakeDb({});
    const { tokens } = service(db, async () => grant(2));
    const now = Date.now();
    expect(tokens.isFresh({ expiresAt: new Date(now + 6_000), lifetimeSeconds: 20 }, now)).toBe(false);
    expect(tokens.isFresh({ expiresAt: new Date(now + 11_000), lifetimeSeconds: 20 }, now)).toBe(true);
    expect(tokens.isFresh({ expiresAt: new Date(now + 299_000), lifetimeSeconds: 1800 }, now)).toBe(false);
    expect(tokens.isFresh({ expiresAt: null, lifetimeSeconds: null }, now)).toBe(true);
  });

  it('invalid_grant → needs_reauth with the reason, for every waiter and every later caller', async () => {
    const db = new FakeDb({ expiresAt: new Date(Date.now() - 1_000) });
    const { tokens, hubspot } = service(db, async () => {
      throw new HubSpotAuthError('invalid_grant', 'token refresh: BAD_REFRESH_TOKEN: missing or invalid refresh token', 400);
    });
    const results = await Promise.allSettled([tokens.getToken(ID), tokens.getToken(ID), tokens.invalidate(ID, 'access-1')]);
    for (const r of results) {
      expect(r).toMatchObject({ status: 'rejected', reason: { kind: 'needs_reauth', message: expect.stringContaining('BAD_REFRESH_TOKEN') } });
    }
    expect(db.row.status).toBe('needs_reauth');
    await expect(tokens.getToken(ID)).rejects.toMatchObject({ kind: 'needs_reauth' });
    expect(hubspot.refresh).toHaveBeenCalledTimes(1);
  });

  it('retries a 5xx/429 token endpoint and serves the still-valid token when HubSpot stays down', async () => {
    const db = new FakeDb({ expiresAt: new Date(Date.now() + 60_000) });
    const { tokens, hubspot } = service(db, async () => {
      throw new HubSpotAuthError('transient', 'token refresh: HubSpot answered 503', 503);
    });
    expect((await tokens.getToken(ID)).accessToken).toBe('access-1');
    expect(hubspot.refresh).toHaveBeenCalledTimes(3);
    expect(db.row).toMatchObject({ status: 'active', lastError: expect.stringContaining('503') });
  });

  it('fails with a typed transient error when the token has expired and HubSpot stays down', async () => {
    const db = new FakeDb({ expiresAt: new Date(Date.now() - 1) });
    const { tokens } = service(db, async () => {
      throw new HubSpotAuthError('rate_limited', 'token refresh: rate limited', 429);
    });
    await expect(tokens.getToken(ID)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(db.row.status).toBe('active');
  });

  it('invalidate refreshes only while the rejected token is current', async () => {
    const db = new FakeDb({});
    let n = 1;
    const { tokens, hubspot } = service(db, async () => grant(++n));
    expect((await tokens.invalidate(ID, 'access-1')).accessToken).toBe('access-2');
    expect((await tokens.invalidate(ID, 'access-1')).accessToken).toBe('access-2');
    expect(hubspot.refresh).toHaveBeenCalledTimes(1);
  });

  it('private-app tokens: a 401 on the current one → needs_reauth at once; on another token → no change', async () => {
    const db = new FakeDb({ authType: 'private_app', accessToken: 'pat-1', refreshToken: null, expiresAt: null, lifetimeSeconds: null });
    const { tokens, hubspot } = service(db, async () => grant(2));
    expect(await tokens.invalidate(ID, 'pat-0')).toEqual({ accessToken: 'pat-1', expiresAt: null, portalId: '123', authType: 'private_app' });
    await expect(tokens.invalidate(ID, 'pat-1')).rejects.toMatchObject({ kind: 'needs_reauth', message: expect.stringContaining('private-app') });
    expect(db.row.status).toBe('needs_reauth');
    expect(hubspot.refresh).not.toHaveBeenCalled();
  });
});
