import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BROKER, type BrokerPort } from '@tlp/broker';
import { Clock, deterministicId } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import { PositionMonitorMetrics } from '../position-monitor.metrics';
import { PositionsRepository } from '../positions/positions.repository';
import { ReconciliationRepository } from './reconciliation.repository';
import { ReconciliationWriter } from './reconciliation.writer';
import { reconcilePositions, type BrokerPositionsQuery, type PlatformPositionView, type ReconciliationAction } from './reconciliation';

/** Injection token of the reconciliation settings. */
export const RECONCILIATION_SETTINGS = Symbol('RECONCILIATION_SETTINGS');

export interface ReconciliationSettings {
  /** The platform account the broker credentials trade in; empty turns reconciliation off. */
  readonly accountId: string;
  /** 0 turns the timer off (start-up still runs). */
  readonly intervalMs: number;
}

export type ReconciliationRun =
  | { readonly kind: 'DISABLED' }
  | { readonly kind: 'UNKNOWN'; readonly detail: string }
  | { readonly kind: 'RECONCILED'; readonly actions: readonly ReconciliationAction[]; readonly pendingSymbols: readonly string[] };

/**
 * Reconciles the account's open positions with the broker's at start-up and on a timer (rules in
 * `reconciliation.ts`). Findings are stored in `reconciliation_findings`, counted and logged; closes
 * and adjustments are synthetic fills applied like any other, with deterministic ids.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconciliationService.name);
  private timer: NodeJS.Timeout | null = null;
  private pending: ReadonlyMap<string, string> = new Map();
  private running: Promise<ReconciliationRun> | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly positions: PositionsRepository,
    private readonly findings: ReconciliationRepository,
    private readonly writer: ReconciliationWriter,
    private readonly metrics: PositionMonitorMetrics,
    @Inject(BROKER) private readonly broker: BrokerPort,
    @Inject(RECONCILIATION_SETTINGS) private readonly settings: ReconciliationSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.accountId === '') return;
    void this.runLogged();
    if (this.settings.intervalMs > 0) this.timer = setInterval(() => void this.runLogged(), this.settings.intervalMs);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One run; concurrent callers share the run in progress. */
  run(): Promise<ReconciliationRun> {
    this.running ??= this.metrics.trackReconciliation(() => this.runOnce()).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runLogged(): Promise<void> {
    await this.run().catch((error: unknown) => this.logger.error(`reconciliation failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  private async runOnce(): Promise<ReconciliationRun> {
    const accountId = this.settings.accountId;
    if (accountId === '') return { kind: 'DISABLED' };
    const runAt = this.clock.now();
    const runId = deterministicId('position-monitor.reconciliation', accountId, runAt.toISOString());
    const query = await this.queryBroker();
    const result = reconcilePositions(query, await this.platformViews(accountId), this.pending);
    if (result.kind === 'UNKNOWN') {
      this.metrics.reconciliationRun('UNKNOWN');
      this.logger.warn(`broker positions unavailable, reconciliation result unknown (nothing closed): ${result.detail}`);
      await this.findings.store({ runId, accountId, symbol: null, kind: 'BROKER_QUERY_FAILED', brokerQuantity: null, platformQuantity: null, positionId: null, detail: result.detail, at: runAt });
      return { kind: 'UNKNOWN', detail: result.detail };
    }
    this.pending = result.pending;
    for (const action of result.actions) await this.execute(action, runId, accountId, runAt);
    this.metrics.reconciliationRun('RECONCILED');
    this.metrics.unknownAtPlatformSymbols(result.actions.filter((a) => a.kind === 'UNKNOWN_AT_PLATFORM').length);
    return { kind: 'RECONCILED', actions: result.actions, pendingSymbols: [...result.pending.keys()] };
  }

  private async queryBroker(): Promise<BrokerPositionsQuery> {
    try {
      const held = await this.broker.listPositions();
      return { ok: true, positions: held.map((p) => ({ symbol: p.symbol, quantity: p.quantity, currentPrice: p.currentPrice })) };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  private async platformViews(accountId: string): Promise<PlatformPositionView[]> {
    const em = this.orm.em.fork();
    const open = await this.positions.findOpenInAccount(em, accountId);
    return Promise.all(
      open.map(async ({ state }) => {
        const exitPrice = await this.positions.findExitPrice(em, state);
        const lastFill = await this.positions.lastFillPrice(em, state.positionId);
        return {
          position: state,
          lastPrice: state.markPrice ?? (lastFill === null ? state.averageEntryPrice : new Decimal(lastFill)),
          exitOrderPrice: exitPrice === null ? null : new Decimal(exitPrice),
        };
      }),
    );
  }

  private async execute(action: ReconciliationAction, runId: string, accountId: string, at: Date): Promise<void> {
    this.metrics.reconciliationFinding(action.kind);
    const base = { runId, accountId, symbol: action.symbol, kind: action.kind, at };
    if (action.kind === 'UNKNOWN_AT_PLATFORM' || action.kind === 'AMBIGUOUS_DIFFERENCE') {
      const platformQuantity = action.kind === 'AMBIGUOUS_DIFFERENCE' ? action.platformQuantity : new Decimal(0);
      this.logger.warn(`reconciliation ${action.kind}: broker holds ${action.brokerQuantity.toFixed()} ${action.symbol}, platform ${platformQuantity.toFixed()}`);
      await this.findings.store({ ...base, brokerQuantity: action.brokerQuantity, platformQuantity, positionId: null, detail: `${action.kind} in ${action.symbol}` });
      return;
    }
    const applied = await this.writer.apply(action, runId);
    const detail = applied
      ? action.kind === 'MANUAL_EXIT'
        ? `closed at ${action.price.toFixed()} (${action.priceSource})`
        : `${action.side} ${action.quantity.toFixed()} at ${action.price.toFixed()}`
      : 'position changed since the broker was read; left for the next run';
    this.logger.warn(`reconciliation ${action.kind} of position ${action.positionId}: ${detail}`);
    const brokerQuantity = action.kind === 'MANUAL_EXIT' ? new Decimal(0) : action.brokerQuantity;
    await this.findings.store({ ...base, brokerQuantity, platformQuantity: action.platformQuantity, positionId: action.positionId, detail });
  }
}
