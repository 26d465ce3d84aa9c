import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';
import { postgresBinDir, postgresRunAs } from './postgres-binaries';
import { waitFor } from './wait-for';

export interface PostgresHandle {
  databaseUrl: string;
  /** Stops the server (embedded) and removes its temp data dir; a no-op for an external DATABASE_URL. */
  stop(): Promise<void>;
  /** Stops and starts the embedded server on the same data dir and port (chaos runs). */
  restart(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Reuse this data dir (kept between runs) instead of a temp one. */
  dataDir?: string;
  port?: number;
  /** Ignore `DATABASE_URL` and always start an embedded server. */
  forceEmbedded?: boolean;
  /** Database name to create (a fresh database per test file keeps runs independent). */
  database?: string;
  /**
   * Run the server in its own process group, so a terminal's Ctrl-C reaches only the launcher, which
   * stops the services first and the server last (the local stack; tests keep the default).
   */
  ownProcessGroup?: boolean;
}

/**
 * PostgreSQL for tests and the local stack: `DATABASE_URL` if set (a fresh database is created in
 * it when `database` is given), else an embedded server on a free 127.0.0.1 port.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const external = process.env['DATABASE_URL'];
  if (external && !options.forceEmbedded) {
    const database = options.database;
    if (!database) return { databaseUrl: external, stop: async () => undefined, restart: async () => undefined };
    await createDatabase(external, database);
    const url = new URL(external);
    url.pathname = `/${database}`;
    return { databaseUrl: url.toString(), stop: async () => dropDatabase(external, database), restart: async () => undefined };
  }
  const temp = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hubsync-pg-'));
  const port = options.port ?? (await freePort());
  const server = new PostgresProcess(dataDir, port, options.ownProcessGroup ?? false);
  await server.start();
  const database = options.database ?? 'hubsync';
  const adminUrl = `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/postgres`;
  await createDatabase(adminUrl, database);
  return {
    databaseUrl: `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${database}`,
    async stop() {
      await server.stop();
      if (temp) rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await server.stop();
      await server.start();
    },
  };
}

const PG_USER = 'hubsync';
const PG_PASSWORD = 'hubsync';

/** One PostgreSQL server process on a data dir, driven through the platform package's binaries. */
class PostgresProcess {
  private child?: ChildProcess;
  private readonly bin = postgresBinDir();
  private readonly runAs = postgresRunAs();

  constructor(
    private readonly dataDir: string,
    private readonly port: number,
    private readonly ownProcessGroup: boolean,
  ) {}

  async start(): Promise<void> {
    if (!existsSync(join(this.dataDir, 'PG_VERSION'))) this.initdb();
    this.child = spawn(
      join(this.bin, 'postgres'),
      ['-D', this.dataDir, '-p', String(this.port), '-k', this.dataDir, '-c', 'listen_addresses=127.0.0.1',
        '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      { ...this.runAs, stdio: ['ignore', 'ignore', 'pipe'], detached: this.ownProcessGroup },
    );
    let stderr = '';
    this.child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const url = `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${this.port}/postgres`;
    await waitFor(`PostgreSQL on port ${this.port}`, async () => {
      if (this.child?.exitCode !== null) throw new Error(`postgres exited: ${stderr}`);
      const c = new Client({ connectionString: url });
      await c.connect();
      await c.end();
      return true;
    }, 30_000, 100);
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGINT'); // fast shutdown
    });
  }

  private initdb(): void {
    if (this.runAs.uid !== undefined) chownSync(this.dataDir, this.runAs.uid, this.runAs.gid ?? this.runAs.uid);
    const pwfile = join(this.dataDir, '..', `.pw-${process.pid}-${this.port}`);
    writeFileSync(pwfile, PG_PASSWORD, { mode: 0o644 });
    try {
      execFileSync(join(this.bin, 'initdb'), ['-D', this.dataDir, '-U', PG_USER, '--pwfile', pwfile, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-sync'], {
        ...this.runAs,
        stdio: 'pipe',
      });
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
}

async function createDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
