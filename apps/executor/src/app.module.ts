import { Module, type DynamicModule } from '@nestjs/common';
import { BrokerModule, brokerConfigOf } from '@tlp/broker';
import { MessagingModule } from '@tlp/messaging';
import { Clock, DatabaseModule, HealthModule, MetricsModule, SystemClock } from '@tlp/service-runtime';
import { DecisionRecord } from './decisions/decision-record.entity';
import { DecisionsModule } from './decisions/decisions.module';
import { ExecutionOrder } from './decisions/execution-order.entity';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from './decisions/executor.tokens';
import type { ExecutorConfig } from './executor.config';
import { Migration0001Initial } from './migrations/migration-0001-initial';
import { Migration0002TradePlan } from './migrations/migration-0002-trade-plan';
import { Migration0003ScheduledRuns } from './migrations/migration-0003-scheduled-runs';
import { Migration0004CanceledBeforeSubmission } from './migrations/migration-0004-canceled-before-submission';
import { RISK_SETTINGS, type RiskSettings } from './risk/pre-trade-screening.service';
import { riskLimitsOf } from './risk/risk-limits';
import { ScheduleModule } from './schedule/schedule.module';

export const SERVICE = 'executor';

/** Holds the executor-wide providers (clock, settings) as a global module. */
class ExecutorCoreModule {}

/** The service's tables: entities and every migration in order (also used by the `migrate` command). */
export const DATABASE = {
  service: SERVICE,
  entities: [DecisionRecord, ExecutionOrder],
  migrations: [
    { name: '0001-initial', class: Migration0001Initial },
    { name: '0002-trade-plan', class: Migration0002TradePlan },
    { name: '0003-scheduled-runs', class: Migration0003ScheduledRuns },
    { name: '0004-canceled-before-submission', class: Migration0004CanceledBeforeSubmission },
  ],
};

@Module({})
export class AppModule {
  static forRoot(config: ExecutorConfig): DynamicModule {
    const settings: ExecutorSettings = {
      brokerName: config.EXECUTOR_BROKER_NAME,
      recoveryGraceMs: config.EXECUTOR_RECOVERY_GRACE,
      cancelConfirmTimeoutMs: config.EXECUTOR_CANCEL_CONFIRM_TIMEOUT,
      executionMode: config.EXECUTOR_EXECUTION_MODE,
      scheduleTime: config.EXECUTOR_SCHEDULE_TIME,
      scheduleCheckIntervalMs: config.EXECUTOR_SCHEDULE_CHECK_INTERVAL,
    };
    const risk: RiskSettings = {
      limits: riskLimitsOf({
        maxNotionalPerOrder: config.EXECUTOR_RISK_MAX_NOTIONAL,
        maxPositionPerSymbol: config.EXECUTOR_RISK_MAX_POSITION,
        allowedInstruments: config.EXECUTOR_RISK_ALLOWED_INSTRUMENTS.length === 0 ? 'ALL' : config.EXECUTOR_RISK_ALLOWED_INSTRUMENTS,
        oneActiveTradePerSymbol: config.EXECUTOR_RISK_ONE_ACTIVE_TRADE_PER_SYMBOL,
      }),
      requireMarketOpen: config.EXECUTOR_RISK_REQUIRE_MARKET_OPEN,
    };
    return {
      module: AppModule,
      imports: [
        MetricsModule.forRoot({ service: SERVICE }),
        HealthModule,
        DatabaseModule.forRoot({ ...DATABASE, clientUrl: config.EXECUTOR_DATABASE_URL }),
        MessagingModule.forRoot({
          service: SERVICE,
          kafka: { brokers: config.EXECUTOR_KAFKA_BROKERS },
          databaseUrl: config.EXECUTOR_DATABASE_URL,
          topicPrefix: config.EXECUTOR_KAFKA_TOPIC_PREFIX,
        }),
        {
          module: ExecutorCoreModule,
          global: true,
          providers: [
            { provide: Clock, useClass: SystemClock },
            { provide: EXECUTOR_SETTINGS, useValue: settings },
            { provide: RISK_SETTINGS, useValue: risk },
          ],
          exports: [Clock, EXECUTOR_SETTINGS, RISK_SETTINGS],
        },
        BrokerModule.forRoot(brokerConfigOf('EXECUTOR', config)),
        DecisionsModule,
        ScheduleModule,
      ],
    };
  }
}
