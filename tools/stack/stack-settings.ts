/** Local stack ports and paths; every port can be overridden by an environment variable. */
export interface StackSettings {
  ports: {
    'sync-api': number;
    'auth-gateway': number;
    fetcher: number;
    mapper: number;
    'hubspot-sandbox': number;
    /** Embedded PostgreSQL (ignored when DATABASE_URL is set). */
    postgres: number;
    /** nats-server (ignored when NATS_URL is set). */
    nats: number;
  };
  demo: boolean;
  rawLogs: boolean;
}

export const PORT_VARIABLES = {
  'sync-api': ['SYNC_API_PORT', 3000],
  'auth-gateway': ['AUTH_GATEWAY_PORT', 3001],
  fetcher: ['FETCHER_PORT', 3002],
  mapper: ['MAPPER_PORT', 3003],
  'hubspot-sandbox': ['SANDBOX_PORT', 4010],
  postgres: ['STACK_PG_PORT', 5433],
  nats: ['STACK_NATS_PORT', 4222],
} as const;

export function readSettings(argv: string[], env: NodeJS.ProcessEnv): StackSettings {
  const unknown = argv.filter((a) => !['--no-demo', '--raw-logs'].includes(a));
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (accepted: --no-demo, --raw-logs)`);
  const ports = {} as Record<keyof typeof PORT_VARIABLES, number>;
  for (const [name, [variable, fallback]] of Object.entries(PORT_VARIABLES) as Array<[keyof typeof PORT_VARIABLES, readonly [string, number]]>) {
    const raw = env[variable];
    const port = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${variable} must be a port number (1-65535), got "${raw}"`);
    ports[name] = port;
  }
  return { ports, demo: !argv.includes('--no-demo'), rawLogs: argv.includes('--raw-logs') || env['STACK_RAW_LOGS'] === '1' };
}
