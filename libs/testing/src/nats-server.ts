import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface NatsHandle {
  natsUrl: string;
  stop(): Promise<void>;
  /** Stops and starts nats-server on the same port and store dir (JetStream state survives). */
  restart(): Promise<void>;
  /** SIGKILLs nats-server (no clean shutdown), then starts it again. */
  kill(): Promise<void>;
}

export const NATS_INSTALL_HINT =
  'nats-server was not found on PATH. Install it: Debian/Ubuntu `apt-get install -y nats-server`, ' +
  'macOS `brew install nats-server`, or run `docker compose up nats` and set NATS_URL=nats://127.0.0.1:4222.';

export function natsServerAvailable(): boolean {
  return spawnSync('nats-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** NATS with JetStream: `NATS_URL` if set, else `nats-server -js` from PATH on a free 127.0.0.1 port. */
export async function startNats(
  options: {
    storeDir?: string;
    port?: number;
    forceLocal?: boolean;
    /** Own process group: a terminal's Ctrl-C reaches only the launcher, which stops NATS after the services. */
    ownProcessGroup?: boolean;
  } = {},
): Promise<NatsHandle> {
  const external = process.env['NATS_URL'];
  if (external && !options.forceLocal) {
    return { natsUrl: external, stop: async () => undefined, restart: async () => undefined, kill: async () => undefined };
  }
  if (!natsServerAvailable()) throw new Error(NATS_INSTALL_HINT);
  const temp = !options.storeDir;
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), 'hubsync-nats-'));
  const port = options.port ?? (await freePort());
  const natsUrl = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], { stdio: 'ignore', detached: options.ownProcessGroup ?? false });
    await waitFor(`nats-server on ${natsUrl}`, async () => {
      const nc = await connect({ servers: natsUrl, reconnect: false, timeout: 500 });
      // JetStream is ready once its account info answers.
      await (await nc.jetstreamManager()).getAccountInfo();
      await nc.close();
      return true;
    }, 15_000, 100);
  };
  const stopChild = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  };

  await start();
  return {
    natsUrl,
    async stop() {
      await stopChild('SIGTERM');
      if (temp) rmSync(storeDir, { recursive: true, force: true });
    },
    async restart() {
      await stopChild('SIGTERM');
      await start();
    },
    async kill() {
      await stopChild('SIGKILL');
      await start();
    },
  };
}
