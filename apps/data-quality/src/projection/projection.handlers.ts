import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  OrderAcceptedV1,
  OrderCanceledV1,
  OrderExpiredV1,
  OrderFilledV1,
  OrderRejectedV1,
  OrderReplacedV1,
  OrderSubmittedV1,
  PositionUpdatedV1,
  TradeAlertedV1,
} from '@tlp/contracts';
import { KafkaEventContext, OnEvent } from '@tlp/messaging';
import { OrderProjectionService } from './order-projection.service';
import { statusOfSubmitted } from './order-status';
import { ProjectionService } from './projection.service';

@Controller()
export class ProjectionHandlers {
  constructor(
    private readonly projection: ProjectionService,
    private readonly orders: OrderProjectionService,
  ) {}

  @OnEvent(OrderFilledV1)
  async onOrderFilled(@Payload() event: OrderFilledV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.projection.recordFill(event, ctx.inboxEntry());
  }

  @OnEvent(PositionUpdatedV1)
  async onPositionUpdated(@Payload() event: PositionUpdatedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.projection.recordPosition(event, ctx.inboxEntry());
  }

  @OnEvent(OrderSubmittedV1)
  async onOrderSubmitted(@Payload() e: OrderSubmittedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    const status = statusOfSubmitted(e.payload.status);
    await this.orders.recordOrder({ order: e.payload, status, submittedAt: e.payload.submittedAt, at: e.occurredAt }, ctx.inboxEntry());
  }

  @OnEvent(OrderAcceptedV1)
  async onOrderAccepted(@Payload() e: OrderAcceptedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.orders.recordOrder({ order: e.payload, status: 'ACCEPTED', submittedAt: null, at: e.occurredAt }, ctx.inboxEntry());
  }

  @OnEvent(OrderReplacedV1)
  async onOrderReplaced(@Payload() e: OrderReplacedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    const order = { ...e.payload, quantity: e.payload.newQuantity };
    await this.orders.recordOrder({ order, status: 'REPLACED', submittedAt: null, at: e.occurredAt }, ctx.inboxEntry());
  }

  @OnEvent(OrderCanceledV1)
  async onOrderCanceled(@Payload() e: OrderCanceledV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.orders.recordOrder({ order: e.payload, status: 'CANCELED', submittedAt: null, at: e.occurredAt }, ctx.inboxEntry());
  }

  @OnEvent(OrderExpiredV1)
  async onOrderExpired(@Payload() e: OrderExpiredV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.orders.recordOrder({ order: e.payload, status: 'EXPIRED', submittedAt: null, at: e.occurredAt }, ctx.inboxEntry());
  }

  @OnEvent(OrderRejectedV1)
  async onOrderRejected(@Payload() e: OrderRejectedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.orders.recordOrder({ order: e.payload, status: 'REJECTED', submittedAt: null, at: e.occurredAt }, ctx.inboxEntry());
  }

  @OnEvent(TradeAlertedV1)
  async onTradeAlerted(@Payload() e: TradeAlertedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.orders.recordTradeAlert(e, ctx.inboxEntry());
  }
}
