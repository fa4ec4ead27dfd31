import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PositionRelinkRequestedV1 } from '@tlp/contracts';
import { KafkaEventContext, OnEvent } from '@tlp/messaging';
import { RelinkService } from './relink.service';

@Controller()
export class RelinkRequestedHandler {
  constructor(private readonly relinks: RelinkService) {}

  @OnEvent(PositionRelinkRequestedV1)
  async process(@Payload() event: PositionRelinkRequestedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.relinks.process(event, ctx.inboxEntry());
  }
}
