import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { NATS_INSTALL_HINT, natsServerAvailable, SandboxAdminClient, startNats, startPostgres } from '@hubsync/testing';
import { AppProcess, buildHint, builtAppEntry, SERVICE_APPS, ServiceApp, workspaceRoot } from '@hubsync/test-stack';
import { runMigrations } from '@hubsync/persistence';
import { runDemoIfBuilt } from './demo-hook';
import { LocalStack, mergeStackFile, StackFile, writeStackFile } from './local-stack';
import { LogPrinter } from './log-printer';
import { readSettings, StackSettings } from './stack-settings';

/**
 * `npm start`: PostgreSQL (data kept in .local/pg), NATS (.local/nats), migrations, the sandbox and
 * the four services as child processes with prefixed logs; waits for every /health/ready, writes
 * .local/stack.json, runs the demo; Ctrl-C / SIGTERM stops everything.
 */
const SANDBOX = 'hubspot-sandbox';

class Launcher {
  private readonly root = workspaceRoot();
  private readonly localDir = join(this.root, '.local');
  private readonly stackFilePath = join(this.localDir, 'stack.json');
  private readonly printer: LogPrinter;
  /** Stopped in reverse order on shutdown. */
  private readonly resources: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  private readonly processes: AppProcess[] = [];
  private stopping = false;

  constructor(private readonly settings: StackSettings) {
    this.printer = new LogPrinter([...SERVICE_APPS, SANDBOX, 'stack'], settings.rawLogs);
  }

  log(message: string): void {
    this.printer.info(message);
  }

  async run(): Promise<void> {
    const env = process.env;
    if (!env['NATS_URL'] && !natsServerAvailable()) {
      process.stderr.write(`${NATS_INSTALL_HINT}\n`);
      process.exit(1);
    }
    for (const app of [...SERVICE_APPS, SANDBOX]) {
      if (!existsSync(builtAppEntry(app))) throw new Error(`${app} is not built (${buildHint(app)}); \`npm start\` builds everything first`);
    }
    await this.checkPortsFree(env);
    mkdirSync(join(this.localDir, 'pg'), { recursive: true });
    mkdirSync(join(this.localDir, 'nats'), { recursive: true });
    const { ports } = this.settings;

    this.log(env['DATABASE_URL'] ? 'PostgreSQL: using DATABASE_URL' : `PostgreSQL: embedded, data in .local/pg, port ${ports.postgres}`);
    const postgres = await startPostgres(
      env['DATABASE_URL'] ? {} : { dataDir: join(this.localDir, 'pg'), port: ports.postgres, forceEmbedded: true, database: 'hubsync', ownProcessGroup: true },
    );
    await this.track('postgres', () => postgres.stop());

    this.log(env['NATS_URL'] ? 'NATS: using NATS_URL' : `NATS: nats-server -js, store in .local/nats, port ${ports.nats}`);
    // Both servers get their own process group: Ctrl-C must not stop them before the services drain.
    const nats = await startNats({ storeDir: join(this.localDir, 'nats'), port: ports.nats, ownProcessGroup: true });
    await this.track('nats', () => nats.stop());

    const applied = await runMigrations(postgres.databaseUrl);
    this.log(applied.length > 0 ? `migrations applied: ${applied.join(', ')}` : 'migrations: database is up to date');

    const sandboxAdminToken = randomBytes(24).toString('hex');
    const sandbox = await this.startApp(SANDBOX, ports[SANDBOX], {
      // SANDBOX_* knobs from the caller's environment (e.g. SANDBOX_DEMO_PORTAL) reach the sandbox.
      ...Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('SANDBOX_') && e[1] !== undefined)),
      LOG_LEVEL: env['LOG_LEVEL'] ?? 'info',
      SANDBOX_ADMIN_TOKEN: sandboxAdminToken,
    });

    const redirectUri = env['HUBSPOT_REDIRECT_URI'] ?? `http://127.0.0.1:${ports['auth-gateway']}/api/integrations/hubspot/callback`;
    const hubspotApp = await this.oauthApp(sandbox.url, sandboxAdminToken, redirectUri);
    const serviceEnv: Record<string, string> = {
      ...passThroughEnv(env),
      DATABASE_URL: postgres.databaseUrl,
      NATS_URL: nats.natsUrl,
      LOG_LEVEL: env['LOG_LEVEL'] ?? 'info',
      HUBSPOT_API_BASE_URL: env['HUBSPOT_API_BASE_URL'] ?? sandbox.url,
      HUBSPOT_AUTH_BASE_URL: env['HUBSPOT_AUTH_BASE_URL'] ?? sandbox.url,
      HUBSPOT_CLIENT_ID: hubspotApp.clientId,
      HUBSPOT_CLIENT_SECRET: hubspotApp.clientSecret,
      HUBSPOT_REDIRECT_URI: redirectUri,
      TOKEN_ENCRYPTION_KEY: env['TOKEN_ENCRYPTION_KEY'] ?? this.persistentEncryptionKey(),
    };
    const services = await Promise.all(SERVICE_APPS.map((app) => this.startApp(app, ports[app], serviceEnv)));
    const url = (app: ServiceApp) => services[SERVICE_APPS.indexOf(app)].url;

    const file: StackFile = {
      syncApiUrl: url('sync-api'),
      authGatewayUrl: url('auth-gateway'),
      sandboxUrl: sandbox.url,
      natsUrl: nats.natsUrl,
      databaseUrl: postgres.databaseUrl,
      fetcherUrl: url('fetcher'),
      mapperUrl: url('mapper'),
      sandboxAdminToken,
    };
    writeStackFile(this.stackFilePath, file);
    this.printUrls(file);

    if (this.settings.demo) {
      const stack: LocalStack = {
        file,
        stackFilePath: this.stackFilePath,
        hubspotApp,
        log: (m) => this.log(m),
        updateStackFile: (patch) => mergeStackFile(this.stackFilePath, patch),
      };
      await runDemoIfBuilt(stack);
    }
    this.log('stack is running; Ctrl-C stops everything');
  }

  async shutdown(reason: string, exitCode: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log(`${reason}: stopping everything`);
    // Services first (they drain NATS and close DB connections), then sandbox, NATS, PostgreSQL.
    const services = this.processes.filter((p) => p.name !== SANDBOX);
    await Promise.all(services.map((p) => p.stop()));
    for (const resource of [...this.resources].reverse()) {
      await resource.stop().catch((error: unknown) => this.log(`stopping ${resource.name} failed: ${(error as Error).message}`));
    }
    this.log('stopped');
    process.exit(exitCode);
  }

  /** Second Ctrl-C: no more waiting for graceful shutdowns. */
  killAppsNow(): void {
    for (const p of this.processes) p.killNow();
  }

  /** Registers something to stop; if shutdown already began meanwhile, stops it right away. */
  private async track(name: string, stop: () => Promise<unknown>): Promise<void> {
    this.resources.push({ name, stop });
    if (this.stopping) await stop();
  }

  private async startApp(app: string, port: number, env: Record<string, string>): Promise<AppProcess> {
    const proc = new AppProcess({
      app,
      port,
      env,
      onLine: (name, line) => this.printer.line(name, line),
      readyTimeoutMs: 90_000,
    });
    this.processes.push(proc);
    await this.track(app, () => proc.stop());
    await proc.start();
    void proc.waitExit().then((code) => {
      if (!this.stopping) this.log(`${app} exited unexpectedly (code ${code}); the rest keeps running, Ctrl-C stops everything`);
    });
    return proc;
  }

  /**
   * auth-gateway needs an OAuth app. HUBSPOT_CLIENT_ID/SECRET from the environment win; otherwise a
   * public app is created in the sandbox through @hubsync/testing's admin client.
   */
  private async oauthApp(sandboxUrl: string, adminToken: string, redirectUri: string) {
    const env = process.env;
    if (env['HUBSPOT_CLIENT_ID'] && env['HUBSPOT_CLIENT_SECRET']) {
      return { clientId: env['HUBSPOT_CLIENT_ID'], clientSecret: env['HUBSPOT_CLIENT_SECRET'], redirectUri };
    }
    const app = await new SandboxAdminClient(sandboxUrl, adminToken).createApp({ appType: 'public', redirectUris: [redirectUri] });
    this.log(`created public OAuth app ${app.clientId} in the sandbox`);
    return { clientId: String(app.clientId), clientSecret: String(app.clientSecret), redirectUri };
  }

  /** Tokens stored in .local/pg are encrypted with this key, so it must survive restarts too. */
  private persistentEncryptionKey(): string {
    const path = join(this.localDir, 'token-encryption.key');
    if (existsSync(path)) return readFileSync(path, 'utf8').trim();
    const key = randomBytes(32).toString('base64');
    writeFileSync(path, `${key}\n`, { mode: 0o600 });
    return key;
  }

  private async checkPortsFree(env: NodeJS.ProcessEnv): Promise<void> {
    const { ports } = this.settings;
    const wanted: Array<[string, number, string]> = [
      ['sync-api', ports['sync-api'], 'SYNC_API_PORT'],
      ['auth-gateway', ports['auth-gateway'], 'AUTH_GATEWAY_PORT'],
      ['fetcher', ports.fetcher, 'FETCHER_PORT'],
      ['mapper', ports.mapper, 'MAPPER_PORT'],
      [SANDBOX, ports[SANDBOX], 'SANDBOX_PORT'],
    ];
    if (!env['DATABASE_URL']) wanted.push(['PostgreSQL', ports.postgres, 'STACK_PG_PORT']);
    if (!env['NATS_URL']) wanted.push(['NATS', ports.nats, 'STACK_NATS_PORT']);
    const busy: string[] = [];
    for (const [what, port, variable] of wanted) if (!(await portFree(port))) busy.push(`${port} (${what}; set ${variable} to use another)`);
    if (busy.length > 0) throw new Error(`port(s) already in use: ${busy.join(', ')}`);
  }

  private printUrls(file: StackFile): void {
    const masked = file.databaseUrl.replace(/(\/\/[^:/@]+:)[^@/]+@/, '$1***@');
    const rows: Array<[string, string]> = [
      ['sync-api', file.syncApiUrl],
      ['auth-gateway', file.authGatewayUrl],
      ['fetcher', file.fetcherUrl],
      ['mapper', file.mapperUrl],
      [SANDBOX, file.sandboxUrl],
      ['PostgreSQL', masked],
      ['NATS', file.natsUrl],
      ['stack file', relative(process.cwd(), this.stackFilePath) || this.stackFilePath],
    ];
    this.log('every service is ready:');
    for (const [name, value] of rows) this.log(`  ${name.padEnd(16)} ${value}`);
  }
}

/** The caller's environment minus what each app gets individually or must never get. */
function passThroughEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    // Services never hold the sandbox admin token (DESIGN §5); sandbox knobs are not theirs either.
    if (value === undefined || key === 'PORT' || key.startsWith('SANDBOX_') || key.startsWith('npm_')) continue;
    out[key] = value;
  }
  return out;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  let settings: StackSettings;
  try {
    settings = readSettings(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const launcher = new Launcher(settings);
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // One Ctrl-C reaches us twice under `npm start` (from the terminal's process group and relayed by
    // npm), so only a signal more than a second after the first means "stop waiting, kill now".
    if (firstSignalAt === 0) firstSignalAt = Date.now();
    else if (Date.now() - firstSignalAt < 1_000) return;
    else {
      launcher.log(`${signal} again: killing the apps now`);
      launcher.killAppsNow();
      process.exit(130);
    }
    void launcher.shutdown(signal, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await launcher.run();
  } catch (error) {
    launcher.log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    await launcher.shutdown('startup failed', 1);
  }
}

void main();
