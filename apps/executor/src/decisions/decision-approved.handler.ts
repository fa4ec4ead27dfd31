import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { DecisionApprovedV1 } from '@tlp/contracts';
import { KafkaEventContext, OnEvent } from '@tlp/messaging';
import { DecisionIntakeService } from './decision-intake.service';

@Controller()
export class DecisionApprovedHandler {
  constructor(private readonly intake: DecisionIntakeService) {}

  @OnEvent(DecisionApprovedV1)
  async process(@Payload() event: DecisionApprovedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    await this.intake.receive(event.payload, { kind: 'KAFKA', correlationId: event.correlationId, eventId: event.eventId, inbox: ctx.inboxEntry() });
  }
}
