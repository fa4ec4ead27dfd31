import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { OrderAcceptedV1, OrderCanceledV1, OrderExpiredV1, OrderRejectedV1, OrderSubmittedV1 } from '@tlp/contracts';
import { KafkaEventContext, OnEvent } from '@tlp/messaging';
import { OrderLifecycleService } from './order-lifecycle.service';

/** Order events that move position lifecycles (fills move them in `PositionsService`). */
@Controller()
export class OrderEventsHandler {
  constructor(private readonly orders: OrderLifecycleService) {}

  @OnEvent(OrderSubmittedV1)
  async submitted(@Payload() event: OrderSubmittedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.orders.submitted(event, ctx.inboxEntry());
  }

  @OnEvent(OrderAcceptedV1)
  async accepted(@Payload() event: OrderAcceptedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.orders.submitted(event, ctx.inboxEntry());
  }

  @OnEvent(OrderRejectedV1)
  async rejected(@Payload() event: OrderRejectedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.orders.ended(event, ctx.inboxEntry());
  }

  @OnEvent(OrderCanceledV1)
  async canceled(@Payload() event: OrderCanceledV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.orders.ended(event, ctx.inboxEntry());
  }

  @OnEvent(OrderExpiredV1)
  async expired(@Payload() event: OrderExpiredV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.orders.ended(event, ctx.inboxEntry());
  }
}
