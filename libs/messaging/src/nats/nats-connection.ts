import { ConnectionOptions, NatsConnection, connect } from 'nats';

export interface NatsConnectOptions {
  natsUrl: string;
  /** Shows up in `nats-server` connection listings: `<service>-<role>`. */
  name: string;
  /** Give up on the first connect after this long (ms). */
  connectTimeoutMs?: number;
}

/**
 * Connects with reconnect-forever settings: a NATS restart must not kill a service, in-flight work
 * resumes when the server is back (JetStream state is on disk).
 */
export async function connectNats(options: NatsConnectOptions): Promise<NatsConnection> {
  const natsOptions: ConnectionOptions = {
    servers: options.natsUrl.split(',').map((s) => s.trim()),
    name: options.name,
    timeout: options.connectTimeoutMs ?? 10_000,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    pingInterval: 10_000,
  };
  try {
    return await connect(natsOptions);
  } catch (error) {
    throw new Error(`Cannot connect to NATS at ${options.natsUrl} (NATS_URL): ${(error as Error).message}`);
  }
}

/** Drains (finishes subscriptions, flushes publishes), but never waits longer than `timeoutMs`. */
export async function drainWithin(nc: NatsConnection, timeoutMs: number): Promise<void> {
  if (nc.isClosed()) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    const drained = nc.isDraining() ? nc.closed() : nc.drain();
    const outcome = await Promise.race([drained.then(() => 'drained' as const).catch(() => 'failed' as const), timeout]);
    if (outcome !== 'drained' && !nc.isClosed()) await nc.close();
  } finally {
    clearTimeout(timer);
  }
}
