import { LockMode } from '@mikro-orm/core';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { BROKER, clientOrderId, type BrokerPort, type OrderStatusReport, type SubmitOrder } from '@tlp/broker';
import { appendToOutbox, faultPoint, sqlOf } from '@tlp/messaging';
import { Clock, METRICS_REGISTRY } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import type { Counter, Registry } from 'prom-client';
import { BrokerGateService } from '../broker-gate/broker-gate.service';
import { DecisionRecord } from './decision-record.entity';
import { ExecutionOrder, type SubmissionState } from './execution-order.entity';
import { orderRejectedEvent, orderSubmittedEvent } from './order-events';
import { orderSubmissionCounter } from './order-submission.metrics';

const IN_DOUBT: ReadonlySet<SubmissionState> = new Set(['PENDING', 'UNKNOWN']);

/**
 * Sends an order intent to the broker and records the outcome with its event, exactly once.
 * An ambiguous answer is resolved only by looking the client order id up at the broker; a retry
 * always reuses the same client order id, which the broker refuses to place twice.
 */
@Injectable()
export class OrderSubmissionService {
  private readonly logger = new Logger(OrderSubmissionService.name);
  private readonly submissions: Counter<'outcome'> | null;

  constructor(
    private readonly orm: MikroORM,
    @Inject(BROKER) private readonly broker: BrokerPort,
    private readonly clock: Clock,
    private readonly gate: BrokerGateService,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    this.submissions = registry ? orderSubmissionCounter(registry) : null;
  }

  async submit(orderId: string): Promise<SubmissionState> {
    const order = await this.orm.em.fork().findOneOrFail(ExecutionOrder, orderId);
    if (!IN_DOUBT.has(order.submissionState)) return order.submissionState;
    const gate = this.gate.state();
    if (!gate.open) {
      this.submissions?.inc({ outcome: 'HELD' });
      this.logger.warn(`order ${orderId} held: ${gate.reason}; the recovery pass submits it once the broker is healthy`);
      return order.submissionState;
    }
    const result = await this.broker.submitOrder(commandOf(order));
    faultPoint('executor:after-submit');
    this.submissions?.inc({ outcome: result.outcome });
    switch (result.outcome) {
      case 'ACCEPTED':
        return this.recordAccepted(orderId, result.order);
      case 'REJECTED':
        return this.recordRejected(orderId, result.code, result.message);
      case 'DUPLICATE_CLIENT_ORDER_ID':
        return this.resolve(orderId, 'broker already has this client order id');
      case 'UNKNOWN':
        return this.resolve(orderId, result.reason);
      case 'NOT_SENT':
        // Nothing reached the broker (e.g. its circuit breaker is open): the intent stays PENDING and
        // the recovery pass submits it later under the same client order id.
        this.logger.warn(`order ${orderId} not sent: ${result.reason}; left for the recovery pass`);
        return order.submissionState;
    }
  }

  /** Settles an in-doubt order from the broker's answer for its client order id; submits it if the broker never saw it. */
  async resolveOrResubmit(orderId: string): Promise<SubmissionState> {
    const order = await this.orm.em.fork().findOneOrFail(ExecutionOrder, orderId);
    if (!IN_DOUBT.has(order.submissionState)) return order.submissionState;
    const found = await this.broker.getOrderByClientOrderId(clientOrderId(order.clientOrderId));
    return found ? this.recordAccepted(orderId, found) : this.submit(orderId);
  }

  private async resolve(orderId: string, reason: string): Promise<SubmissionState> {
    const order = await this.orm.em.fork().findOneOrFail(ExecutionOrder, orderId);
    try {
      const found = await this.broker.getOrderByClientOrderId(clientOrderId(order.clientOrderId));
      if (found) return await this.recordAccepted(orderId, found);
    } catch (error) {
      reason = `${reason}; lookup failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    return this.recordUnknown(orderId, reason);
  }

  private recordAccepted(orderId: string, report: OrderStatusReport): Promise<SubmissionState> {
    return this.settle(orderId, (order, em, now) => {
      Object.assign(order, { submissionState: 'ACCEPTED', brokerOrderId: report.brokerOrderId, brokerStatus: report.rawStatus, submittedAt: report.submittedAt ?? now });
      return [orderSubmittedEvent(order, report.status, report.submittedAt ?? now)];
    });
  }

  private recordRejected(orderId: string, code: string, message: string): Promise<SubmissionState> {
    return this.settle(orderId, (order, _em, now) => {
      Object.assign(order, { submissionState: 'REJECTED', rejectCode: code, rejectMessage: message });
      return [orderRejectedEvent(order, 'BROKER', now)];
    });
  }

  private async recordUnknown(orderId: string, reason: string): Promise<SubmissionState> {
    this.logger.warn(`order ${orderId} in doubt: ${reason}; the recovery pass will resolve it`);
    return this.settle(orderId, (order) => {
      Object.assign(order, { submissionState: 'UNKNOWN', rejectMessage: reason.slice(0, 500) });
      return null;
    });
  }

  /** Applies an outcome under a row lock, once: a concurrent path that settled first wins and this one changes nothing. */
  private settle(
    orderId: string,
    apply: (order: ExecutionOrder, em: EntityManager, now: Date) => ReturnType<typeof orderSubmittedEvent>[] | null,
  ): Promise<SubmissionState> {
    return this.orm.em.fork().transactional(async (em) => {
      const order = await em.findOneOrFail(ExecutionOrder, orderId, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!IN_DOUBT.has(order.submissionState)) return order.submissionState;
      const now = this.clock.now();
      const events = apply(order, em, now);
      order.attempts += 1;
      order.updatedAt = now;
      if (events) {
        await em.nativeUpdate(DecisionRecord, { decisionId: order.decisionId }, { status: 'EXECUTED', executedAt: now, outcomeCode: order.submissionState });
        await appendToOutbox(sqlOf(em), events);
      }
      return order.submissionState;
    });
  }
}

function commandOf(order: ExecutionOrder): SubmitOrder {
  return {
    clientOrderId: clientOrderId(order.clientOrderId),
    symbol: order.symbol,
    side: order.side,
    orderType: order.orderType,
    timeInForce: order.timeInForce,
    quantity: new Decimal(order.quantity),
    limitPrice: order.limitPrice === null ? null : new Decimal(order.limitPrice),
    stopPrice: order.stopPrice === null ? null : new Decimal(order.stopPrice),
  };
}
