import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { Decision } from '@tlp/contracts';
import type { PreTradeOutcome } from '../risk/pre-trade-checks';
import { claimInbox, sqlOf, type InboxEntry } from '@tlp/messaging';
import { Clock } from '@tlp/service-runtime';
import { DecisionRecord } from './decision-record.entity';
import { ExecutionOrder } from './execution-order.entity';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from './executor.tokens';
import { entryIntentOf, entryOrderIdOf, type OrderIntent } from './order-intent';
import { recordRiskDenial } from './risk-denial.recorder';

export interface DecisionSource {
  readonly kind: 'KAFKA' | 'HTTP';
  readonly correlationId: string;
  readonly eventId: string | null;
  /** Set for Kafka deliveries: the inbox claim commits with the decision. */
  readonly inbox: InboxEntry | null;
}

/** What happens to a NEW_TRADE's order: screened now (IMMEDIATE mode), or left SCHEDULED, unscreened, for the daily run. */
export type EntryVerdict = PreTradeOutcome | { readonly kind: 'SCHEDULED' };

export type AcceptOutcome =
  | { readonly kind: 'ACCEPTED'; readonly orderId: string | null }
  | { readonly kind: 'DUPLICATE'; readonly orderId: string | null };

/** Records a decision and, for NEW_TRADE, the order intent with its deterministic client order id, in one transaction. */
@Injectable()
export class DecisionsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
  ) {}

  /** True once the decision is recorded, whatever its outcome; a cheap pre-check before screening. */
  async isKnown(decisionId: string): Promise<boolean> {
    return (await this.orm.em.fork().count(DecisionRecord, { decisionId })) > 0;
  }

  /**
   * Records the decision once. For a NEW_TRADE, `verdict` is the pre-trade verdict on its intent:
   * approved, the (rounded) intent is stored for submission; denied, the order is stored as rejected
   * by RISK with the denial code, and `order.rejected` is appended in the same transaction;
   * SCHEDULED, the unscreened intent is stored for the daily run.
   */
  async accept(decision: Decision, source: DecisionSource, verdict: EntryVerdict | null = null): Promise<AcceptOutcome> {
    return this.orm.em.fork().transactional(async (em) => {
      if (source.inbox && (await claimInbox(sqlOf(em), source.inbox)) === 'ALREADY_PROCESSED') {
        return { kind: 'DUPLICATE', orderId: orderIdOf(decision) };
      }
      if (await em.findOne(DecisionRecord, decision.decisionId)) return { kind: 'DUPLICATE', orderId: orderIdOf(decision) };
      const now = this.clock.now();
      em.create(DecisionRecord, {
        decisionId: decision.decisionId,
        action: decision.action,
        accountId: decision.accountId,
        ownerId: decision.ownerId,
        payload: decision,
        source: source.kind,
        correlationId: source.correlationId,
        sourceEventId: source.eventId,
        receivedAt: now,
      });
      if (decision.action !== 'NEW_TRADE') return { kind: 'ACCEPTED', orderId: null };
      // The order row references the decision row; the unit of work does not know that, so insert in order.
      await em.flush();
      if (!verdict) throw new Error(`NEW_TRADE ${decision.decisionId} reached accept without a pre-trade screening or a schedule`);
      const intent: OrderIntent = verdict.kind === 'APPROVED' ? verdict.intent : entryIntentOf(decision);
      const order = em.create(ExecutionOrder, {
        ...intent,
        purpose: 'ENTRY',
        broker: this.settings.brokerName,
        correlationId: source.correlationId,
        causationId: source.eventId,
        submissionState: verdict.kind === 'SCHEDULED' ? 'SCHEDULED' : 'PENDING',
        createdAt: now,
        updatedAt: now,
      });
      if (verdict.kind === 'DENIED') await recordRiskDenial(em, order, verdict.denial, now);
      return { kind: 'ACCEPTED', orderId: entryOrderIdOf(decision.decisionId) };
    });
  }
}

function orderIdOf(decision: Decision): string | null {
  return decision.action === 'NEW_TRADE' ? entryOrderIdOf(decision.decisionId) : null;
}
