import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BROKER, type BrokerPort, type Quote } from '@tlp/broker';
import { appendToOutbox, sqlOf } from '@tlp/messaging';
import { Clock, deterministicId } from '@tlp/service-runtime';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { PositionMonitorMetrics } from '../position-monitor.metrics';
import { positionUpdated } from '../positions/position-events';
import { PositionRecord } from '../positions/position-record.entity';
import { lockInstrument, PositionsRepository } from '../positions/positions.repository';
import { calculateMark, decideValuation } from './valuation';
import type { Decimal } from 'decimal.js';

/** Injection token of the valuation timer settings. */
export const VALUATION_SCHEDULE = Symbol('VALUATION_SCHEDULE');

export interface ValuationSchedule {
  readonly intervalMs: number;
  /** New York `HH:MM` of the once-a-day pass after the close. */
  readonly afterHoursTime: string;
}

export interface ValuationSummary {
  readonly valued: number;
  readonly skipped: number;
  readonly unchanged: number;
}

/**
 * Values every open position from the broker's latest quotes (see `valuation.ts`): stores mark,
 * market value and unrealized P&L and publishes `position.updated` (cause MARK) through the outbox,
 * one transaction per position under the instrument lock. The first valuation moves an OPEN lifecycle
 * to MONITORING. A position without a quote is skipped and
 * counted; a failed quote request values nothing.
 */
@Injectable()
export class ValuationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ValuationService.name);
  private timer: NodeJS.Timeout | null = null;
  private afterHoursDate: string | null = null;
  private running = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly positions: PositionsRepository,
    private readonly metrics: PositionMonitorMetrics,
    private readonly lifecycle: LifecycleService,
    @Inject(BROKER) private readonly broker: BrokerPort,
    @Inject(VALUATION_SCHEDULE) private readonly schedule: ValuationSchedule,
  ) {}

  onApplicationBootstrap(): void {
    if (this.schedule.intervalMs > 0) this.timer = setInterval(() => void this.tick(), this.schedule.intervalMs);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The timer: values while the market is open, and once after hours (see `decideValuation`). */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const marketOpen = await this.broker.getClock().then((c) => c.isOpen, () => null);
      const decision = decideValuation(this.clock.now(), marketOpen, this.schedule.afterHoursTime, this.afterHoursDate);
      this.afterHoursDate = decision.afterHoursDate;
      if (!decision.run) {
        this.metrics.valuationPass('SKIPPED_CLOSED_MARKET');
        return;
      }
      await this.metrics.trackValuation(() => this.valueAll());
    } catch (error) {
      this.logger.error(`valuation failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }

  async valueAll(): Promise<ValuationSummary | null> {
    const open = await this.orm.em.fork().find(PositionRecord, { status: 'OPEN' }, { fields: ['positionId', 'accountId', 'symbol'] });
    const symbols = [...new Set(open.map((p) => p.symbol))];
    let quotes: Map<string, Quote>;
    try {
      quotes = symbols.length === 0 ? new Map<string, Quote>() : await this.broker.getLatestQuotes(symbols);
    } catch (error) {
      this.metrics.valuationPass('BROKER_FAILED');
      this.logger.warn(`latest quotes unavailable, nothing valued: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
    const runAt = this.clock.now();
    const summary = { valued: 0, skipped: 0, unchanged: 0 };
    for (const { positionId, accountId, symbol } of open) {
      const mark = calculateMark(quotes.get(symbol));
      if (mark === null) {
        summary.skipped += 1;
        continue;
      }
      summary[(await this.mark(positionId, accountId, symbol, mark.price, runAt)) ? 'valued' : 'unchanged'] += 1;
    }
    this.metrics.valuationSkippedPositions(summary.skipped);
    this.metrics.valuationPass('DONE');
    if (summary.skipped > 0) this.logger.warn(`valuation skipped ${summary.skipped} open position(s) without a quote`);
    return summary;
  }

  private async mark(positionId: string, accountId: string, symbol: string, price: Decimal, runAt: Date): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em) => {
      await lockInstrument(em, accountId, symbol);
      const stored = await this.positions.findById(em, positionId);
      if (stored?.state.status !== 'OPEN' || stored.state.markPrice?.equals(price)) return false;
      const state = { ...stored.state, markPrice: price, revision: stored.state.revision + 1 };
      const now = this.clock.now();
      const extras = { ...stored.extras, markedAt: now };
      await this.positions.save(em, state, extras, now);
      const origin = { cause: 'MARK' as const, orderIds: [], executionIds: [], correlationId: deterministicId('position-monitor.valuation', runAt.toISOString()), causationId: null };
      await appendToOutbox(sqlOf(em), [positionUpdated(state, extras, origin, now)]);
      await this.lifecycle.onValued(em, positionId, { cause: 'VALUATION', orderId: null, executionId: null, eventId: null, at: now });
      return true;
    });
  }
}
