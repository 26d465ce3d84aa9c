import 'reflect-metadata';
import { loadConfigOrExit } from '@hubsync/config';
import { bootstrapService } from '@hubsync/observability';
import { AppModule } from './app.module';
import { AuthGatewayConfig, SERVICE_NAME } from './config/auth-gateway.config';
import { connectAuthRpc } from './rpc/connect-auth-rpc';

// A bad environment stops here, before anything connects, with a message naming the variable.
const config = loadConfigOrExit(AuthGatewayConfig, SERVICE_NAME);

void bootstrapService(AppModule.forRoot(config), {
  serviceName: SERVICE_NAME,
  port: config.PORT,
  // auth.* request handlers over NATS (queue group shared by the replicas).
  beforeListen: (app) => connectAuthRpc(app, { natsUrl: config.NATS_URL, queue: config.AUTH_RPC_QUEUE }),
});
