import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { Decision } from '@tlp/contracts';
import { claimInbox, sqlOf, type InboxEntry } from '@tlp/messaging';
import { Clock } from '@tlp/service-runtime';
import { DecisionRecord } from './decision-record.entity';
import { ExecutionOrder } from './execution-order.entity';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from './executor.tokens';
import { entryIntentOf, entryOrderIdOf } from './order-intent';

export interface DecisionSource {
  readonly kind: 'KAFKA' | 'HTTP';
  readonly correlationId: string;
  readonly eventId: string | null;
  /** Set for Kafka deliveries: the inbox claim commits with the decision. */
  readonly inbox: InboxEntry | null;
}

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

  async accept(decision: Decision, source: DecisionSource): Promise<AcceptOutcome> {
    return this.orm.em.fork().transactional(async (em) => {
      if (source.inbox && (await claimInbox(sqlOf(em), source.inbox)) === 'ALREADY_PROCESSED') {
        return { kind: 'DUPLICATE', orderId: orderIdOf(decision) };
      }
      if (await em.findOne(DecisionRecord, decision.decisionId)) return { kind: 'DUPLICATE', orderId: orderIdOf(decision) };
      const now = this.clock.now();
      const record = em.create(DecisionRecord, {
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
      if (decision.action === 'CANCEL') return { kind: 'ACCEPTED', orderId: null };
      if (decision.action === 'AMEND') {
        // AMEND is not executed yet; refuse it visibly rather than dropping it.
        Object.assign(record, { status: 'DENIED', outcomeCode: 'ACTION_NOT_SUPPORTED', executedAt: now });
        return { kind: 'ACCEPTED', orderId: null };
      }
      // The order row references the decision row; the unit of work does not know that, so insert in order.
      await em.flush();
      em.create(ExecutionOrder, {
        ...entryIntentOf(decision),
        purpose: 'ENTRY',
        broker: this.settings.brokerName,
        correlationId: source.correlationId,
        causationId: source.eventId,
        createdAt: now,
        updatedAt: now,
      });
      return { kind: 'ACCEPTED', orderId: entryOrderIdOf(decision.decisionId) };
    });
  }
}

function orderIdOf(decision: Decision): string | null {
  return decision.action === 'NEW_TRADE' ? entryOrderIdOf(decision.decisionId) : null;
}
