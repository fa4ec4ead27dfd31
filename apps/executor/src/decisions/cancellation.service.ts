import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BROKER, brokerOrderId, clientOrderId, type BrokerPort, type OrderStatusReport } from '@tlp/broker';
import { isTerminalOrderStatus } from '@tlp/contracts';
import { Clock } from '@tlp/service-runtime';
import { DecisionRecord } from './decision-record.entity';
import { ExecutionOrder } from './execution-order.entity';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from './executor.tokens';

/** How a CANCEL decision ended; recorded as the decision's outcome code. */
export type CancelOutcome =
  | 'CANCELED'
  /** The target was still SCHEDULED: canceled before the daily run sent it, no broker call. */
  | 'CANCELED_BEFORE_SUBMISSION'
  | 'ALREADY_FILLED'
  | 'ALREADY_ENDED'
  | 'TARGET_NOT_FOUND'
  | 'TARGET_IN_DOUBT'
  | 'TARGET_NOT_PLACED'
  | 'CANCEL_UNCONFIRMED';

/**
 * Executes CANCEL decisions: asks the broker to cancel the target decision's order, then reads the
 * order back until its final state is known, because it may have filled meanwhile. The decision is
 * marked executed with that outcome; the order's own events (`order.canceled`, `order.filled`) come
 * from the order monitor, which follows the order on the broker's stream.
 */
@Injectable()
export class CancellationService {
  private readonly logger = new Logger(CancellationService.name);

  constructor(
    private readonly orm: MikroORM,
    @Inject(BROKER) private readonly broker: BrokerPort,
    private readonly clock: Clock,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
  ) {}

  async execute(decisionId: string, targetDecisionId: string): Promise<CancelOutcome> {
    const target = await this.orm.em.fork().findOne(ExecutionOrder, { decisionId: targetDecisionId, purpose: 'ENTRY' });
    const outcome = await this.cancel(target);
    if (outcome === 'CANCEL_UNCONFIRMED') {
      this.logger.warn(`cancel of ${target?.orderId ?? targetDecisionId} not confirmed yet; the recovery pass retries it`);
      return outcome;
    }
    await this.orm.em.fork().nativeUpdate(
      DecisionRecord,
      { decisionId, status: 'RECEIVED' },
      { status: outcome.startsWith('CANCELED') || outcome.startsWith('ALREADY') ? 'EXECUTED' : 'DENIED', outcomeCode: outcome, executedAt: this.clock.now() },
    );
    return outcome;
  }

  /** Cancels the target's order at the broker and waits for its final state; changes no decision. */
  async cancel(target: ExecutionOrder | null): Promise<CancelOutcome> {
    if (!target) return 'TARGET_NOT_FOUND';
    if (target.submissionState === 'REJECTED') return 'TARGET_NOT_PLACED';
    if (target.submissionState === 'CANCELED') return 'CANCELED_BEFORE_SUBMISSION';
    if (target.submissionState === 'SCHEDULED' && (await this.cancelScheduled(target))) return 'CANCELED_BEFORE_SUBMISSION';
    const report = await this.currentReport(target);
    if (!report) return target.submissionState === 'ACCEPTED' ? 'TARGET_NOT_FOUND' : 'TARGET_IN_DOUBT';
    if (isTerminalOrderStatus(report.status)) return outcomeOf(report);
    const answer = await this.broker.cancelOrder(report.brokerOrderId);
    if (answer === 'NOT_FOUND') return 'TARGET_NOT_FOUND';
    return this.confirm(report.brokerOrderId);
  }

  /**
   * Takes a SCHEDULED order out of the daily run before it is sent: true when it was still
   * SCHEDULED. The run takes each order under a row lock and moves it to PENDING first, so exactly
   * one of the two wins; when the run won, the order is canceled at the broker like any other.
   */
  private async cancelScheduled(target: ExecutionOrder): Promise<boolean> {
    const changed = await this.orm.em.fork().nativeUpdate(
      ExecutionOrder,
      { orderId: target.orderId, submissionState: 'SCHEDULED' },
      { submissionState: 'CANCELED', rejectMessage: 'canceled before the scheduled run', updatedAt: this.clock.now() },
    );
    return changed === 1;
  }

  /** The broker's view of the target's order, by broker id once known, else by client order id. */
  async currentReport(target: ExecutionOrder): Promise<OrderStatusReport | null> {
    return target.brokerOrderId
      ? this.broker.getOrder(brokerOrderId(target.brokerOrderId))
      : this.broker.getOrderByClientOrderId(clientOrderId(target.clientOrderId));
  }

  /** Reads the order back until the broker reports a final state, or gives up after the confirm timeout. */
  private async confirm(id: ReturnType<typeof brokerOrderId>): Promise<CancelOutcome> {
    const deadline = this.clock.now().getTime() + this.settings.cancelConfirmTimeoutMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      const report = await this.broker.getOrder(id);
      if (report && isTerminalOrderStatus(report.status)) return outcomeOf(report);
      if (this.clock.now().getTime() > deadline) return 'CANCEL_UNCONFIRMED';
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function outcomeOf(report: OrderStatusReport): CancelOutcome {
  if (report.status === 'FILLED') return 'ALREADY_FILLED';
  return report.status === 'CANCELED' ? 'CANCELED' : 'ALREADY_ENDED';
}
