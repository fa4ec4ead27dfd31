import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BROKER, brokerOrderId, isBrokerError, newClientOrderId, type BrokerPort, type OrderStatusReport } from '@tlp/broker';
import { isTerminalOrderStatus, type Decision } from '@tlp/contracts';
import { Clock, deterministicId } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import { PreTradeScreeningService } from '../risk/pre-trade-screening.service';
import { CancellationService } from './cancellation.service';
import { DecisionRecord } from './decision-record.entity';
import { ExecutionOrder } from './execution-order.entity';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from './executor.tokens';
import { clientOrderIdOf, entryOrderIdOf, type OrderIntent } from './order-intent';
import { OrderSubmissionService } from './order-submission.service';

type AmendDecision = Extract<Decision, { action: 'AMEND' }>;

export type AmendOutcome =
  | 'REPLACED'
  /** The target was still SCHEDULED: its terms changed before the daily run sent it, no broker call. */
  | 'AMENDED_BEFORE_SUBMISSION'
  | 'RESUBMITTED'
  | 'TARGET_NOT_FOUND'
  | 'TARGET_NOT_PLACED'
  | 'TARGET_IN_DOUBT'
  | 'AMEND_TOO_LATE'
  | 'AMEND_UNCONFIRMED'
  | `RISK_${string}`;

/**
 * Executes AMEND decisions. Where the broker can replace the order (Alpaca PATCH), the replacement's
 * new broker id stays linked to the same internal order. Where it cannot (HTTP 422, e.g. a partially
 * filled order), the order is canceled, its final state confirmed, and a new order with the amended
 * terms is submitted for the AMEND decision, in the same trade.
 */
@Injectable()
export class AmendmentService {
  private readonly logger = new Logger(AmendmentService.name);

  constructor(
    private readonly orm: MikroORM,
    @Inject(BROKER) private readonly broker: BrokerPort,
    private readonly clock: Clock,
    private readonly cancellation: CancellationService,
    private readonly submission: OrderSubmissionService,
    private readonly screening: PreTradeScreeningService,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
  ) {}

  async execute(amend: AmendDecision): Promise<AmendOutcome> {
    const target = await this.orm.em.fork().findOne(ExecutionOrder, { decisionId: amend.targetDecisionId, purpose: 'ENTRY' });
    const outcome = await this.amend(amend, target);
    if (outcome === 'AMEND_UNCONFIRMED') return outcome;
    if (outcome !== 'RESUBMITTED') await this.settle(amend.decisionId, outcome);
    return outcome;
  }

  private async amend(amend: AmendDecision, target: ExecutionOrder | null): Promise<AmendOutcome> {
    if (!target) return 'TARGET_NOT_FOUND';
    if (target.submissionState === 'REJECTED' || target.submissionState === 'CANCELED') return 'TARGET_NOT_PLACED';
    if (target.submissionState === 'SCHEDULED' && (await this.amendScheduled(target, amend))) return 'AMENDED_BEFORE_SUBMISSION';
    const report = await this.cancellation.currentReport(target);
    if (!report) return target.submissionState === 'ACCEPTED' ? 'TARGET_NOT_FOUND' : 'TARGET_IN_DOUBT';
    const replaceId = newClientOrderId(amendClientOrderIdOf(amend.decisionId));
    const replaced = await this.ownReplacement(report, replaceId);
    if (replaced) return this.recordReplacement(target, replaced);
    if (isTerminalOrderStatus(report.status)) return 'AMEND_TOO_LATE';
    const screened = await this.screening.screen(amendedIntentOf(target, amend), { amending: true });
    if (screened.kind === 'DENIED') return `RISK_${screened.denial.code}`;
    const terms = screened.intent;
    try {
      const replacement = await this.broker.replaceOrder(report.brokerOrderId, {
        quantity: new Decimal(terms.quantity),
        ...(terms.limitPrice && { limitPrice: new Decimal(terms.limitPrice) }),
        ...(terms.stopPrice && { stopPrice: new Decimal(terms.stopPrice) }),
        clientOrderId: replaceId,
      });
      return await this.recordReplacement(target, replacement);
    } catch (error) {
      if (!isBrokerError(error) || error.httpStatus !== 422) throw error;
      this.logger.warn(`order ${target.orderId} cannot be replaced (${error.message}); canceling and resubmitting`);
      return this.cancelAndResubmit(amend, target, terms);
    }
  }

  /**
   * Changes a SCHEDULED order's terms before the daily run sends it: true when it was still
   * SCHEDULED. Like the NEW_TRADE it amends, the order stays unscreened: the run screens and rounds
   * the amended terms. The run moves each order to PENDING under a row lock first, so exactly one
   * of the two wins; when the run won, the order is amended at the broker like any other.
   */
  private async amendScheduled(target: ExecutionOrder, amend: AmendDecision): Promise<boolean> {
    const terms = amendedIntentOf(target, amend);
    const changed = await this.orm.em.fork().nativeUpdate(
      ExecutionOrder,
      { orderId: target.orderId, submissionState: 'SCHEDULED' },
      {
        quantity: terms.quantity,
        limitPrice: terms.limitPrice,
        stopPrice: terms.stopPrice,
        plannedStopLoss: terms.plannedStopLoss,
        plannedTakeProfit: terms.plannedTakeProfit,
        updatedAt: this.clock.now(),
      },
    );
    return changed === 1;
  }

  /** After a crash between the replace and its record, the broker already holds our replacement. */
  private async ownReplacement(report: OrderStatusReport, replaceId: string): Promise<OrderStatusReport | null> {
    if (report.status !== 'REPLACED' || !report.replacedBy) return null;
    const replacement = await this.broker.getOrder(brokerOrderId(report.replacedBy));
    return replacement?.clientOrderId === replaceId ? replacement : null;
  }

  private async recordReplacement(target: ExecutionOrder, replacement: OrderStatusReport): Promise<AmendOutcome> {
    await this.orm.em.fork().nativeUpdate(
      ExecutionOrder,
      { orderId: target.orderId },
      {
        brokerOrderId: replacement.brokerOrderId,
        quantity: replacement.quantity.toFixed(),
        limitPrice: replacement.limitPrice?.toFixed() ?? null,
        stopPrice: replacement.stopPrice?.toFixed() ?? null,
        brokerStatus: replacement.rawStatus,
        updatedAt: this.clock.now(),
      },
    );
    return 'REPLACED';
  }

  private async cancelAndResubmit(amend: AmendDecision, target: ExecutionOrder, terms: OrderIntent): Promise<AmendOutcome> {
    const canceled = await this.cancellation.cancel(target);
    if (canceled === 'CANCEL_UNCONFIRMED') return 'AMEND_UNCONFIRMED';
    if (canceled !== 'CANCELED') return 'AMEND_TOO_LATE';
    const orderId = entryOrderIdOf(amend.decisionId);
    await this.orm.em.fork().transactional(async (em) => {
      if (await em.findOne(ExecutionOrder, orderId)) return;
      const now = this.clock.now();
      const { orderId: _old, clientOrderId: _oldClient, brokerOrderId: _oldBroker, decisionId: _oldDecision, ...kept } = target;
      em.create(ExecutionOrder, {
        ...kept,
        orderId,
        clientOrderId: clientOrderIdOf(orderId),
        decisionId: amend.decisionId,
        quantity: terms.quantity,
        limitPrice: terms.limitPrice,
        stopPrice: terms.stopPrice,
        plannedStopLoss: terms.plannedStopLoss,
        plannedTakeProfit: terms.plannedTakeProfit,
        broker: this.settings.brokerName,
        submissionState: 'PENDING',
        attempts: 0,
        rejectCode: null,
        rejectMessage: null,
        brokerStatus: null,
        submittedAt: null,
        createdAt: now,
        updatedAt: now,
      });
    });
    await this.submission.submit(orderId);
    return 'RESUBMITTED';
  }

  private async settle(decisionId: string, outcome: AmendOutcome): Promise<void> {
    await this.orm.em.fork().nativeUpdate(
      DecisionRecord,
      { decisionId, status: 'RECEIVED' },
      { status: outcome === 'REPLACED' || outcome === 'AMENDED_BEFORE_SUBMISSION' ? 'EXECUTED' : 'DENIED', outcomeCode: outcome.slice(0, 64), executedAt: this.clock.now() },
    );
  }
}

/** The target's order with the AMEND's changes applied, as an intent for the pre-trade checks. */
function amendedIntentOf(target: ExecutionOrder, amend: AmendDecision): OrderIntent {
  return {
    orderId: target.orderId,
    clientOrderId: target.clientOrderId,
    decisionId: target.decisionId,
    tradeId: target.tradeId,
    legNumber: target.legNumber,
    accountId: target.accountId,
    ownerId: target.ownerId,
    symbol: target.symbol,
    assetClass: target.assetClass,
    multiplier: target.multiplier,
    side: target.side,
    quantity: amend.quantity ?? target.quantity,
    orderType: target.orderType,
    limitPrice: amend.limitPrice ?? target.limitPrice,
    stopPrice: amend.stopPrice ?? target.stopPrice,
    timeInForce: target.timeInForce,
    tradeStyle: target.tradeStyle ?? 'DAY',
    plannedEntryPrice: target.plannedEntryPrice,
    plannedStopLoss: amend.plannedStopLoss ?? target.plannedStopLoss,
    plannedTakeProfit: amend.plannedTakeProfit ?? target.plannedTakeProfit,
  };
}

/** Client order id of the replacement order an AMEND creates: derived from the AMEND decision. */
export function amendClientOrderIdOf(decisionId: string): string {
  return `tlp-${deterministicId('executor.amend-client-order-id', decisionId).replaceAll('-', '')}`;
}
