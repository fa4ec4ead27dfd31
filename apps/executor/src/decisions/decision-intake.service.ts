import { Inject, Injectable } from '@nestjs/common';
import type { Decision } from '@tlp/contracts';
import { PreTradeScreeningService } from '../risk/pre-trade-screening.service';
import { AmendmentService } from './amendment.service';
import { CancellationService } from './cancellation.service';
import { DecisionsService, type DecisionSource, type EntryVerdict } from './decisions.service';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from './executor.tokens';
import { entryIntentOf } from './order-intent';
import { OrderSubmissionService } from './order-submission.service';

export interface DecisionReceipt {
  readonly decisionId: string;
  readonly orderId: string | null;
  readonly duplicate: boolean;
  /** NEW_TRADE: the submission state (SCHEDULED while it waits for the daily run); CANCEL: the cancel outcome; null for a duplicate or a refused action. */
  readonly outcome: string | null;
}

/** One entry point for decisions from Kafka and HTTP: record once, then execute the action. */
@Injectable()
export class DecisionIntakeService {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly submission: OrderSubmissionService,
    private readonly cancellation: CancellationService,
    private readonly screening: PreTradeScreeningService,
    private readonly amendment: AmendmentService,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
  ) {}

  async receive(decision: Decision, source: DecisionSource): Promise<DecisionReceipt> {
    const verdict = await this.verdictFor(decision);
    const accepted = await this.decisions.accept(decision, source, verdict);
    const receipt = { decisionId: decision.decisionId, orderId: accepted.orderId, duplicate: accepted.kind === 'DUPLICATE' };
    if (accepted.kind === 'DUPLICATE') return { ...receipt, outcome: null };
    if (verdict?.kind === 'DENIED') return { ...receipt, outcome: verdict.denial.code };
    if (verdict?.kind === 'SCHEDULED') return { ...receipt, outcome: 'SCHEDULED' };
    if (decision.action === 'NEW_TRADE' && accepted.orderId) return { ...receipt, outcome: await this.submission.submit(accepted.orderId) };
    if (decision.action === 'CANCEL') return { ...receipt, outcome: await this.cancellation.execute(decision.decisionId, decision.targetDecisionId) };
    if (decision.action === 'AMEND') return { ...receipt, outcome: await this.amendment.execute(decision) };
    return { ...receipt, outcome: null };
  }

  /** Scheduled mode screens at the run, not now: the market may well be closed when a decision arrives. */
  private async verdictFor(decision: Decision): Promise<EntryVerdict | null> {
    if (decision.action !== 'NEW_TRADE' || (await this.decisions.isKnown(decision.decisionId))) return null;
    if (this.settings.executionMode === 'SCHEDULED') return { kind: 'SCHEDULED' };
    return this.screening.screen(entryIntentOf(decision));
  }
}
