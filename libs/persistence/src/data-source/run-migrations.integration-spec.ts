import { Client } from 'pg';
import { startPostgres, PostgresHandle } from '@hubsync/testing';
import { runMigrations } from './run-migrations';

describe('runMigrations against a real PostgreSQL', () => {
  let pg: PostgresHandle;
  beforeAll(async () => {
    pg = await startPostgres({ database: 'migrations_spec' });
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('creates the core and sync schemas once and is idempotent', async () => {
    const first = await runMigrations(pg.databaseUrl);
    expect(first).toEqual(expect.arrayContaining(['CreateCoreSchema1763830000000', 'CreateSyncSchema1763830100000']));
    const second = await runMigrations(pg.databaseUrl);
    expect(second).toEqual([]);

    const client = new Client({ connectionString: pg.databaseUrl });
    await client.connect();
    try {
      const tables = await client.query(
        `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema IN ('core','sync') ORDER BY 1`,
      );
      expect(tables.rows.map((r) => r.t)).toEqual(
        expect.arrayContaining(['core.organizations', 'core.users', 'core.memberships', 'core.api_keys', 'sync.jobs', 'sync.object_runs']),
      );
    } finally {
      await client.end();
    }
  });

  it('allows only one default organization per user', async () => {
    const client = new Client({ connectionString: pg.databaseUrl });
    await client.connect();
    try {
      const user = await client.query(`INSERT INTO core.users (email) VALUES ('a@example.com') RETURNING uid`);
      const orgs = await client.query(`INSERT INTO core.organizations (name) VALUES ('A'), ('B') RETURNING uid`);
      await client.query(`INSERT INTO core.memberships (organization_uid, user_uid, is_default) VALUES ($1, $2, true)`, [orgs.rows[0].uid, user.rows[0].uid]);
      await expect(
        client.query(`INSERT INTO core.memberships (organization_uid, user_uid, is_default) VALUES ($1, $2, true)`, [orgs.rows[1].uid, user.rows[0].uid]),
      ).rejects.toThrow(/memberships_one_default/);
    } finally {
      await client.end();
    }
  });
});
