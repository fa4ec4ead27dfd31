import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { DecisionApprovedV1 } from '@tlp/contracts';
import { KafkaEventContext, OnEvent } from '@tlp/messaging';
import { DecisionsService } from './decisions.service';
import { OrderSubmissionService } from './order-submission.service';

@Controller()
export class DecisionApprovedHandler {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly submission: OrderSubmissionService,
  ) {}

  @OnEvent(DecisionApprovedV1)
  async process(@Payload() event: DecisionApprovedV1, @Ctx() ctx: KafkaEventContext): Promise<void> {
    const outcome = await this.decisions.accept(event.payload, {
      kind: 'KAFKA',
      correlationId: event.correlationId,
      eventId: event.eventId,
      inbox: ctx.inboxEntry(),
    });
    if (outcome.kind === 'ACCEPTED' && outcome.orderId) await this.submission.submit(outcome.orderId);
  }
}
