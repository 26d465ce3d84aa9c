import { CustomStrategy } from '@nestjs/microservices';
import { JetStreamServer, JetStreamServerOptions } from './jetstream-server';

/**
 * Microservice options running {@link JetStreamServer}:
 * `app.connectMicroservice(jetStreamMicroservice({ ... })); await app.startAllMicroservices();`
 */
export function jetStreamMicroservice(options: JetStreamServerOptions): CustomStrategy {
  return { strategy: new JetStreamServer(options) };
}
