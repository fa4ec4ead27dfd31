import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { DecisionApprovedV1, describeIssues } from '@tlp/contracts';
import { deterministicId, runWithCorrelation } from '@tlp/service-runtime';
import { DecisionIntakeService, type DecisionReceipt } from './decision-intake.service';

/** `POST /decisions`: the same decision payload as `decision.approved`, validated by its contract. */
@Controller('decisions')
export class DecisionsController {
  constructor(private readonly intake: DecisionIntakeService) {}

  @Post()
  @HttpCode(202)
  async create(@Body() body: unknown): Promise<DecisionReceipt> {
    const parsed = DecisionApprovedV1.payload.safeParse(body);
    if (!parsed.success) {
      throw new BadRequestException({ error: 'INVALID_DECISION', message: describeIssues(parsed.error), fields: parsed.error.issues.map((i) => i.path.join('.')) });
    }
    const decision = parsed.data;
    const correlationId = deterministicId('executor.correlation', decision.decisionId);
    return runWithCorrelation({ correlationId }, () => this.intake.receive(decision, { kind: 'HTTP', correlationId, eventId: null, inbox: null }));
  }
}
