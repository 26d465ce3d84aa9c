import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort, NatsHandle, PostgresHandle, SandboxHandle, startNats, startPostgres, startSandbox } from '@hubsync/testing';
import { runMigrations } from '@hubsync/persistence';
import { AppProcess } from './app-process';
import { LogBuffer } from './log-buffer';

export const SERVICE_APPS = ['auth-gateway', 'sync-api', 'fetcher', 'mapper'] as const;
export type ServiceApp = (typeof SERVICE_APPS)[number];

export type StackSandbox = SandboxHandle;

export interface StartStackOptions {
  /** Services to start (default: all four). */
  apps?: readonly ServiceApp[];
  /** Start apps/hubspot-sandbox and point HUBSPOT_*_BASE_URL at it. */
  sandbox?: boolean;
  /** Extra variables for every app (override the harness's). */
  env?: Record<string, string>;
  /** Extra variables per app (override `env`). */
  appEnv?: Partial<Record<ServiceApp, Record<string, string>>>;
  /** Variables for the sandbox child process. */
  sandboxEnv?: Record<string, string>;
  /** Database name (default: a unique one, so stacks never share data). */
  database?: string;
  /** Also print every app line to this process's stdout (or set STACK_ECHO=1). */
  echo?: boolean;
  readyTimeoutMs?: number;
}

export interface HubSpotAppCredentials {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface Stack {
  databaseUrl: string;
  natsUrl: string;
  sandbox?: StackSandbox;
  /** The OAuth app auth-gateway was started with (created in the sandbox when there is one). */
  hubspotApp: HubSpotAppCredentials;
  urls: Record<ServiceApp, string>;
  /** Current child process of each started app (replaced by restart). */
  readonly processes: Partial<Record<ServiceApp, ChildProcess>>;
  apps: Partial<Record<ServiceApp, AppProcess>>;
  /** Every line the apps printed, for assertions (e.g. no secret ever logged). */
  logs: LogBuffer;
  postgres: PostgresHandle;
  nats: NatsHandle;
  /** SIGKILL one app (no shutdown hooks). */
  kill(app: ServiceApp): Promise<void>;
  /** SIGTERM one app and wait for it to exit; resolves with its exit code. */
  stopApp(app: ServiceApp): Promise<number | null>;
  /** Stop (if running) and start again on the same port, optionally with changed variables. */
  restart(app: ServiceApp, env?: Record<string, string>): Promise<void>;
  /** Stops apps, sandbox, NATS and PostgreSQL. */
  stop(): Promise<void>;
}

let stackCounter = 0;

/**
 * The whole system for integration and end-to-end tests: PostgreSQL + NATS + migrations
 * (+ sandbox) + each service from its built JavaScript on free ports, each ready before this resolves.
 */
export async function startStack(options: StartStackOptions = {}): Promise<Stack> {
  const apps = options.apps ?? SERVICE_APPS;
  const logs = new LogBuffer();
  const echo = options.echo ?? process.env['STACK_ECHO'] === '1';
  const onLine = (app: string, line: string) => {
    logs.push(app, line);
    if (echo) process.stdout.write(`[${app}] ${line}\n`);
  };

  const database = options.database ?? `stack_${process.pid}_${++stackCounter}_${randomBytes(3).toString('hex')}`;
  const cleanups: Array<() => Promise<void>> = [];
  const started: AppProcess[] = [];
  const killAll = () => started.forEach((p) => p.killNow());
  process.once('exit', killAll);

  const teardown = async () => {
    process.removeListener('exit', killAll);
    await Promise.all(started.map((p) => p.stop()));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };

  try {
    const postgres = await startPostgres({ database });
    cleanups.push(() => postgres.stop());
    const nats = await startNats();
    cleanups.push(() => nats.stop());
    await runMigrations(postgres.databaseUrl);

    let sandbox: StackSandbox | undefined;
    if (options.sandbox) {
      const sb = await startSandbox({ env: options.sandboxEnv });
      sandbox = sb;
      cleanups.push(() => sb.stop());
    }

    const ports = Object.fromEntries(await Promise.all(apps.map(async (a) => [a, await freePort()] as const))) as Record<ServiceApp, number>;
    const authPort = ports['auth-gateway'] ?? (await freePort());
    const hubspotApp = await oauthApp(sandbox, options, `http://127.0.0.1:${authPort}/api/integrations/hubspot/callback`);

    const common: Record<string, string> = {
      DATABASE_URL: postgres.databaseUrl,
      NATS_URL: nats.natsUrl,
      LOG_LEVEL: 'info',
      // Without a sandbox, point HubSpot at a closed local port: tests never reach the real API.
      HUBSPOT_API_BASE_URL: sandbox?.url ?? 'http://127.0.0.1:9',
      HUBSPOT_AUTH_BASE_URL: sandbox?.url ?? 'http://127.0.0.1:9',
      HUBSPOT_CLIENT_ID: hubspotApp.clientId,
      HUBSPOT_CLIENT_SECRET: hubspotApp.clientSecret,
      HUBSPOT_REDIRECT_URI: hubspotApp.redirectUri,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };

    const processes = {} as Record<ServiceApp, AppProcess>;
    for (const app of apps) {
      processes[app] = new AppProcess({
        app,
        port: app === 'auth-gateway' ? authPort : ports[app],
        env: { ...common, ...options.env, ...options.appEnv?.[app] },
        onLine,
        readyTimeoutMs: options.readyTimeoutMs,
      });
    }
    await Promise.all(
      apps.map(async (app) => {
        started.push(processes[app]);
        try {
          await processes[app].start();
        } catch (error) {
          throw new Error(`${(error as Error).message}\n--- last lines of ${app} ---\n${logs.tail(app)}`);
        }
      }),
    );

    const get = (app: ServiceApp) => {
      const p = processes[app] as AppProcess | undefined;
      if (!p) throw new Error(`${app} is not part of this stack`);
      return p;
    };
    return {
      databaseUrl: postgres.databaseUrl,
      natsUrl: nats.natsUrl,
      sandbox,
      hubspotApp,
      urls: Object.fromEntries(apps.map((a) => [a, processes[a].url])) as Record<ServiceApp, string>,
      get processes() {
        return Object.fromEntries(apps.map((a) => [a, processes[a].process])) as Partial<Record<ServiceApp, ChildProcess>>;
      },
      apps: processes,
      logs,
      postgres,
      nats,
      kill: (app) => get(app).kill(),
      stopApp: (app) => get(app).stop(),
      async restart(app, env) {
        const old = get(app);
        await old.stop();
        const next = new AppProcess({ app, port: old.port, env: { ...old.env, ...env }, onLine, readyTimeoutMs: options.readyTimeoutMs });
        processes[app] = next;
        started.push(next);
        await next.start();
      },
      stop: teardown,
    };
  } catch (error) {
    await teardown();
    throw error;
  }
}

/** auth-gateway needs an OAuth app: given by the test, created in the sandbox, or an unusable placeholder. */
async function oauthApp(sandbox: StackSandbox | undefined, options: StartStackOptions, redirectUri: string): Promise<HubSpotAppCredentials> {
  const given = { ...options.env, ...options.appEnv?.['auth-gateway'] };
  if (given['HUBSPOT_CLIENT_ID'] && given['HUBSPOT_CLIENT_SECRET']) {
    return { clientId: given['HUBSPOT_CLIENT_ID'], clientSecret: given['HUBSPOT_CLIENT_SECRET'], redirectUri: given['HUBSPOT_REDIRECT_URI'] ?? redirectUri };
  }
  if (sandbox) {
    const app = await sandbox.admin.createApp({ appType: 'public', redirectUris: [redirectUri] });
    return { clientId: app.clientId, clientSecret: app.clientSecret, redirectUri };
  }
  return { clientId: 'stack-no-hubspot-app', clientSecret: randomBytes(16).toString('hex'), redirectUri };
}
