import { runAdmin } from './admin-commands';

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
runAdmin(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env }).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
