import 'reflect-metadata';
import { ApiKeyService, TenancyService } from '@hubsync/api-keys';
import { createDataSource, runMigrations } from '@hubsync/persistence';
import { parseAdminArgs, AdminCommand, USAGE } from './admin-args';

/**
 * Operator CLI for tenancy and API keys (`npm run admin -- <command> …`), against DATABASE_URL:
 *   create-org  --name <name>
 *   create-user --email <email> [--name <name>] [--org <uid> [--role owner|admin|member] [--default]]
 *   add-member  --org <uid> --user <uid|email> [--role …] [--default]
 *   create-key  --org <uid> --user <uid|email> [--name <key name>]
 *   list-keys   --org <uid>
 *   revoke-key  --org <uid> --key <uid|prefix>
 * Prints one JSON object; `--migrate` applies pending migrations first.
 */
async function main(argv: string[]): Promise<number> {
  let command: AdminCommand;
  try {
    command = parseAdminArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const databaseUrl = command.databaseUrl ?? process.env['DATABASE_URL'];
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    process.stderr.write('DATABASE_URL must be set to a postgres:// URL (or pass --database-url)\n');
    return 2;
  }
  if (command.migrate) await runMigrations(databaseUrl);
  const dataSource = createDataSource({ databaseUrl, poolSize: 2, applicationName: 'hubsync-admin' });
  await dataSource.initialize();
  try {
    const tenancy = new TenancyService(dataSource);
    const keys = new ApiKeyService(dataSource);
    const userUid = async (ref: string) => {
      const user = await tenancy.findUser(ref);
      if (!user) throw new Error(`user ${ref} not found`);
      return user.uid;
    };
    let output: unknown;
    switch (command.name) {
      case 'create-org':
        output = await tenancy.createOrganization(command.options['name']);
        break;
      case 'create-user': {
        const user = await tenancy.createUser(command.options['email'], command.options['name']);
        if (command.options['org']) {
          await tenancy.addMembership(command.options['org'], user.uid, { role: command.options['role'] ?? 'owner', makeDefault: command.flags.has('default') });
        }
        output = { ...user, organization_uid: command.options['org'] ?? null };
        break;
      }
      case 'add-member': {
        const uid = await userUid(command.options['user']);
        await tenancy.addMembership(command.options['org'], uid, { role: command.options['role'] ?? 'member', makeDefault: command.flags.has('default') });
        output = { organization_uid: command.options['org'], user_uid: uid };
        break;
      }
      case 'create-key': {
        const uid = await userUid(command.options['user']);
        const key = await keys.create({ organizationUid: command.options['org'], userUid: uid, name: command.options['name'] ?? 'admin-cli' });
        output = { uid: key.uid, prefix: key.prefix, api_key: key.apiKey, organization_uid: command.options['org'], user_uid: uid };
        break;
      }
      case 'list-keys':
        output = await keys.list(command.options['org']);
        break;
      case 'revoke-key':
        output = { revoked: await keys.revoke(command.options['org'], command.options['key']) };
        break;
    }
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`admin ${command.name} failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
