/** Argument parsing of the admin CLI, kept apart so it is testable without a database. */
export type AdminCommandName = 'create-org' | 'create-user' | 'add-member' | 'create-key' | 'list-keys' | 'revoke-key' | 'help';

export interface AdminCommand {
  name: AdminCommandName;
  options: Record<string, string>;
  flags: Set<string>;
  databaseUrl?: string;
  migrate: boolean;
}

const REQUIRED: Record<Exclude<AdminCommandName, 'help'>, string[]> = {
  'create-org': ['name'],
  'create-user': ['email'],
  'add-member': ['org', 'user'],
  'create-key': ['org', 'user'],
  'list-keys': ['org'],
  'revoke-key': ['org', 'key'],
};
const OPTIONAL: Record<Exclude<AdminCommandName, 'help'>, string[]> = {
  'create-org': [],
  'create-user': ['name', 'org', 'role'],
  'add-member': ['role'],
  'create-key': ['name'],
  'list-keys': [],
  'revoke-key': [],
};
const FLAGS = ['default', 'migrate'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const USAGE = `Usage: npm run admin -- <command> [options]
  create-org  --name <name>
  create-user --email <email> [--name <name>] [--org <org uid> [--role owner|admin|member] [--default]]
  add-member  --org <org uid> --user <user uid|email> [--role owner|admin|member] [--default]
  create-key  --org <org uid> --user <user uid|email> [--name <key name>]
  list-keys   --org <org uid>
  revoke-key  --org <org uid> --key <key uid|prefix>
Common: --database-url <postgres://…> (default $DATABASE_URL), --migrate (apply pending migrations first)`;

export function parseAdminArgs(argv: string[]): AdminCommand {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') return { name: 'help', options: {}, flags: new Set(), migrate: false };
  if (!(name in REQUIRED)) throw new Error(`Unknown command "${name}"`);
  const command = name as Exclude<AdminCommandName, 'help'>;
  const options: Record<string, string> = {};
  const flags = new Set<string>();
  let databaseUrl: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}"`);
    const key = arg.slice(2);
    if (FLAGS.includes(key)) {
      flags.add(key);
      continue;
    }
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${key} needs a value`);
    i++;
    if (key === 'database-url') {
      databaseUrl = value;
      continue;
    }
    if (![...REQUIRED[command], ...OPTIONAL[command]].includes(key)) throw new Error(`--${key} is not an option of ${command}`);
    options[key] = value;
  }
  for (const key of REQUIRED[command]) if (!options[key]) throw new Error(`${command} needs --${key}`);
  if (options['org'] && !UUID.test(options['org'])) throw new Error('--org must be an organization uid');
  if (options['role'] && !['owner', 'admin', 'member'].includes(options['role'])) throw new Error('--role must be owner, admin or member');
  if (options['email'] && !/^[^@\s]+@[^@\s]+$/.test(options['email'])) throw new Error('--email must be an email address');
  return { name: command, options, flags, databaseUrl, migrate: flags.has('migrate') };
}
