import { LockMode } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BROKER, type BrokerPort } from '@tlp/broker';
import { sqlOf } from '@tlp/messaging';
import { Clock, METRICS_REGISTRY, jobMetrics } from '@tlp/service-runtime';
import type { Registry } from 'prom-client';
import { ExecutionOrder } from '../decisions/execution-order.entity';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../decisions/executor.tokens';
import type { OrderIntent } from '../decisions/order-intent';
import { OrderSubmissionService } from '../decisions/order-submission.service';
import { recordRiskDenial } from '../decisions/risk-denial.recorder';
import { PreTradeScreeningService } from '../risk/pre-trade-screening.service';
import { claimRun, countSubmitted, findRun, finishRun, type ScheduledRun } from './scheduled-runs.repository';
import { checkRunDue, newYorkWallClock, type RunNotDueReason, type TradingDay } from './trading-schedule';

export type CheckOutcome =
  | { readonly kind: 'NOT_DUE'; readonly reason: RunNotDueReason }
  | { readonly kind: 'RAN' | 'RESUMED'; readonly runDate: string; readonly ordersSubmitted: number }
  | { readonly kind: 'ALREADY_RUN'; readonly runDate: string };

/**
 * The daily run of SCHEDULED mode. On every check: if today's run is due (broker calendar, run time,
 * New York), claim the date in `scheduled_runs`; the replica whose insert succeeds runs it. A date
 * claimed but never finished (crash mid-run) is resumed by the next check of any replica. Each order
 * is taken under a row lock that skips locked rows, so even a resume that overlaps the original run
 * screens and submits every order once. Orders received after the run started wait for the next one.
 */
@Injectable()
export class ScheduledRunService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduledRunService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private calendar: { date: string; days: TradingDay[] } | null = null;

  constructor(
    private readonly orm: MikroORM,
    @Inject(BROKER) private readonly broker: BrokerPort,
    private readonly clock: Clock,
    private readonly screening: PreTradeScreeningService,
    private readonly submission: OrderSubmissionService,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
    @Optional() @Inject(METRICS_REGISTRY) private readonly registry?: Registry,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.executionMode !== 'SCHEDULED') return;
    this.trigger();
    this.timer = setInterval(() => this.trigger(), Math.max(1000, this.settings.scheduleCheckIntervalMs));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async check(): Promise<CheckOutcome> {
    const now = this.clock.now();
    const due = checkRunDue(now, await this.tradingDaysAround(now), this.settings.scheduleTime);
    if (due.kind === 'NOT_DUE') return { kind: 'NOT_DUE', reason: due.reason };
    const claimed = (await claimRun(sqlOf(this.orm.em.fork()), due.runDate, now)) === 'CLAIMED';
    const run = await findRun(sqlOf(this.orm.em.fork()), due.runDate);
    if (!run) throw new Error(`scheduled run ${due.runDate} vanished after its claim`);
    if (!claimed && run.finishedAt) return { kind: 'ALREADY_RUN', runDate: due.runDate };
    if (!claimed) this.logger.warn(`resuming unfinished scheduled run ${due.runDate} started at ${run.startedAt.toISOString()}`);
    await this.execute(run);
    const finished = await findRun(sqlOf(this.orm.em.fork()), due.runDate);
    return { kind: claimed ? 'RAN' : 'RESUMED', runDate: due.runDate, ordersSubmitted: finished?.ordersSubmitted ?? 0 };
  }

  /** Screens and submits the run's SCHEDULED orders in creation order, then marks the run finished. */
  private async execute(run: ScheduledRun): Promise<void> {
    for (let taken = await this.takeNext(run); taken !== null; taken = await this.takeNext(run)) {
      if (taken.kind === 'DENIED') continue;
      const state = await this.submission.submit(taken.orderId);
      this.logger.log(`scheduled run ${run.runDate}: order ${taken.orderId} ${state}`);
    }
    await finishRun(sqlOf(this.orm.em.fork()), run.runDate, this.clock.now());
  }

  /**
   * Takes the oldest SCHEDULED order of the run and screens it, in one transaction: approved, it
   * becomes PENDING with the rounded terms (returned for submission; a crash before the
   * submit leaves it to the recovery pass); denied, it is recorded as a risk denial. Null when none is left.
   */
  private takeNext(run: ScheduledRun): Promise<{ readonly kind: 'SUBMIT'; readonly orderId: string } | { readonly kind: 'DENIED' } | null> {
    return this.orm.em.fork().transactional(async (em) => {
      const order = await em.findOne(
        ExecutionOrder,
        { submissionState: 'SCHEDULED', createdAt: { $lte: run.startedAt } },
        { orderBy: { createdAt: 'asc', orderId: 'asc' }, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
      );
      if (!order) return null;
      const verdict = await this.screening.screen(intentOf(order));
      const now = this.clock.now();
      if (verdict.kind === 'DENIED') {
        await recordRiskDenial(em, order, verdict.denial, now);
        return { kind: 'DENIED' as const };
      }
      const { quantity, limitPrice, stopPrice } = verdict.intent;
      Object.assign(order, { quantity, limitPrice, stopPrice, submissionState: 'PENDING', updatedAt: now });
      await em.flush();
      await countSubmitted(sqlOf(em), run.runDate);
      return { kind: 'SUBMIT' as const, orderId: order.orderId };
    });
  }

  private async tradingDaysAround(now: Date): Promise<TradingDay[]> {
    const { date } = newYorkWallClock(now);
    if (this.calendar?.date !== date) this.calendar = { date, days: await this.broker.getCalendar(date, date) };
    return this.calendar.days;
  }

  private trigger(): void {
    if (this.running) return;
    const check = () => this.check();
    this.running = (this.registry ? jobMetrics(this.registry).track('executor_scheduled_run_check', check) : check())
      .then((outcome) => {
        if (outcome.kind === 'RAN' || outcome.kind === 'RESUMED') this.logger.log(`scheduled run ${outcome.runDate} ${outcome.kind}: ${outcome.ordersSubmitted} order(s) submitted`);
      })
      .catch((error: unknown) => this.logger.error(`scheduled run check failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = null;
      });
  }
}

function intentOf(order: ExecutionOrder): OrderIntent {
  return {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    decisionId: order.decisionId,
    tradeId: order.tradeId,
    legNumber: order.legNumber,
    accountId: order.accountId,
    ownerId: order.ownerId,
    symbol: order.symbol,
    assetClass: order.assetClass,
    multiplier: order.multiplier,
    side: order.side,
    quantity: order.quantity,
    orderType: order.orderType,
    limitPrice: order.limitPrice,
    stopPrice: order.stopPrice,
    timeInForce: order.timeInForce,
    tradeStyle: order.tradeStyle ?? 'DAY',
    plannedEntryPrice: order.plannedEntryPrice,
    plannedStopLoss: order.plannedStopLoss,
    plannedTakeProfit: order.plannedTakeProfit,
  };
}
