import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { OrderSubmittedV1 } from '@tlp/contracts';
import { KafkaEventContext, OnEvent } from '@tlp/messaging';
import { OrderTrackingService } from './order-tracking.service';

@Controller()
export class OrderSubmittedHandler {
  constructor(private readonly tracking: OrderTrackingService) {}

  @OnEvent(OrderSubmittedV1)
  async process(@Payload() event: OrderSubmittedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.tracking.track(event, ctx.inboxEntry());
  }
}
