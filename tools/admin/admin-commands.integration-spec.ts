import { Client } from 'pg';
import { hashApiKey } from '@hubsync/api-keys';
import { PostgresHandle, startPostgres } from '@hubsync/testing';
import { runAdmin } from './admin-commands';

describe('admin CLI against a real PostgreSQL', () => {
  let pg: PostgresHandle;
  beforeAll(async () => {
    pg = await startPostgres({ database: 'admin_cli_spec' });
  });
  afterAll(async () => {
    await pg?.stop();
  });

  async function admin(...argv: string[]): Promise<{ code: number; json: any; stderr: string }> {
    let out = '';
    let err = '';
    const code = await runAdmin(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: { DATABASE_URL: pg.databaseUrl } });
    return { code, json: out ? JSON.parse(out) : undefined, stderr: err };
  }

  it('creates an organization, a user with a default membership and a key that is stored hashed', async () => {
    const org = await admin('create-org', '--name', 'Acme', '--migrate');
    expect(org.code).toBe(0);
    const user = await admin('create-user', '--email', 'ops@acme.test', '--org', org.json.uid, '--default');
    expect(user.code).toBe(0);
    const key = await admin('create-key', '--org', org.json.uid, '--user', 'ops@acme.test', '--name', 'ops');
    expect(key.code).toBe(0);
    expect(key.json.api_key).toMatch(/^hsk_[0-9a-f]{8}_/);

    const client = new Client({ connectionString: pg.databaseUrl });
    await client.connect();
    try {
      const rows = await client.query(`SELECT key_hash, prefix FROM core.api_keys WHERE uid = $1`, [key.json.uid]);
      expect(rows.rows[0]).toEqual({ key_hash: hashApiKey(key.json.api_key), prefix: key.json.prefix });
      const membership = await client.query(`SELECT role, is_default FROM core.memberships WHERE user_uid = $1`, [user.json.uid]);
      expect(membership.rows).toEqual([{ role: 'owner', is_default: true }]);
    } finally {
      await client.end();
    }

    const list = await admin('list-keys', '--org', org.json.uid);
    expect(list.json).toEqual([expect.objectContaining({ prefix: key.json.prefix, revoked_at: null })]);
    expect(JSON.stringify(list.json)).not.toContain(key.json.api_key);
    expect((await admin('revoke-key', '--org', org.json.uid, '--key', key.json.prefix)).json).toEqual({ revoked: true });
  });

  it('fails with a clear message and a non-zero code', async () => {
    expect((await admin('create-key', '--org', '00000000-0000-4000-8000-000000000000', '--user', 'nobody@x.test')).stderr).toMatch(/user nobody@x.test not found/);
    expect((await admin('create-org')).code).toBe(2);
    const dup = await admin('create-user', '--email', 'ops@acme.test');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
  });
});
