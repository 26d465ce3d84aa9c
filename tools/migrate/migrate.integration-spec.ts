import { Client } from 'pg';
import { PostgresHandle, startPostgres } from '@hubsync/testing';
import { runMigrateCli } from './migrate';

describe('migrate CLI against PostgreSQL', () => {
  let pg: PostgresHandle;

  beforeAll(async () => {
    pg = await startPostgres({ database: 'tools_migrate_cli' });
  });

  afterAll(async () => {
    await pg?.stop();
  });

  it('applies every migration once, then reports the database up to date', async () => {
    const first: string[] = [];
    expect(await runMigrateCli({ DATABASE_URL: pg.databaseUrl }, (line) => first.push(line))).toBe(0);
    expect(first[0]).toMatch(/^migrate: applied \d+ migration\(s\)$/);
    expect(first.some((line) => /CreateCoreSchema\d+/.test(line))).toBe(true);

    const client = new Client({ connectionString: pg.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT to_regclass('core.organizations') AS t");
      expect(rows[0].t).toBe('core.organizations');
    } finally {
      await client.end();
    }

    const second: string[] = [];
    expect(await runMigrateCli({ DATABASE_URL: pg.databaseUrl }, (line) => second.push(line))).toBe(0);
    expect(second).toEqual(['migrate: database is up to date, nothing to apply']);
  });

  it('exits 1 naming the failure when the database cannot be reached', async () => {
    const errors: string[] = [];
    const url = new URL(pg.databaseUrl);
    url.pathname = '/database_that_does_not_exist';
    expect(await runMigrateCli({ DATABASE_URL: url.toString() }, () => undefined, (line) => errors.push(line))).toBe(1);
    expect(errors[0]).toMatch(/^migrate: failed: .*database_that_does_not_exist/);
    expect(errors[0]).not.toContain(url.toString());
  });
});
