/**
 * One-shot migration entry point: the `migrate` Docker target, the compose `migrate` service, the
 * k8s migration Job and `npm run db:migrate` all run this. It applies every pending migration
 * (idempotent and advisory-locked in runMigrations, so several starting at once is safe) and exits.
 */
import { runMigrations } from '@hubsync/persistence';

/** Accepts postgres:// and postgresql:// URLs only, so a typo fails here rather than deep in pg. */
export function readDatabaseUrl(env: NodeJS.ProcessEnv): string {
  const url = env['DATABASE_URL'];
  if (!url || url.trim() === '') {
    throw new Error('DATABASE_URL is required (postgres://user:password@host:5432/database)');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL must be a postgres:// URL');
  }
  if ((parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') || parsed.hostname === '') {
    throw new Error('DATABASE_URL must be a postgres:// URL');
  }
  return url;
}

/**
 * Runs the migrations for `env.DATABASE_URL`, reporting through `print`/`printError`; resolves to the
 * process exit code. Errors are reported by message only: never the URL, which holds the password.
 */
export async function runMigrateCli(
  env: NodeJS.ProcessEnv,
  print: (line: string) => void = (line) => console.log(line),
  printError: (line: string) => void = (line) => console.error(line),
): Promise<number> {
  try {
    const applied = await runMigrations(readDatabaseUrl(env));
    if (applied.length === 0) {
      print('migrate: database is up to date, nothing to apply');
    } else {
      print(`migrate: applied ${applied.length} migration(s)`);
      for (const name of applied) print(`  ${name}`);
    }
    return 0;
  } catch (error: unknown) {
    printError(`migrate: failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  void runMigrateCli(process.env).then((code) => {
    process.exitCode = code;
  });
}
