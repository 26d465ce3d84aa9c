import 'reflect-metadata';
import { loadConfigOrExit } from '@hubsync/config';
import { bootstrapService } from '@hubsync/observability';
import { AppModule } from './app.module';
import { SyncApiConfig, SERVICE_NAME } from './config/sync-api.config';
import { configureSyncApiHttp } from './http/configure-http';

// A bad environment stops here, before anything connects, with a message naming the variable.
const config = loadConfigOrExit(SyncApiConfig, SERVICE_NAME);

// beforeListen: 1 MB JSON bodies with raw bytes (webhook signatures), correlation ids, OpenAPI at /docs.
void bootstrapService(AppModule.forRoot(config), { serviceName: SERVICE_NAME, port: config.PORT, beforeListen: configureSyncApiHttp });
