import 'reflect-metadata';
import { ApiKeyService, TenancyService } from '@hubsync/api-keys';
import { createDataSource, runMigrations } from '@hubsync/persistence';
import { parseAdminArgs, AdminCommand, USAGE } from './admin-args';

export interface AdminIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Runs one admin command; returns the process exit code (0 ok, 1 failed, 2 usage). */
export async function runAdmin(argv: string[], io: AdminIo): Promise<number> {
  let command: AdminCommand;
  try {
    command = parseAdminArgs(argv);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.name === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const databaseUrl = command.databaseUrl ?? io.env['DATABASE_URL'];
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    io.stderr('DATABASE_URL must be set to a postgres:// URL (or pass --database-url)\n');
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
    io.stdout(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  } catch (error) {
    io.stderr(`admin ${command.name} failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await dataSource.destroy();
  }
}
