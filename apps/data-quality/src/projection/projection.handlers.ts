import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { OrderFilledV1, PositionUpdatedV1 } from '@tlp/contracts';
import { KafkaEventContext, OnEvent } from '@tlp/messaging';
import { ProjectionService } from './projection.service';

@Controller()
export class ProjectionHandlers {
  constructor(private readonly projection: ProjectionService) {}

  @OnEvent(OrderFilledV1)
  async onOrderFilled(@Payload() event: OrderFilledV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.projection.recordFill(event, ctx.inboxEntry());
  }

  @OnEvent(PositionUpdatedV1)
  async onPositionUpdated(@Payload() event: PositionUpdatedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.projection.recordPosition(event, ctx.inboxEntry());
  }
}
