import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { DecisionApprovedV1, describeIssues } from '@tlp/contracts';
import { deterministicId, runWithCorrelation } from '@tlp/service-runtime';
import { DecisionsService } from './decisions.service';
import { OrderSubmissionService } from './order-submission.service';

export interface DecisionReceipt {
  readonly decisionId: string;
  readonly orderId: string | null;
  readonly duplicate: boolean;
  readonly submission: string | null;
}

/** `POST /decisions`: the same decision payload as `decision.approved`, validated by its contract. */
@Controller('decisions')
export class DecisionsController {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly submission: OrderSubmissionService,
  ) {}

  @Post()
  @HttpCode(202)
  async create(@Body() body: unknown): Promise<DecisionReceipt> {
    const parsed = DecisionApprovedV1.payload.safeParse(body);
    if (!parsed.success) {
      throw new BadRequestException({ error: 'INVALID_DECISION', message: describeIssues(parsed.error), fields: parsed.error.issues.map((i) => i.path.join('.')) });
    }
    const decision = parsed.data;
    const correlationId = deterministicId('executor.correlation', decision.decisionId);
    return runWithCorrelation({ correlationId }, async () => {
      const outcome = await this.decisions.accept(decision, { kind: 'HTTP', correlationId, eventId: null, inbox: null });
      const submission = outcome.kind === 'ACCEPTED' && outcome.orderId ? await this.submission.submit(outcome.orderId) : null;
      return { decisionId: decision.decisionId, orderId: outcome.orderId, duplicate: outcome.kind === 'DUPLICATE', submission };
    });
  }
}
