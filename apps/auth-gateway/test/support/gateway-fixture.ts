import { randomBytes } from 'node:crypto';
import { connect, NatsConnection } from 'nats';
import { Pool } from 'pg';
import { generateApiKey } from '@hubsync/api-keys';
import { NatsRequester } from '@hubsync/messaging';
import { runMigrations } from '@hubsync/persistence';
import { AppProcess, LogBuffer } from '@hubsync/test-stack';
import { freePort, NatsHandle, PostgresHandle, SandboxHandle, startNats, startPostgres, startSandbox } from '@hubsync/testing';


export interface Tenant {
  organizationUid: string;
  userUid: string;
  apiKey: string;
}

export interface GatewayFixture {
  databaseUrl: string;
  natsUrl: string;
  sandbox: SandboxHandle;
  /** Portal OAuth installs are granted to (knob `oauthPortalId`). */
  portalId: number;
  clientId: string;
  gateways: AppProcess[];
  /** URL of the first gateway: the one the redirect URI points at. */
  url: string;
  logs: LogBuffer;
  db: Pool;
  nc: NatsConnection;
  rpc: NatsRequester;
  env: Record<string, string>;
  tenant(label: string): Promise<Tenant>;
  /** start (API key, JSON) → sandbox authorize (auto-approve) → callback; answers the callback response. */
  oauthConnect(tenant: Tenant, query?: string): Promise<Response>;
  stop(): Promise<void>;
}

export interface FixtureOptions {
  database: string;
  gateways?: number;
  env?: Record<string, string>;
}

/**
 * PostgreSQL + NATS + the HubSpot sandbox + N auth-gateway OS processes from the built JavaScript
 * (build first: `npx tsc -p apps/auth-gateway/tsconfig.app.json && npx tsc-alias -p apps/auth-gateway/tsconfig.app.json`,
 * same for apps/hubspot-sandbox). All gateways share one redirect URI (the first gateway's), like
 * replicas behind one public host.
 */
export async function startGatewayFixture(options: FixtureOptions): Promise<GatewayFixture> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const pg: PostgresHandle = await startPostgres({ database: options.database });
    cleanups.push(() => pg.stop());
    const nats: NatsHandle = await startNats();
    cleanups.push(() => nats.stop());
    await runMigrations(pg.databaseUrl);

    const sandbox = await startSandbox({});
    cleanups.push(() => sandbox.stop());

    const ports = await Promise.all(Array.from({ length: options.gateways ?? 1 }, () => freePort()));
    const redirectUri = `http://127.0.0.1:${ports[0]}/api/integrations/hubspot/callback`;
    const portal = await sandbox.admin.createPortal({});
    const portalId = Number(portal.portalId);
    const app = await sandbox.admin.createApp({ appType: 'public', redirectUris: [redirectUri] });
    await sandbox.admin.setKnobs(null, { autoApprove: true, oauthPortalId: portalId });

    const env: Record<string, string> = {
      DATABASE_URL: pg.databaseUrl,
      NATS_URL: nats.natsUrl,
      LOG_LEVEL: 'debug',
      HUBSPOT_API_BASE_URL: sandbox.url,
      HUBSPOT_AUTH_BASE_URL: sandbox.url,
      HUBSPOT_CLIENT_ID: app.clientId,
      HUBSPOT_CLIENT_SECRET: app.clientSecret,
      HUBSPOT_REDIRECT_URI: redirectUri,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      OAUTH_STATE_SECRET: randomBytes(32).toString('hex'),
      TOKEN_ENDPOINT_BACKOFF_MS: '50',
      TOKEN_ENDPOINT_MAX_BACKOFF_MS: '200',
      ...options.env,
    };
    const logs = new LogBuffer();
    const gateways = ports.map(
      (port, i) =>
        new AppProcess({
          app: 'auth-gateway',
          port,
          env,
          onLine: (_app, line) => {
            logs.push(`auth-gateway-${i + 1}`, line);
            // STACK_ECHO=1 shows the gateways' logs while debugging a spec.
            if (process.env['STACK_ECHO'] === '1') process.stdout.write(`[auth-gateway-${i + 1}] ${line}\n`);
          },
        }),
    );
    cleanups.push(() => Promise.all(gateways.map((g) => g.stop())));
    await Promise.all(gateways.map((g) => g.start()));

    const db = new Pool({ connectionString: pg.databaseUrl, max: 4 });
    cleanups.push(() => db.end());
    const nc = await connect({ servers: nats.natsUrl });
    cleanups.push(() => nc.close());
    const rpc = new NatsRequester(nc, 15_000);
    const url = gateways[0].url;

    let tenants = 0;
    const tenant = async (label: string): Promise<Tenant> => {
      const org = await db.query(`INSERT INTO core.organizations (name) VALUES ($1) RETURNING uid`, [`Org ${label}`]);
      const user = await db.query(`INSERT INTO core.users (email) VALUES ($1) RETURNING uid`, [`${label}-${++tenants}-${Date.now()}@example.com`]);
      await db.query(`INSERT INTO core.memberships (organization_uid, user_uid, is_default) VALUES ($1, $2, true)`, [org.rows[0].uid, user.rows[0].uid]);
      const key = generateApiKey();
      await db.query(`INSERT INTO core.api_keys (organization_uid, user_uid, name, prefix, key_hash) VALUES ($1, $2, 'test', $3, $4)`, [
        org.rows[0].uid,
        user.rows[0].uid,
        key.prefix,
        key.keyHash,
      ]);
      return { organizationUid: org.rows[0].uid, userUid: user.rows[0].uid, apiKey: key.apiKey };
    };

    const oauthConnect = async (t: Tenant, query = ''): Promise<Response> => {
      const start = await fetch(`${url}/api/integrations/hubspot/start${query}`, { headers: { 'x-api-key': t.apiKey, accept: 'application/json' } });
      if (start.status !== 200) throw new Error(`start answered ${start.status}: ${await start.text()}`);
      const { url: authorizeUrl } = (await start.json()) as { url: string };
      const approved = await fetch(authorizeUrl, { redirect: 'manual' });
      const location = approved.headers.get('location');
      if (approved.status !== 302 || !location) throw new Error(`sandbox authorize answered ${approved.status}: ${await approved.text()}`);
      return fetch(location, { redirect: 'manual' });
    };

    return {
      databaseUrl: pg.databaseUrl,
      natsUrl: nats.natsUrl,
      sandbox,
      portalId,
      clientId: app.clientId,
      gateways,
      url,
      logs,
      db,
      nc,
      rpc,
      env,
      tenant,
      oauthConnect,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Sends a request the way the fetcher does and returns the raw reply (RpcErrorV1 included). */
export async function rpcRaw<T>(nc: NatsConnection, subject: string, data: unknown, timeoutMs = 15_000): Promise<T> {
  const packet = { pattern: subject, data, id: randomBytes(8).toString('hex') };
  const reply = await nc.request(subject, new TextEncoder().encode(JSON.stringify(packet)), { timeout: timeoutMs });
  const parsed = JSON.parse(new TextDecoder().decode(reply.data)) as { response?: T; err?: unknown };
  if (parsed.err !== undefined && parsed.err !== null) throw new Error(`transport error: ${JSON.stringify(parsed.err)}`);
  return parsed.response as T;
}

/**
 * Scans every column of every table outside the system schemas (SQL over information_schema; the
 * embedded server is newer than the machine's pg_dump) and answers, per secret, the columns holding
 * it: bytea by its raw bytes, every other type by its text form. A Buffer is looked for in bytea
 * columns only (positive control of the bytea search).
 */
export async function columnsContainingAny(db: Pool, secrets: Array<string | Buffer>): Promise<Map<string | Buffer, string[]>> {
  const columns = await db.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg_toast%'`,
  );
  const hits = new Map<string | Buffer, string[]>(secrets.map((s) => [s, []]));
  const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const byTable = new Map<string, Array<{ name: string; bytea: boolean }>>();
  for (const c of columns.rows) {
    const table = `${ident(c.table_schema)}.${ident(c.table_name)}`;
    byTable.set(table, [...(byTable.get(table) ?? []), { name: c.column_name, bytea: c.data_type === 'bytea' }]);
  }
  const bytesOf = (s: string | Buffer) => (Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8'));
  // Which secrets occur in any of `cols` of `table` (indexes into `list`).
  const present = async (table: string, cols: Array<{ name: string; bytea: boolean }>, list: Array<string | Buffer>) => {
    const textCols = cols.filter((c) => !c.bytea);
    const byteaCols = cols.filter((c) => c.bytea);
    const conditions = [
      ...textCols.map((c) => `(NOT s.is_bytes AND strpos(${ident(c.name)}::text, s.t) > 0)`),
      ...byteaCols.map((c) => `position(s.b in ${ident(c.name)}) > 0`),
    ];
    if (conditions.length === 0 || list.length === 0) return new Set<number>();
    const found = await db.query<{ i: string }>(
      `SELECT s.i FROM unnest($1::text[], $2::bytea[], $3::boolean[]) WITH ORDINALITY AS s(t, b, is_bytes, i)
        WHERE EXISTS (SELECT 1 FROM ${table} WHERE ${conditions.join(' OR ')})`,
      [list.map((x) => (Buffer.isBuffer(x) ? '' : x)), list.map(bytesOf), list.map((x) => Buffer.isBuffer(x))],
    );
    return new Set(found.rows.map((r) => Number(r.i) - 1));
  };
  for (const [table, cols] of byTable) {
    // One query per table; only tables with a hit are searched column by column.
    const inTable = await present(table, cols, secrets);
    for (const index of inTable) {
      const secret = secrets[index];
      for (const col of cols) {
        if (Buffer.isBuffer(secret) && !col.bytea) continue;
        if ((await present(table, [col], [secret])).size > 0) hits.get(secret)?.push(`${table.replace(/"/g, '')}.${col.name}`);
      }
    }
  }
  return hits;
}

/** The columns holding `secret` (see columnsContainingAny). */
export async function columnsContaining(db: Pool, secret: string | Buffer): Promise<string[]> {
  return (await columnsContainingAny(db, [secret])).get(secret) ?? [];
}

/** Secrets found anywhere in the database, as `secret-prefix… in column` strings (empty = none). */
export async function plaintextFindings(db: Pool, secrets: Iterable<string>): Promise<string[]> {
  const list = [...new Set(secrets)];
  const hits = await columnsContainingAny(db, list);
  return list.flatMap((s) => (hits.get(s) ?? []).map((column) => `${s.slice(0, 8)}… in ${column}`));
}

/** The tokens stored for a connection, decrypted with the fixture's key (to check revocation and scans). */
export async function storedTokens(fx: GatewayFixture, connectionId: string): Promise<{ accessToken: string; refreshToken: string | null } | null> {
  const { TokenCipher } = await import('../../src/crypto/token-cipher');
  const cipher = new TokenCipher(Buffer.from(fx.env['TOKEN_ENCRYPTION_KEY'], 'base64'));
  const rows = await fx.db.query(
    `SELECT key_id, access_token_ciphertext, refresh_token_ciphertext FROM integration.tokens WHERE connection_id = $1`,
    [connectionId],
  );
  if (rows.rowCount === 0) return null;
  const r = rows.rows[0];
  return {
    accessToken: cipher.decrypt({ ciphertext: r.access_token_ciphertext, keyId: r.key_id }, `${connectionId}:access`),
    refreshToken: r.refresh_token_ciphertext ? cipher.decrypt({ ciphertext: r.refresh_token_ciphertext, keyId: r.key_id }, `${connectionId}:refresh`) : null,
  };
}

export async function connectionCount(fx: GatewayFixture): Promise<number> {
  return Number((await fx.db.query(`SELECT count(*)::int AS n FROM integration.connections`)).rows[0].n);
}
