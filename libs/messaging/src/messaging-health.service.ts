import { Inject, Injectable } from '@nestjs/common';
import { NatsConnection } from 'nats';
import { NATS_CONNECTION } from './messaging.tokens';

/** Readiness of the shared NATS connection and JetStream (for /health/ready). */
@Injectable()
export class MessagingHealth {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  /** Throws when NATS is unreachable or JetStream does not answer. */
  async check(): Promise<void> {
    if (this.nc.isClosed()) throw new Error('NATS connection is closed');
    await (await this.nc.jetstreamManager({ timeout: 2_000 })).getAccountInfo();
  }
}
