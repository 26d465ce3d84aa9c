import { Controller, Get, Global, INestApplication, Module, Query, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@hubsync/persistence';
import { PostgresHandle, startPostgres } from '@hubsync/testing';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { ApiKeysModule } from './api-keys.module';
import { CurrentPrincipal } from './current-principal.decorator';
import { OrganizationResolver } from './organization.resolver';
import { Principal } from './principal';
import { TenancyService } from './tenancy.service';

@Controller('whoami')
@UseGuards(ApiKeyGuard)
class WhoAmIController {
  constructor(private readonly organizations: OrganizationResolver) {}

  @Get()
  async whoami(@CurrentPrincipal() principal: Principal, @Query('organization_uid') organizationUid?: string) {
    return { principal, organization_uid: await this.organizations.resolve(principal, organizationUid) };
  }
}

describe('ApiKeysModule against a real PostgreSQL', () => {
  let pg: PostgresHandle;
  let dataSource: DataSource;
  let app: INestApplication;
  let baseUrl: string;
  let keys: ApiKeyService;
  let tenancy: TenancyService;

  beforeAll(async () => {
    pg = await startPostgres({ database: 'api_keys_spec' });
    await runMigrations(pg.databaseUrl);
    dataSource = createDataSource({ databaseUrl: pg.databaseUrl, poolSize: 4 });
    await dataSource.initialize();

    @Global()
    @Module({ providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] })
    class DataSourceModule {}

    @Module({ imports: [DataSourceModule, ApiKeysModule], controllers: [WhoAmIController] })
    class TestAppModule {}

    const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    keys = app.get(ApiKeyService);
    tenancy = app.get(TenancyService);
  });

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await pg?.stop();
  });

  const call = (apiKey: string | undefined, query = '') =>
    fetch(`${baseUrl}/whoami${query}`, { headers: apiKey ? { 'x-api-key': apiKey } : {} });

  async function tenant(label: string) {
    const org = await tenancy.createOrganization(`Org ${label}`);
    const user = await tenancy.createUser(`${label}-${Date.now()}@example.com`);
    await tenancy.addMembership(org.uid, user.uid);
    const key = await keys.create({ organizationUid: org.uid, userUid: user.uid, name: `${label} key` });
    return { org, user, key };
  }

  it('authenticates a key and resolves the user default organization', async () => {
    const a = await tenant('a');
    const res = await call(a.key.apiKey);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      principal: { userUid: a.user.uid, keyOrganizationUid: a.org.uid, apiKeyUid: a.key.uid },
      organization_uid: a.org.uid,
    });
  });

  it('stores only the hash and the prefix', async () => {
    const a = await tenant('hash');
    const rows = await dataSource.query(`SELECT prefix, key_hash FROM core.api_keys WHERE uid = $1`, [a.key.uid]);
    expect(rows[0].prefix).toBe(a.key.prefix);
    expect(rows[0].key_hash).not.toContain(a.key.apiKey.split('_')[2]);
    expect(JSON.stringify(rows)).not.toContain(a.key.apiKey);
  });

  it('answers 401 for a missing, malformed, unknown or revoked key', async () => {
    const a = await tenant('revoke');
    expect((await call(undefined)).status).toBe(401);
    expect((await call('not-a-key')).status).toBe(401);
    const forged = a.key.apiKey.slice(0, -1) + (a.key.apiKey.endsWith('A') ? 'B' : 'A');
    expect((await call(forged)).status).toBe(401);
    expect((await call(a.key.apiKey)).status).toBe(200);
    expect(await keys.revoke(a.org.uid, a.key.prefix)).toBe(true);
    expect((await call(a.key.apiKey)).status).toBe(401);
    expect(await keys.revoke(a.org.uid, a.key.uid)).toBe(false);
  });

  it('answers 404 for an organization the user is not a member of, 200 for another membership', async () => {
    const a = await tenant('tenant-a');
    const b = await tenant('tenant-b');
    expect((await call(a.key.apiKey, `?organization_uid=${b.org.uid}`)).status).toBe(404);
    expect((await call(a.key.apiKey, `?organization_uid=00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await call(a.key.apiKey, `?organization_uid=nope`)).status).toBe(400);

    await tenancy.addMembership(b.org.uid, a.user.uid);
    const res = await call(a.key.apiKey, `?organization_uid=${b.org.uid}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { organization_uid: string }).organization_uid).toBe(b.org.uid);
    // The default did not move: the first membership stays the default.
    expect(((await (await call(a.key.apiKey)).json()) as { organization_uid: string }).organization_uid).toBe(a.org.uid);
    await tenancy.addMembership(b.org.uid, a.user.uid, { makeDefault: true });
    expect(((await (await call(a.key.apiKey)).json()) as { organization_uid: string }).organization_uid).toBe(b.org.uid);
  });

  it('rejects a key once its user left the key organization', async () => {
    const a = await tenant('left');
    await dataSource.query(`DELETE FROM core.memberships WHERE user_uid = $1`, [a.user.uid]);
    expect((await call(a.key.apiKey)).status).toBe(401);
  });

  it('refuses to issue a key in an organization the user does not belong to', async () => {
    const a = await tenant('issue-a');
    const b = await tenant('issue-b');
    await expect(keys.create({ organizationUid: b.org.uid, userUid: a.user.uid, name: 'x' })).rejects.toThrow(/not a member/);
  });

  it('writes last_used_at at most once a minute', async () => {
    const a = await tenant('touch');
    await call(a.key.apiKey);
    const first = (await dataSource.query(`SELECT last_used_at FROM core.api_keys WHERE uid = $1`, [a.key.uid]))[0].last_used_at;
    expect(first).not.toBeNull();
    await call(a.key.apiKey);
    const second = (await dataSource.query(`SELECT last_used_at FROM core.api_keys WHERE uid = $1`, [a.key.uid]))[0].last_used_at;
    expect(second.getTime()).toBe(first.getTime());
    await dataSource.query(`UPDATE core.api_keys SET last_used_at = now() - interval '2 minutes' WHERE uid = $1`, [a.key.uid]);
    await call(a.key.apiKey);
    const third = (await dataSource.query(`SELECT last_used_at FROM core.api_keys WHERE uid = $1`, [a.key.uid]))[0].last_used_at;
    expect(third.getTime()).toBeGreaterThan(first.getTime() - 1);
    expect(Date.now() - third.getTime()).toBeLessThan(60_000);
  });

  it('lists keys by prefix without secrets', async () => {
    const a = await tenant('list');
    const listed = await keys.list(a.org.uid);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ uid: a.key.uid, prefix: a.key.prefix, name: 'list key', revoked_at: null });
    expect(JSON.stringify(listed)).not.toContain(a.key.apiKey);
  });
  describe('with the lookup cache on', () => {
    it('reuses an authenticated key until the ttl, and drops it at once when this instance revokes it', async () => {
      const a = await tenant('cache-revoke');
      const cached = new ApiKeyService(dataSource, { ttlMs: 60_000 });
      expect(await cached.authenticate(a.key.apiKey)).toEqual({ userUid: a.user.uid, keyOrganizationUid: a.org.uid, apiKeyUid: a.key.uid });
      // Revoked through another instance (another replica, the admin CLI): honoured within the ttl only.
      expect(await keys.revoke(a.org.uid, a.key.prefix)).toBe(true);
      expect(await cached.authenticate(a.key.apiKey)).not.toBeNull();
      expect(await keys.authenticate(a.key.apiKey)).toBeNull();

      const b = await tenant('cache-revoke-here');
      expect(await cached.authenticate(b.key.apiKey)).not.toBeNull();
      expect(await cached.revoke(b.org.uid, b.key.prefix)).toBe(true);
      expect(await cached.authenticate(b.key.apiKey)).toBeNull();
    });

    it('looks a key up again once the ttl passed', async () => {
      const a = await tenant('cache-expiry');
      const cached = new ApiKeyService(dataSource, { ttlMs: 50 });
      expect(await cached.authenticate(a.key.apiKey)).not.toBeNull();
      await keys.revoke(a.org.uid, a.key.prefix);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await cached.authenticate(a.key.apiKey)).toBeNull();
    });

    it('shares one lookup between concurrent requests with the same key', async () => {
      const a = await tenant('cache-concurrent');
      const cached = new ApiKeyService(dataSource, { ttlMs: 60_000 });
      const spy = jest.spyOn(dataSource, 'query');
      try {
        const principals = await Promise.all(Array.from({ length: 20 }, () => cached.authenticate(a.key.apiKey)));
        expect(new Set(principals).size).toBe(1);
        const lookups = spy.mock.calls.filter(([sql]) => /FROM core\.api_keys k/.test(String(sql)));
        expect(lookups).toHaveLength(1);
      } finally {
        spy.mockRestore();
      }
    });

    it('never caches a failed organization check, so a new membership works at once', async () => {
      const a = await tenant('cache-org-a');
      const b = await tenant('cache-org-b');
      const resolver = new OrganizationResolver(dataSource, { ttlMs: 60_000 });
      const principal = { userUid: a.user.uid, keyOrganizationUid: a.org.uid, apiKeyUid: a.key.uid };
      await expect(resolver.resolve(principal, b.org.uid)).rejects.toThrow(/not found/);
      await tenancy.addMembership(b.org.uid, a.user.uid);
      expect(await resolver.resolve(principal, b.org.uid)).toBe(b.org.uid);
      expect(await resolver.resolve(principal)).toBe(a.org.uid);
    });
  });
});
