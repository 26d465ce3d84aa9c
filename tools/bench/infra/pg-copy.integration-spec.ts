import { Client } from 'pg';
import { PostgresHandle, startPostgres } from '@hubsync/testing';
import { copyFrom, copyText } from './pg-copy';

describe('copyFrom: COPY … FROM STDIN through node-postgres', () => {
  let pg: PostgresHandle;
  let client: Client;

  beforeAll(async () => {
    pg = await startPostgres({ database: 'bench_pg_copy_spec' });
    client = new Client({ connectionString: pg.databaseUrl });
    await client.connect();
    await client.query(`CREATE TABLE t (id int PRIMARY KEY, doc jsonb, note text)`);
  });
  afterAll(async () => {
    await client?.end();
    await pg?.stop();
  });

  it('streams rows in chunks (split mid-row) and commits them, escapes intact', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => [String(i), JSON.stringify({ i, q: 'tab\there "quoted" back\\slash\nline' }), i % 2 ? null : 'x'].map(copyText).join('\t') + '\n');
    const text = lines.join('');
    const chunks = [text.slice(0, 1001), text.slice(1001, 70_000), text.slice(70_000)];
    const rows = await copyFrom(client, 'COPY t (id, doc, note) FROM STDIN', chunks);
    expect(rows).toBe(5000);
    const check = await client.query(`SELECT count(*)::int AS n, count(note)::int AS notes FROM t`);
    expect(check.rows[0]).toEqual({ n: 5000, notes: 2500 });
    const one = await client.query(`SELECT doc FROM t WHERE id = 7`);
    expect(one.rows[0].doc).toEqual({ i: 7, q: 'tab\there "quoted" back\\slash\nline' });
  });

  it('rejects with the server error and leaves the connection usable', async () => {
    await expect(copyFrom(client, 'COPY t (id, doc, note) FROM STDIN', ['1\t{}\t\\N\n'])).rejects.toThrow(/duplicate key/);
    const after = await client.query(`SELECT 1 AS ok`);
    expect(after.rows[0].ok).toBe(1);
  });
});
