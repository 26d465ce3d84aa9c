import { ConsumerDefinition } from '@hubsync/contracts';
import { BaseRpcContext } from '@nestjs/microservices';
import { JsMsg } from 'nats';
import { isFinalAttempt } from './retry-policy';

/** What a JetStream handler can learn about the message it is handling (`@Ctx() ctx: JetStreamContext`). */
export class JetStreamContext extends BaseRpcContext<[JsMsg, ConsumerDefinition]> {
  getMessage(): JsMsg {
    return this.args[0];
  }

  getConsumer(): ConsumerDefinition {
    return this.args[1];
  }

  getSubject(): string {
    return this.args[0].subject;
  }

  /** 1 on the first delivery. */
  getDeliveryCount(): number {
    return this.args[0].info.deliveryCount;
  }

  /** The publisher's `Nats-Msg-Id`, if any. */
  getMsgId(): string | null {
    return this.args[0].headers?.get('Nats-Msg-Id') || null;
  }

  /** True when a failure now dead-letters the message instead of retrying it. */
  isFinalAttempt(): boolean {
    return isFinalAttempt(this.getDeliveryCount(), this.args[1].maxDeliver);
  }
}
