import { INestApplication } from '@nestjs/common';
import { natsRpcOptions } from '@hubsync/messaging';

/**
 * Attaches Nest's built-in NATS transport for the `auth.*` request handlers. All replicas subscribe
 * in one queue group, so each request is answered by exactly one of them (DESIGN §3).
 */
export function connectAuthRpc(app: INestApplication, options: { natsUrl: string; queue: string }): void {
  app.connectMicroservice(natsRpcOptions(options.natsUrl, options.queue), { inheritAppConfig: true });
}
