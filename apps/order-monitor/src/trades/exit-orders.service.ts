import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  BROKER,
  brokerOrderId,
  clientOrderId,
  isBrokerError,
  newClientOrderId,
  type BrokerPort,
  type OrderStatusReport,
  type SubmitOrder,
} from '@tlp/broker';
import { isTerminalOrderStatus } from '@tlp/contracts';
import { faultPoint } from '@tlp/messaging';
import { Clock } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import type { TerminalStatus } from '../orders/order-events';
import { calculateOcoReplacementQuantity, ocoPairOf, planSiblingCancels, type ExitOrder, type OcoPair, type ExitSubmissionState, type TradeCommand } from './exit-plan';
import { ExitSettlementService } from './exit-settlement.service';
import { TradesRepository } from './trades.repository';
import { TradesService } from './trades.service';

export { PARKED_FILLS, type ParkedFills } from './exit-settlement.service';

export const EXIT_ORDERS_SETTINGS = Symbol('EXIT_ORDERS_SETTINGS');
export interface ExitOrdersSettings {
  /** How long a cancel is read back for before it is left to the recovery pass, ms. */
  readonly cancelConfirmTimeoutMs: number;
}

/** How a sibling cancel ended at the broker. UNCONFIRMED: still working when the wait ran out (the recovery pass retries). */
export type CancelConfirmation = 'CANCELED' | 'FILLED' | 'ENDED' | 'NOT_FOUND' | 'UNCONFIRMED';

const IN_DOUBT: ReadonlySet<ExitSubmissionState> = new Set(['PENDING', 'UNKNOWN']);
const ENDED: Readonly<Record<string, TerminalStatus>> = { CANCELED: 'CANCELED', EXPIRED: 'EXPIRED', REJECTED: 'REJECTED' };

/**
 * Carries out, after commit, the commands the trade journal planned: places exits (one native OCO
 * pair, or each exit on its own), resizes them, cancels the sibling and reads the cancel back.
 * Intent first (the exit row is committed before the broker is called), deterministic client order
 * ids, settle once under a row lock: a crash or a second run never places a second exit. A native
 * OCO is found again by its take-profit's client order id (the stop-loss leg's id is the broker's).
 */
@Injectable()
export class ExitOrdersService {
  private readonly logger = new Logger(ExitOrdersService.name);
  private readonly settings: ExitOrdersSettings;
  private readonly settlement: ExitSettlementService;

  constructor(
    private readonly orm: MikroORM,
    @Inject(BROKER) private readonly broker: BrokerPort,
    private readonly clock: Clock,
    trades: TradesService,
    private readonly repository: TradesRepository,
    // The orders code depends on this service to run commands, so its parked-fill replay is looked up
    // lazily by token (importing FillsService here would make a module cycle).
    moduleRef: ModuleRef,
    @Optional() @Inject(EXIT_ORDERS_SETTINGS) settings?: ExitOrdersSettings,
  ) {
    this.settings = settings ?? { cancelConfirmTimeoutMs: 5000 };
    this.settlement = new ExitSettlementService(orm, clock, trades, repository, moduleRef);
  }

  /** Runs commands returned by `TradesService`, in order; a failure is logged and left to `resolveInDoubt`. */
  async execute(commands: readonly TradeCommand[]): Promise<void> {
    for (const command of commands) {
      try {
        if (command.kind === 'PLACE_EXITS') await this.placeExits(command.tradeId);
        else if (command.kind === 'RESIZE_EXIT') await this.resizeExit(command.orderId);
        else if (command.kind === 'REPLACE_OCO') await this.replaceOco(command.tradeId, command.version);
        else await this.cancelExit(command.orderId);
      } catch (error) {
        this.logger.error(`${command.kind} for trade ${command.tradeId} failed: ${messageOf(error)}; left for the recovery pass`);
      }
    }
  }

  /** Sends every first-version exit of the trade that is not settled yet (a native OCO pair as one order). */
  async placeExits(tradeId: string): Promise<ExitSubmissionState[]> {
    const exits = (await this.repository.exitsOf(this.orm.em.fork(), tradeId)).filter((e) => e.replacesOrderId === null);
    const pair = ocoPairOf(exits, 1);
    if (pair) return IN_DOUBT.has(pair.takeProfit.submissionState) || IN_DOUBT.has(pair.stopLoss.submissionState) ? this.submitOco(pair) : [];
    const states: ExitSubmissionState[] = [];
    for (const exit of exits) states.push(IN_DOUBT.has(exit.submissionState) ? await this.submit(exit) : exit.submissionState);
    return states;
  }

  /** Replaces the previous version at the broker by this one (new quantity, its own client order id). */
  async resizeExit(orderId: string): Promise<ExitSubmissionState> {
    const em = this.orm.em.fork();
    const exit = await this.repository.exit(em, orderId);
    if (!exit || !IN_DOUBT.has(exit.submissionState) || !exit.replacesOrderId) return exit?.submissionState ?? 'REJECTED';
    const found = await this.broker.getOrderByClientOrderId(clientOrderId(exit.clientOrderId));
    if (found) return this.settlement.accepted(exit, found);
    let previous = await this.repository.exit(em, exit.replacesOrderId);
    if (previous && IN_DOUBT.has(previous.submissionState)) {
      await this.resolveOne(previous);
      previous = await this.repository.exit(em, exit.replacesOrderId);
    }
    if (!previous || previous.submissionState === 'REJECTED' || !previous.brokerOrderId) {
      return previous?.submissionState === 'REJECTED' ? this.submit(exit) : exit.submissionState;
    }
    try {
      const report = await this.broker.replaceOrder(brokerOrderId(previous.brokerOrderId), { quantity: exit.quantity, clientOrderId: newClientOrderId(exit.clientOrderId) });
      return await this.settlement.accepted(exit, report);
    } catch (error) {
      if (isBrokerError(error) && !error.retriable && !error.unsent) return this.settlement.rejected(exit, `replace refused: ${error.message}`);
      return this.resolve(exit, `replace failed: ${messageOf(error)}`);
    }
  }

  /**
   * A new version of a native OCO pair: cancels the previous pair and confirms both legs ended, then
   * sends the new pair sized to the open quantity known now (the previous legs' fills as the broker's
   * final reports give them), never larger. Nothing left to protect refuses the new pair (alerted
   * as EXIT_REJECTED). Not sent when the broker already has it (found by client order id).
   */
  async replaceOco(tradeId: string, version: number): Promise<ExitSubmissionState[]> {
    const exits = await this.repository.exitsOf(this.orm.em.fork(), tradeId);
    const pair = ocoPairOf(exits, version);
    const previous = ocoPairOf(exits, version - 1);
    if (!pair || !previous || !inDoubt(pair)) return [];
    const found = await this.broker.getOrderByClientOrderId(clientOrderId(pair.takeProfit.clientOrderId));
    if (found) return this.settleOco(pair, found);
    const ends = [await this.cancelAndConfirm(previous.takeProfit.orderId), await this.cancelAndConfirm(previous.stopLoss.orderId)];
    if (ends.some((e) => e.confirmation === 'UNCONFIRMED')) return [pair.takeProfit.submissionState, pair.stopLoss.submissionState];
    const sized = await this.sizeReplacement(pair, version - 1, ends.map((e) => e.final?.filledQuantity ?? null));
    if (!sized) {
      const message = 'not sent: the previous OCO pair left nothing open to protect';
      return [await this.settlement.rejected(pair.takeProfit, message), await this.settlement.rejected(pair.stopLoss, message)];
    }
    return this.submitOco(sized);
  }

  /** Cancels a working exit and reads it back until its final state; a confirmed end is applied to its order and trade. */
  async cancelExit(orderId: string): Promise<CancelConfirmation> {
    return (await this.cancelAndConfirm(orderId)).confirmation;
  }

  private async cancelAndConfirm(orderId: string): Promise<{ confirmation: CancelConfirmation; final: OrderStatusReport | null }> {
    const exit = await this.repository.exit(this.orm.em.fork(), orderId);
    if (!exit) return { confirmation: 'NOT_FOUND', final: null };
    const report = exit.brokerOrderId
      ? await this.broker.getOrder(brokerOrderId(exit.brokerOrderId))
      : await this.broker.getOrderByClientOrderId(clientOrderId(exit.clientOrderId));
    if (!report) return { confirmation: IN_DOUBT.has(exit.submissionState) ? 'UNCONFIRMED' : 'NOT_FOUND', final: null };
    if (!isTerminalOrderStatus(report.status)) {
      const answer = await this.broker.cancelOrder(report.brokerOrderId);
      if (answer === 'NOT_FOUND') return { confirmation: 'NOT_FOUND', final: null };
    }
    const final = isTerminalOrderStatus(report.status) ? report : await this.confirm(report.brokerOrderId);
    if (!final) return { confirmation: 'UNCONFIRMED', final: null };
    const ending = ENDED[final.status];
    if (ending) await this.settlement.ended(exit, final, ending);
    return { confirmation: final.status === 'FILLED' ? 'FILLED' : final.status === 'CANCELED' ? 'CANCELED' : 'ENDED', final };
  }

  /**
   * Under the trade's lock: the replacement pair's quantity from the trade as it is now and the
   * previous pair's final fills (`finalFilled`: take-profit, stop-loss); the unsent rows take it.
   * Null when nothing is left to protect.
   */
  private async sizeReplacement(pair: OcoPair, previousVersion: number, finalFilled: readonly (Decimal | null)[]): Promise<OcoPair | null> {
    return this.orm.em.fork().transactional(async (em) => {
      const record = await this.repository.lock(em, pair.takeProfit.tradeId);
      const previous = ocoPairOf(await this.repository.exitsOf(em, pair.takeProfit.tradeId), previousVersion);
      if (!record || !previous) return null;
      const quantity = calculateOcoReplacementQuantity(record.trade, [previous.takeProfit, previous.stopLoss], finalFilled);
      if (quantity.lte(0)) return null;
      if (quantity.eq(pair.takeProfit.quantity) && quantity.eq(pair.stopLoss.quantity)) return pair;
      this.logger.log(`OCO v${pair.takeProfit.version} of trade ${record.trade.tradeId} sized ${quantity.toFixed()} (planned ${pair.takeProfit.quantity.toFixed()})`);
      for (const leg of [pair.takeProfit, pair.stopLoss]) await this.repository.resizeUnsentExit(em, leg.orderId, quantity, this.clock.now());
      return { takeProfit: { ...pair.takeProfit, quantity }, stopLoss: { ...pair.stopLoss, quantity } };
    });
  }

  /**
   * Recovery pass (at start and periodically): settles exits left PENDING or UNKNOWN (by client order
   * id at the broker, else submits them under the same id), then retries the sibling cancels of trades
   * still CLOSING.
   */
  async resolveInDoubt(): Promise<{ resolved: number; cancels: number }> {
    const em = this.orm.em.fork();
    const exits = await this.repository.exitsInDoubt(em);
    for (const exit of exits) await this.resolveOne(exit).catch((e: unknown) => this.logger.error(`exit ${exit.orderId}: ${messageOf(e)}`));
    let cancels = 0;
    for (const { trade } of await this.repository.tradesIn(em, 'CLOSING')) {
      for (const command of planSiblingCancels(trade)) {
        cancels += 1;
        await this.execute([command]);
      }
    }
    return { resolved: exits.length, cancels };
  }

  private async resolveOne(exit: ExitOrder): Promise<ExitSubmissionState> {
    if (exit.orderClass === 'OCO') return this.resolveOco(exit);
    if (exit.replacesOrderId) return this.resizeExit(exit.orderId);
    const found = await this.broker.getOrderByClientOrderId(clientOrderId(exit.clientOrderId));
    return found ? this.settlement.accepted(exit, found) : this.submit(exit);
  }

  /** A leg of a native OCO in doubt: the pair is looked up by its take-profit's client order id, else sent (or replaced) again. */
  private async resolveOco(exit: ExitOrder): Promise<ExitSubmissionState> {
    const exits = await this.repository.exitsOf(this.orm.em.fork(), exit.tradeId);
    const pair = ocoPairOf(exits, exit.version);
    if (!pair || !inDoubt(pair)) return exit.submissionState;
    const found = await this.broker.getOrderByClientOrderId(clientOrderId(pair.takeProfit.clientOrderId));
    if (found) await this.settleOco(pair, found);
    else if (exit.version > 1) await this.replaceOco(exit.tradeId, exit.version);
    else await this.submitOco(pair);
    return (await this.repository.exit(this.orm.em.fork(), exit.orderId))?.submissionState ?? exit.submissionState;
  }

  private async submitOco(pair: OcoPair): Promise<ExitSubmissionState[]> {
    const { takeProfit, stopLoss } = pair;
    const result = await this.broker.submitOrder({ ...commandOf(takeProfit), oco: { stopPrice: stopLoss.stopPrice ?? new Decimal(0) } });
    faultPoint('order-monitor:after-exit-submit');
    switch (result.outcome) {
      case 'ACCEPTED':
        return this.settleOco(pair, result.order);
      case 'REJECTED': {
        const message = `${result.code}: ${result.message}`;
        return [await this.settlement.rejected(takeProfit, message), await this.settlement.rejected(stopLoss, message)];
      }
      case 'DUPLICATE_CLIENT_ORDER_ID':
      case 'UNKNOWN': {
        const reason = result.outcome === 'UNKNOWN' ? result.reason : 'broker already has this client order id';
        const found = await this.broker.getOrderByClientOrderId(clientOrderId(takeProfit.clientOrderId)).catch(() => null);
        if (found) return this.settleOco(pair, found);
        return [await this.settlement.unknown(takeProfit, reason), await this.settlement.unknown(stopLoss, reason)];
      }
      case 'NOT_SENT':
        this.logger.warn(`OCO exits of trade ${takeProfit.tradeId} not sent: ${result.reason}; left for the recovery pass`);
        return [takeProfit.submissionState, stopLoss.submissionState];
    }
  }

  /** Both legs accepted: the take-profit is the order itself, the stop-loss its leg (read again when the answer lacks it). */
  private async settleOco(pair: OcoPair, parent: OrderStatusReport): Promise<ExitSubmissionState[]> {
    const leg = parent.legs?.[0] ?? (await this.broker.getOrder(parent.brokerOrderId))?.legs?.[0];
    const takeProfit = await this.settlement.accepted(pair.takeProfit, parent);
    const stopLoss = leg ? await this.settlement.accepted(pair.stopLoss, leg) : await this.settlement.unknown(pair.stopLoss, `OCO ${parent.brokerOrderId} reported without its stop-loss leg`);
    return [takeProfit, stopLoss];
  }

  private async submit(exit: ExitOrder): Promise<ExitSubmissionState> {
    const result = await this.broker.submitOrder(commandOf(exit));
    faultPoint('order-monitor:after-exit-submit');
    switch (result.outcome) {
      case 'ACCEPTED':
        return this.settlement.accepted(exit, result.order);
      case 'REJECTED':
        return this.settlement.rejected(exit, `${result.code}: ${result.message}`);
      case 'DUPLICATE_CLIENT_ORDER_ID':
        return this.resolve(exit, 'broker already has this client order id');
      case 'UNKNOWN':
        return this.resolve(exit, result.reason);
      case 'NOT_SENT':
        this.logger.warn(`exit ${exit.orderId} not sent: ${result.reason}; left for the recovery pass`);
        return exit.submissionState;
    }
  }

  private async resolve(exit: ExitOrder, reason: string): Promise<ExitSubmissionState> {
    try {
      const found = await this.broker.getOrderByClientOrderId(clientOrderId(exit.clientOrderId));
      if (found) return await this.settlement.accepted(exit, found);
    } catch (error) {
      reason = `${reason}; lookup failed: ${messageOf(error)}`;
    }
    return this.settlement.unknown(exit, reason);
  }

  private async confirm(id: ReturnType<typeof brokerOrderId>): Promise<OrderStatusReport | null> {
    const deadline = this.clock.now().getTime() + this.settings.cancelConfirmTimeoutMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      const report = await this.broker.getOrder(id);
      if (report && isTerminalOrderStatus(report.status)) return report;
      if (this.clock.now().getTime() > deadline) return null;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function inDoubt(pair: OcoPair): boolean {
  return IN_DOUBT.has(pair.takeProfit.submissionState) || IN_DOUBT.has(pair.stopLoss.submissionState);
}

function commandOf(exit: ExitOrder): SubmitOrder {
  return {
    clientOrderId: newClientOrderId(exit.clientOrderId),
    symbol: exit.symbol,
    side: exit.side,
    orderType: exit.orderType,
    timeInForce: exit.timeInForce,
    quantity: new Decimal(exit.quantity),
    limitPrice: exit.limitPrice,
    stopPrice: exit.stopPrice,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
