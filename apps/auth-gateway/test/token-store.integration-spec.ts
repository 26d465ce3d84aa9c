import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@hubsync/persistence';
import { PostgresHandle, startPostgres } from '@hubsync/testing';
import { ConnectionsRepository } from '../src/connections/connections.repository';
import { keyIdOf, TokenCipher } from '../src/crypto/token-cipher';
import { KeyRotationService } from '../src/tokens/key-rotation.service';
import { TokenStore } from '../src/tokens/token-store';

describe('TokenStore against a real PostgreSQL: encryption at rest and key rotation', () => {
  let pg: PostgresHandle;
  let dataSource: DataSource;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  let organizationUid: string;
  let userUid: string;

  beforeAll(async () => {
    pg = await startPostgres({ database: 'auth_gateway_token_store_spec' });
    await runMigrations(pg.databaseUrl);
    dataSource = createDataSource({ databaseUrl: pg.databaseUrl, poolSize: 4 });
    await dataSource.initialize();
    organizationUid = (await dataSource.query(`INSERT INTO core.organizations (name) VALUES ('Rotation') RETURNING uid`))[0].uid;
    userUid = (await dataSource.query(`INSERT INTO core.users (email) VALUES ('rotation@example.com') RETURNING uid`))[0].uid;
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await pg?.stop();
  });

  async function connection(portalId: string, store: TokenStore, tokens: { accessToken: string; refreshToken: string | null }) {
    return dataSource.transaction(async (m) => {
      const row = await new ConnectionsRepository(dataSource).upsert(m, {
        organizationUid,
        userUid,
        portalId,
        authType: 'oauth',
        scopes: ['oauth'],
        requiredScopes: [],
        missingScopes: [],
        objectTypes: ['contacts'],
        label: null,
        hubDomain: null,
        appId: null,
      });
      await store.save(m, row.id, organizationUid, { ...tokens, expiresAt: new Date(Date.now() + 1_800_000), lifetimeSeconds: 1800 }, false);
      return row.id;
    });
  }

  it('stores only ciphertext with the key id, and rotates old rows to the current key', async () => {
    const before = new TokenStore(dataSource, new TokenCipher(oldKey));
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await connection(`9000${i}`, before, { accessToken: `access-token-${i}-${'x'.repeat(40)}`, refreshToken: `refresh-token-${i}` }));

    const raw = await dataSource.query(`SELECT key_id, access_token_ciphertext FROM integration.tokens WHERE connection_id = $1`, [ids[0]]);
    expect(raw[0].key_id).toBe(keyIdOf(oldKey));
    expect(Buffer.from(raw[0].access_token_ciphertext).toString('latin1')).not.toContain('access-token-0');

    // The key rotated: the new key encrypts, the old one is still accepted for decryption.
    const after = new TokenStore(dataSource, new TokenCipher(newKey, [oldKey]));
    expect((await after.read(ids[1]))?.refreshToken).toBe('refresh-token-1');
    const rotated = await new KeyRotationService(after).rotateAll();
    expect(rotated).toBe(3);
    const keyIds = await dataSource.query(`SELECT DISTINCT key_id FROM integration.tokens`);
    expect(keyIds).toEqual([{ key_id: keyIdOf(newKey) }]);

    // Only the new key is needed from now on.
    const newOnly = new TokenStore(dataSource, new TokenCipher(newKey));
    for (let i = 0; i < 3; i++) {
      expect(await newOnly.read(ids[i])).toMatchObject({ accessToken: `access-token-${i}-${'x'.repeat(40)}`, refreshToken: `refresh-token-${i}` });
    }
    await expect(new TokenStore(dataSource, new TokenCipher(oldKey)).read(ids[0])).rejects.toThrow(/No configured encryption key/);
  });

  it('refuses a ciphertext copied into another connection’s row', async () => {
    const store = new TokenStore(dataSource, new TokenCipher(newKey));
    const a = await connection('91000', store, { accessToken: 'token-of-a-'.padEnd(60, 'a'), refreshToken: null });
    const b = await connection('91001', store, { accessToken: 'token-of-b-'.padEnd(60, 'b'), refreshToken: null });
    await dataSource.query(
      `UPDATE integration.tokens SET access_token_ciphertext = (SELECT access_token_ciphertext FROM integration.tokens WHERE connection_id = $1) WHERE connection_id = $2`,
      [a, b],
    );
    await expect(store.read(b)).rejects.toThrow(/failed authentication/);
  });
});
