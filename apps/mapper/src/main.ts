import 'reflect-metadata';
import { loadConfigOrExit } from '@hubsync/config';
import { bootstrapService } from '@hubsync/observability';
import { AppModule } from './app.module';
import { MapperConfig, SERVICE_NAME } from './config/mapper.config';
import { connectHubspotData } from './messaging/connect-hubspot-data';

// A bad environment stops here, before anything connects, with a message naming the variable.
const config = loadConfigOrExit(MapperConfig, SERVICE_NAME);

void bootstrapService(AppModule.forRoot(config), {
  serviceName: SERVICE_NAME,
  port: config.PORT,
  // Record batches, associations, schemas, pipelines and owners from JetStream (MAPPER_DATA_CONSUMER).
  beforeListen: (app) => connectHubspotData(app, config),
});
