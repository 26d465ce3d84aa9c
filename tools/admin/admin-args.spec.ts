import { parseAdminArgs } from './admin-args';

const ORG = '0a1b2c3d-0000-4000-8000-000000000000';

describe('admin CLI arguments', () => {
  it('parses each command with its options and flags', () => {
    expect(parseAdminArgs(['create-org', '--name', 'Acme'])).toMatchObject({ name: 'create-org', options: { name: 'Acme' } });
    const user = parseAdminArgs(['create-user', '--email', 'a@b.c', '--org', ORG, '--role', 'admin', '--default']);
    expect(user).toMatchObject({ name: 'create-user', options: { email: 'a@b.c', org: ORG, role: 'admin' } });
    expect(user.flags.has('default')).toBe(true);
    expect(parseAdminArgs(['create-key', '--org', ORG, '--user', 'a@b.c', '--database-url', 'postgres://x/y', '--migrate'])).toMatchObject({
      name: 'create-key',
      databaseUrl: 'postgres://x/y',
      migrate: true,
    });
    expect(parseAdminArgs([]).name).toBe('help');
  });

  it.each([
    [['nope'], /Unknown command/],
    [['create-org'], /needs --name/],
    [['create-key', '--org', ORG], /needs --user/],
    [['create-key', '--org', 'not-a-uuid', '--user', 'x'], /--org must be/],
    [['create-org', '--name'], /needs a value/],
    [['create-org', '--name', 'A', '--role', 'owner'], /not an option/],
    [['create-user', '--email', 'nope'], /--email/],
    [['add-member', '--org', ORG, '--user', 'u', '--role', 'god'], /--role/],
  ])('rejects %p', (argv, message) => {
    expect(() => parseAdminArgs(argv as string[])).toThrow(message);
  });
});
