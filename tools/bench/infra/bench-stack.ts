import { Pool } from 'pg';
import { generateApiKey } from '@hubsync/api-keys';
import { SERVICE_APPS, ServiceApp, Stack, startStack, StartStackOptions } from '@hubsync/test-stack';

/**
 * The whole system for a benchmark: PostgreSQL, NATS, migrations, the sandbox and the four services,
 * each from its built JavaScript as its own process (libs/test-stack). When the services cannot start
 * (not built, or failing at boot) the infrastructure alone is started, so the parts of a scenario
 * that need no service (the naive / fetch-only / write-only baselines) still run, and the reason is
 * reported instead of any service figure.
 */
export interface BenchStack {
  stack: Stack;
  db: Pool;
  /** Null when every requested service is running. */
  servicesError: string | null;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  apps?: readonly ServiceApp[];
  env?: Record<string, string>;
  appEnv?: StartStackOptions['appEnv'];
  sandboxEnv?: Record<string, string>;
  echo?: boolean;
  /** Extra variables for every service and the sandbox (e.g. NODE_OPTIONS for --cpu-prof). */
  processEnv?: Record<string, string>;
  log: (line: string) => void;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const base: StartStackOptions = { sandbox: true, sandboxEnv: { LOG_LEVEL: 'warn', ...options.sandboxEnv, ...options.processEnv }, echo: options.echo, readyTimeoutMs: 60_000 };
  let stack: Stack;
  let servicesError: string | null = null;
  const apps = options.apps ?? SERVICE_APPS;
  try {
    stack = await startStack({ ...base, apps, env: { LOG_LEVEL: 'warn', ...options.env, ...options.processEnv }, appEnv: options.appEnv });
  } catch (error) {
    servicesError = firstLines((error as Error).message, 12);
    options.log(`services did not start — running without them:\n${servicesError}`);
    stack = await startStack({ ...base, apps: [] });
  }
  const db = new Pool({ connectionString: stack.databaseUrl, max: 4 });
  return {
    stack,
    db,
    servicesError,
    async stop() {
      await db.end().catch(() => undefined);
      await stack.stop();
    },
  };
}

export interface Tenant {
  organizationUid: string;
  userUid: string;
  apiKey: string;
}

/** An organization, its owner and an API key, written the way sync-api's own tests set tenants up. */
export async function createTenant(db: Pool, label: string): Promise<Tenant> {
  const org = await db.query<{ uid: string }>(`INSERT INTO core.organizations (name) VALUES ($1) RETURNING uid`, [`Bench ${label}`]);
  const user = await db.query<{ uid: string }>(`INSERT INTO core.users (email) VALUES ($1) RETURNING uid`, [`bench-${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`]);
  await db.query(`INSERT INTO core.memberships (organization_uid, user_uid, role, is_default) VALUES ($1, $2, 'owner', true)`, [org.rows[0].uid, user.rows[0].uid]);
  const key = generateApiKey();
  await db.query(`INSERT INTO core.api_keys (organization_uid, user_uid, name, prefix, key_hash) VALUES ($1, $2, 'bench', $3, $4)`, [org.rows[0].uid, user.rows[0].uid, key.prefix, key.keyHash]);
  return { organizationUid: org.rows[0].uid, userUid: user.rows[0].uid, apiKey: key.apiKey };
}

/** The stack's sandbox (bench stacks always start one). */
export function sandboxOf(stack: Stack): NonNullable<Stack['sandbox']> {
  if (!stack.sandbox) throw new Error('the bench stack has no sandbox');
  return stack.sandbox;
}

export function firstLines(text: string, n: number): string {
  return text.split('\n').slice(0, n).join('\n');
}

/** Sums a column of numbers across rows (pg returns bigint counts as strings). */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
