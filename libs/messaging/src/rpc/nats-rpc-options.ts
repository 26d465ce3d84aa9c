import { NatsOptions, Transport } from '@nestjs/microservices';

/**
 * Options for Nest's built-in NATS transport (request/reply, `@MessagePattern`). The queue group makes
 * replicas of a service share requests instead of all answering each one:
 * `app.connectMicroservice(natsRpcOptions(config.NATS_URL, 'auth-gateway'))`.
 */
export function natsRpcOptions(natsUrl: string, queue: string): NatsOptions {
  return {
    transport: Transport.NATS,
    options: {
      servers: natsUrl.split(',').map((s) => s.trim()),
      queue,
      name: `${queue}-rpc`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    },
  };
}
