import { readDatabaseUrl, runMigrateCli } from './migrate';

describe('migrate CLI', () => {
  it('accepts postgres:// and postgresql:// URLs', () => {
    expect(readDatabaseUrl({ DATABASE_URL: 'postgres://u:p@db:5432/hubsync' })).toBe('postgres://u:p@db:5432/hubsync');
    expect(readDatabaseUrl({ DATABASE_URL: 'postgresql://u:p@db/hubsync' })).toBe('postgresql://u:p@db/hubsync');
  });

  it.each([
    [{}, /DATABASE_URL is required/],
    [{ DATABASE_URL: '  ' }, /DATABASE_URL is required/],
    [{ DATABASE_URL: 'mysql://u:p@db/hubsync' }, /DATABASE_URL must be a postgres:\/\/ URL/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL must be a postgres:\/\/ URL/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => readDatabaseUrl(env)).toThrow(message);
  });

  it('exits 1 with the reason and without echoing the URL when the variable is bad', async () => {
    const errors: string[] = [];
    const code = await runMigrateCli({ DATABASE_URL: 'mysql://user:s3cret@db/x' }, () => undefined, (line) => errors.push(line));
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(errors.join('\n')).not.toContain('s3cret');
  });
});
