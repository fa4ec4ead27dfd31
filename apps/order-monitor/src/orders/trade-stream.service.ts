import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BROKER, brokerOrderId, clientOrderId, type BrokerPort, type FillReport, type OrderStatusReport, type TradeUpdate, type TradeUpdateSubscription } from '@tlp/broker';
import { Clock, ReadinessRegistry } from '@tlp/service-runtime';
import { ExitOrdersService } from '../trades/exit-orders.service';
import { decidePoll } from './poll-schedule';
import { FillsService } from './fills.service';
import { OrderMonitorMetrics } from './order-monitor.metrics';
import { eventOfAlpacaStatus, eventOfAlpacaUpdate, type AlpacaOrderQuantities, type AlpacaUpdateReading } from './order-state-machine';
import { OrderTrackingService } from './order-tracking.service';
import type { TrackedOrder } from './tracked-order.entity';

/** How often every open order is reconciled from the broker's REST API, besides start-up and every reconnect. */
export const ORDER_POLLING = Symbol('ORDER_POLLING');
export interface OrderPolling {
  readonly intervalMs: number;
  /** `HH:MM` New York: the daily pass after the close. */
  readonly afterHoursTime: string;
}

const RECHECK_DELAYS_MS = [2_000, 10_000];

function quantitiesOf(order: OrderStatusReport): AlpacaOrderQuantities {
  return { filledQuantity: order.filledQuantity, quantity: order.notional === null ? order.quantity : null };
}

/**
 * Follows the broker's trade-updates stream, routing every update through the order state machine,
 * and reconciles open orders from the broker's REST API at start, after every reconnect and on a
 * timer, so an update missed while disconnected (or dropped) is still applied.
 */
@Injectable()
export class TradeStreamService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TradeStreamService.name);
  private subscription: TradeUpdateSubscription | null = null;
  private catchingUp: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** New York date of the last after-hours pass. */
  private afterHoursDate: string | null = null;
  private readonly rechecks = new Set<NodeJS.Timeout>();

  constructor(
    @Inject(BROKER) private readonly broker: BrokerPort,
    private readonly fills: FillsService,
    private readonly tracking: OrderTrackingService,
    private readonly metrics: OrderMonitorMetrics,
    private readonly readiness: ReadinessRegistry,
    @Inject(ORDER_POLLING) private readonly polling: OrderPolling,
    private readonly exitOrders: ExitOrdersService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register('broker-stream', () => Promise.resolve(this.subscription?.isHealthy() ? true : { ok: false, detail: 'trade-updates stream not connected' }));
    this.subscription = this.broker.streamTradeUpdates({
      onUpdate: (update) => this.process(update),
      onStateChange: (state) => {
        this.metrics.setStreamConnected(state === 'CONNECTED');
        if (state === 'CONNECTED') void this.catchUp();
      },
      onError: (error) => this.logger.warn(`trade stream: ${error.message}`),
    });
    this.timer = setInterval(() => void this.pollTick(), this.polling.intervalMs);
    this.timer.unref();
    void this.broker.getClock().then((clock) => this.metrics.setMarketOpen(clock.isOpen), () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const timer of this.rechecks) clearTimeout(timer);
    await this.subscription?.close();
    await this.catchingUp;
  }

  async process(update: TradeUpdate): Promise<void> {
    const reading = eventOfAlpacaUpdate(update.event, update.order.rawStatus, quantitiesOf(update.order));
    await this.applyReading(reading, update.order, update.fill ? [update.fill] : [], update.at, update.event, 'STREAM');
  }

  /** The timer: polls while the market is open, and once after hours (see poll-schedule.ts). */
  async pollTick(): Promise<void> {
    const marketOpen = await this.broker.getClock().then(
      (clock) => clock.isOpen,
      () => null,
    );
    if (marketOpen !== null) this.metrics.setMarketOpen(marketOpen);
    const decision = decidePoll(this.clock.now(), marketOpen, this.polling.afterHoursTime, this.afterHoursDate);
    this.afterHoursDate = decision.afterHoursDate;
    if (decision.poll) await this.catchUp();
  }

  /** Reconciles every open order from the broker: fills, then status; idempotent. Runs one pass at a time. */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.metrics
      .trackCatchUp(() => this.catchUpOpenOrders())
      .then(() => this.metrics.pollCompleted(true))
      .catch((error: unknown) => {
        this.metrics.pollCompleted(false);
        this.logger.error(`catch-up failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.catchingUp = null;
      });
    return this.catchingUp;
  }

  private async applyReading(reading: AlpacaUpdateReading, order: OrderStatusReport, fills: readonly FillReport[], at: Date, reason: string, source: 'STREAM' | 'HISTORY'): Promise<void> {
    if (reading.kind === 'REFUSED') {
      this.metrics.updateUnreadable(reading.code);
      this.logger.error(`broker order ${order.brokerOrderId}: cannot read ${reading.code} '${reading.word}'; ignored`);
      return;
    }
    const { event } = reading;
    if (event.kind === 'FILLED' || event.kind === 'FILLED_PARTIALLY') {
      for (const fill of fills) await this.fills.apply(fill, source);
      return;
    }
    // The replacement's terms (quantity, prices) go into `order.replaced`; the update carries only the old order.
    const replacement = event.kind === 'REPLACED' && order.replacedBy !== null ? await this.broker.getOrder(order.replacedBy) : null;
    const outcome = await this.tracking.applyStatus(order, event.kind, at, reason, replacement);
    if (outcome === 'UNKNOWN_ORDER' && source === 'STREAM' && event.kind !== 'ACKNOWLEDGED') this.recheckLater(order.clientOrderId);
  }

  /**
   * A status update for an order not tracked yet (its `order.submitted` is still on its way) is not
   * kept: the order is read again from REST shortly after, and the periodic poll is the backstop.
   */
  private recheckLater(id: string): void {
    for (const delayMs of RECHECK_DELAYS_MS) {
      const timer = setTimeout(() => {
        this.rechecks.delete(timer);
        void this.recheck(id);
      }, delayMs);
      timer.unref();
      this.rechecks.add(timer);
    }
  }

  private async recheck(id: string): Promise<void> {
    try {
      const order = await this.tracking.openOrder(id);
      if (order) await this.catchUpOrder(order);
    } catch (error: unknown) {
      this.logger.warn(`recheck of ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async catchUpOpenOrders(): Promise<void> {
    const open = await this.tracking.openOrders();
    for (const order of open) await this.catchUpOrder(order);
    // Exits left in doubt by a crash, and sibling cancels not confirmed yet, are settled on the same pass.
    await this.exitOrders.resolveInDoubt();
  }

  private async catchUpOrder(order: TrackedOrder): Promise<void> {
    const report = order.brokerOrderId
      ? await this.broker.getOrder(brokerOrderId(order.brokerOrderId))
      : await this.broker.getOrderByClientOrderId(clientOrderId(order.clientOrderId));
    if (!report) return;
    const fills = report.filledQuantity.gt(order.filledQuantity) ? await this.fillsOf(report, order.submittedAt) : [];
    for (const fill of fills) await this.fills.apply(fill, 'HISTORY');
    const reading = eventOfAlpacaStatus(report.rawStatus, quantitiesOf(report));
    await this.applyReading(reading, report, [], report.updatedAt, `caught up: ${report.rawStatus}`, 'HISTORY');
  }

  private async fillsOf(report: OrderStatusReport, since: Date): Promise<FillReport[]> {
    const ids = new Set<string>([report.brokerOrderId, ...(report.replaces ? [report.replaces] : [])]);
    const found: FillReport[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.broker.listFills({ after: new Date(since.getTime() - 60_000), direction: 'asc', pageSize: 100, ...(pageToken && { pageToken }) });
      found.push(...page.fills.filter((f) => ids.has(f.brokerOrderId)));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return found.sort((a, b) => a.cumulativeQuantity.comparedTo(b.cumulativeQuantity));
  }
}
