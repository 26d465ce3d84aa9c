import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeyService, TenancyService } from '@hubsync/api-keys';
import { MessagingModule } from '@hubsync/messaging';
import { dataSourceOptions, runMigrations } from '@hubsync/persistence';
import { NatsHandle, PostgresHandle, startNats, startPostgres } from '@hubsync/testing';
import { configureSyncApiHttp } from '../../src/http/configure-http';
import { SyncApiSettings } from '../../src/http/settings';
import { SyncApiFeaturesModule } from '../../src/sync-api-features.module';

export interface Tenant {
  organizationUid: string;
  userUid: string;
  apiKey: string;
}

export interface SyncApiTestApp {
  baseUrl: string;
  app: INestApplication;
  dataSource: DataSource;
  pg: PostgresHandle;
  nats?: NatsHandle;
  tenant(label: string): Promise<Tenant>;
  connect(organizationUid: string, portalId: string, status?: 'active' | 'needs_reauth' | 'disconnected'): Promise<string>;
  call(apiKey: string | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * sync-api in-process (the features module over real PostgreSQL and, when asked, real NATS), on a
 * free 127.0.0.1 port, called over HTTP.
 */
export async function startSyncApiTestApp(options: { database: string; nats?: boolean; settings?: Partial<SyncApiSettings> }): Promise<SyncApiTestApp> {
  const pg = await startPostgres({ database: options.database });
  await runMigrations(pg.databaseUrl);
  const nats = options.nats ? await startNats() : undefined;
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({ ...dataSourceOptions({ databaseUrl: pg.databaseUrl, applicationName: 'sync-api-test', poolSize: 20 }) }),
      ...(nats ? [MessagingModule.forRoot({ natsUrl: nats.natsUrl, serviceName: 'sync-api-test' })] : []),
      SyncApiFeaturesModule.forRoot({ schedulerEnabled: false, hubspotClientSecret: 'test-client-secret', ...options.settings }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  configureSyncApiHttp(app);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const dataSource = app.get(DataSource);
  const tenancy = app.get(TenancyService);
  const keys = app.get(ApiKeyService);
  let counter = 0;

  return {
    baseUrl,
    app,
    dataSource,
    pg,
    nats,
    async tenant(label) {
      const org = await tenancy.createOrganization(`Org ${label}`);
      const user = await tenancy.createUser(`${label}-${++counter}-${Date.now()}@example.com`);
      await tenancy.addMembership(org.uid, user.uid, { role: 'owner' });
      const key = await keys.create({ organizationUid: org.uid, userUid: user.uid, name: `${label} key` });
      return { organizationUid: org.uid, userUid: user.uid, apiKey: key.apiKey };
    },
    async connect(organizationUid, portalId, status = 'active') {
      const rows = await dataSource.query(
        `INSERT INTO integration.connections (organization_uid, portal_id, auth_type, status, scopes, connected_at, label)
         VALUES ($1, $2, 'oauth', $3, $4, now(), 'test') RETURNING id`,
        [organizationUid, portalId, status, ['crm.objects.companies.read', 'crm.objects.contacts.read', 'crm.objects.deals.read', 'crm.objects.owners.read']],
      );
      return rows[0].id;
    },
    async call(apiKey, method, path, body, headers = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(apiKey ? { 'x-api-key': apiKey } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (e.g. HTML docs)
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await app.close();
      await nats?.stop();
      await pg.stop();
    },
  };
}
