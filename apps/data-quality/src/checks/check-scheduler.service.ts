import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock, newYorkWallClock } from '@tlp/service-runtime';
import { DATA_QUALITY_SETTINGS, type DataQualitySettings } from '../projection/data-quality.settings';
import { CheckRunService } from './check-run.service';
import { isDailyRunDue } from './daily-schedule';
import type { RunTrigger } from './finding-catalog';

const DAILY_TICK_MS = 60_000;

/**
 * Runs the standard checks every `DATA_QUALITY_CHECK_INTERVAL` and the full reconciliation daily at
 * `DATA_QUALITY_DAILY_RECONCILIATION_AT` New York. Every replica ticks; the runs' advisory lock and
 * the daily date recorded with the run make each daily run happen once across replicas.
 */
@Injectable()
export class CheckScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CheckScheduler.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> = Promise.resolve();
  private lastDailyDate: string | null = null;

  constructor(
    private readonly runs: CheckRunService,
    private readonly clock: Clock,
    @Inject(DATA_QUALITY_SETTINGS) private readonly settings: DataQualitySettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.schedulerEnabled) return;
    this.timers.push(setInterval(() => this.enqueue('INTERVAL'), this.settings.checkIntervalMs));
    this.timers.push(setInterval(() => this.tickDaily(), DAILY_TICK_MS));
    for (const t of this.timers) t.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.running;
  }

  private tickDaily(): void {
    const wall = newYorkWallClock(this.clock.now());
    if (isDailyRunDue(wall, this.settings.dailyReconciliationAt, this.lastDailyDate)) this.enqueue('DAILY', wall.date);
  }

  /** One run at a time per replica; a tick that finds one under way waits behind it. */
  private enqueue(trigger: RunTrigger, dailyDate?: string): void {
    this.running = this.running.then(async () => {
      try {
        const result = await this.runs.run(trigger);
        if (trigger === 'DAILY' && result.outcome !== 'BUSY') this.lastDailyDate = dailyDate ?? null;
      } catch (error) {
        this.logger.error(`${trigger} check run failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }
}
