import { BaseRpcContext } from '@nestjs/microservices';
import type { Envelope } from '@tlp/contracts';

type KafkaEventContextArgs = [topic: string, partition: number, offset: string, key: string | null, consumer: string, event: Envelope];

/** Where a consumed event came from; handlers pass it to `claimInbox`. */
export class KafkaEventContext extends BaseRpcContext<KafkaEventContextArgs> {
  get topic(): string {
    return this.args[0];
  }
  get partition(): number {
    return this.args[1];
  }
  get offset(): string {
    return this.args[2];
  }
  get key(): string | null {
    return this.args[3];
  }
  /** The consumer group, which is also the inbox consumer name. */
  get consumer(): string {
    return this.args[4];
  }
  get event(): Envelope {
    return this.args[5];
  }
  /** The inbox entry for this event, for `claimInbox`. */
  inboxEntry(): { consumer: string; eventId: string; topic: string; partition: number; offset: string } {
    return { consumer: this.consumer, eventId: this.event.eventId, topic: this.topic, partition: this.partition, offset: this.offset };
  }
}
