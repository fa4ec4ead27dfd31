import type { EntityManager } from '@mikro-orm/postgresql';
import { appendToOutbox, sqlOf } from '@tlp/messaging';
import type { RiskDenial } from '../risk/errors';
import { DecisionRecord } from './decision-record.entity';
import type { ExecutionOrder } from './execution-order.entity';
import { orderRejectedEvent } from './order-events';

/**
 * Records a pre-trade denial of an ENTRY order inside the caller's transaction: the order REJECTED
 * with the denial code, its decision DENIED, and `order.rejected` (rejectedBy RISK) in the outbox,
 * so the three commit together or not at all. Used on arrival (IMMEDIATE) and by the scheduled run.
 */
export async function recordRiskDenial(em: EntityManager, order: ExecutionOrder, denial: RiskDenial, now: Date): Promise<void> {
  const record = await em.findOneOrFail(DecisionRecord, order.decisionId);
  Object.assign(order, { submissionState: 'REJECTED', rejectCode: denial.code, rejectMessage: denial.message, updatedAt: now });
  Object.assign(record, { status: 'DENIED', outcomeCode: denial.code, executedAt: now });
  await em.flush();
  await appendToOutbox(sqlOf(em), [orderRejectedEvent(order, 'RISK', now)]);
}
