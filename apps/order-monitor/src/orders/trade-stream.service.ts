import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BROKER, brokerOrderId, clientOrderId, type BrokerPort, type FillReport, type TradeUpdate, type TradeUpdateSubscription } from '@tlp/broker';
import { ReadinessRegistry } from '@tlp/service-runtime';
import { FillsService } from './fills.service';
import { OrderMonitorMetrics } from './order-monitor.metrics';
import { OrderTrackingService } from './order-tracking.service';

import type { TrackedOrder } from './tracked-order.entity';

const ENDINGS = { canceled: 'CANCELED', expired: 'EXPIRED', rejected: 'REJECTED' } as const;

/**
 * Follows the broker's trade-updates stream, and catches up from the broker's REST history at start
 * and after every reconnect, so an update missed while disconnected is still applied.
 */
@Injectable()
export class TradeStreamService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TradeStreamService.name);
  private subscription: TradeUpdateSubscription | null = null;
  private catchingUp: Promise<void> | null = null;

  constructor(
    @Inject(BROKER) private readonly broker: BrokerPort,
    private readonly fills: FillsService,
    private readonly tracking: OrderTrackingService,
    private readonly metrics: OrderMonitorMetrics,
    private readonly readiness: ReadinessRegistry,
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
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
    await this.catchingUp;
  }

  async process(update: TradeUpdate): Promise<void> {
    if (update.fill) {
      await this.fills.apply(update.fill, 'STREAM');
      return;
    }
    const ending = ENDINGS[update.event as keyof typeof ENDINGS];
    if (ending) await this.tracking.end(update.order, ending, update.event);
  }

  /** Applies every fill and ending the broker knows of for open orders; idempotent. */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.catchUpOpenOrders()
      .catch((error: unknown) => this.logger.error(`catch-up failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.catchingUp = null;
      });
    return this.catchingUp;
  }

  private async catchUpOpenOrders(): Promise<void> {
    const open = await this.tracking.openOrders();
    for (const order of open) await this.catchUpOrder(order);
  }

  private async catchUpOrder(order: TrackedOrder): Promise<void> {
    const report = order.brokerOrderId
      ? await this.broker.getOrder(brokerOrderId(order.brokerOrderId))
      : await this.broker.getOrderByClientOrderId(clientOrderId(order.clientOrderId));
    if (!report) return;
    if (report.filledQuantity.gt(order.filledQuantity)) {
      for (const fill of await this.fillsOf(report.brokerOrderId, order.submittedAt)) await this.fills.apply(fill, 'HISTORY');
    }
    const ending = ENDINGS[report.status.toLowerCase() as keyof typeof ENDINGS];
    if (ending) await this.tracking.end(report, ending, `caught up: ${report.rawStatus}`);
  }

  private async fillsOf(id: string, since: Date): Promise<FillReport[]> {
    const found: FillReport[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.broker.listFills({ after: new Date(since.getTime() - 60_000), direction: 'asc', pageSize: 100, ...(pageToken && { pageToken }) });
      found.push(...page.fills.filter((f) => f.brokerOrderId === id));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return found.sort((a, b) => a.cumulativeQuantity.comparedTo(b.cumulativeQuantity));
  }
}
