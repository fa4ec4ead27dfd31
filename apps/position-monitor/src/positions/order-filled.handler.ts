import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { OrderFilledV1 } from '@tlp/contracts';
import { KafkaEventContext, OnEvent } from '@tlp/messaging';
import { PositionsService } from './positions.service';

@Controller()
export class OrderFilledHandler {
  constructor(private readonly positions: PositionsService) {}

  @OnEvent(OrderFilledV1)
  async process(@Payload() event: OrderFilledV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.positions.process(event, ctx.inboxEntry());
  }
}
