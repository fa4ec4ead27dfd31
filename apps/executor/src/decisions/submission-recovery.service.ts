import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock, METRICS_REGISTRY, jobMetrics } from '@tlp/service-runtime';
import type { Registry } from 'prom-client';
import type { Decision } from '@tlp/contracts';
import { AmendmentService } from './amendment.service';
import { CancellationService } from './cancellation.service';
import { DecisionRecord } from './decision-record.entity';
import { ExecutionOrder } from './execution-order.entity';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from './executor.tokens';
import { OrderSubmissionService } from './order-submission.service';

/**
 * Crash recovery: at start-up and then on a timer, every submission still in doubt (committed intent,
 * no recorded outcome) is settled by asking the broker for its client order id, and submitted under
 * that same id only if the broker never saw it.
 */
@Injectable()
export class SubmissionRecoveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SubmissionRecoveryService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly submission: OrderSubmissionService,
    private readonly cancellation: CancellationService,
    private readonly amendment: AmendmentService,
    private readonly clock: Clock,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
    @Optional() @Inject(METRICS_REGISTRY) private readonly registry?: Registry,
  ) {}

  onApplicationBootstrap(): void {
    this.trigger(0);
    this.timer = setInterval(() => this.trigger(this.settings.recoveryGraceMs), Math.max(1000, this.settings.recoveryGraceMs));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Resolves every in-doubt order and unsettled CANCEL older than `graceMs`; returns how many it looked at. */
  async resolveInDoubt(graceMs: number): Promise<number> {
    const before = new Date(this.clock.now().getTime() - graceMs);
    const orders = await this.orm.em
      .fork()
      .find(ExecutionOrder, { submissionState: { $in: ['PENDING', 'UNKNOWN'] }, createdAt: { $lte: before } }, { orderBy: { createdAt: 'asc' }, limit: 100 });
    for (const order of orders) {
      try {
        const state = await this.submission.resolveOrResubmit(order.orderId);
        this.logger.log(`recovered order ${order.orderId}: ${state}`);
      } catch (error) {
        this.logger.warn(`order ${order.orderId} still in doubt: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return orders.length + (await this.retryCancels(before));
  }

  /** CANCEL and AMEND decisions received but not settled (crash, or the broker had not confirmed yet) are executed again. */
  private async retryCancels(before: Date): Promise<number> {
    const pending = await this.orm.em
      .fork()
      .find(DecisionRecord, { action: { $in: ['CANCEL', 'AMEND'] }, status: 'RECEIVED', receivedAt: { $lte: before } }, { orderBy: { receivedAt: 'asc' }, limit: 100 });
    for (const record of pending) {
      const decision = record.payload as Decision;
      const outcome =
        decision.action === 'AMEND'
          ? await this.amendment.execute(decision)
          : decision.action === 'CANCEL'
            ? await this.cancellation.execute(record.decisionId, decision.targetDecisionId)
            : 'NOT_RETRIED';
      this.logger.log(`${record.action} decision ${record.decisionId}: ${outcome}`);
    }
    return pending.length;
  }

  private trigger(graceMs: number): void {
    if (this.running) return;
    const pass = () => this.resolveInDoubt(graceMs);
    this.running = (this.registry ? jobMetrics(this.registry).track('executor_recovery_pass', pass) : pass())
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error(`recovery pass failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = null;
      });
  }
}
