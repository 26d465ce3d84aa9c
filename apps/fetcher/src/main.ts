import 'reflect-metadata';
import { loadConfigOrExit } from '@hubsync/config';
import { bootstrapService } from '@hubsync/observability';
import { AppModule } from './app.module';
import { FetcherConfig, SERVICE_NAME } from './config/fetcher.config';
import { connectPortalWork } from './jobs/connect-portal-work';

// A bad environment stops here, before anything connects, with a message naming the variable.
const config = loadConfigOrExit(FetcherConfig, SERVICE_NAME);

void bootstrapService(AppModule.forRoot(config), {
  serviceName: SERVICE_NAME,
  port: config.PORT,
  // "Portal has work" notices from JetStream (FETCHER_WORK_CONSUMER).
  beforeListen: (app) => connectPortalWork(app, config),
});
