import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@tlp/messaging';
import { AuthModule, Clock, DatabaseModule, HealthModule, MetricsModule, SystemClock, authOptionsFromConfig } from '@tlp/service-runtime';
import { ApiModule } from './api/api.module';
import { BrokerModule, brokerConfigOf } from '@tlp/broker';
import { Migration0001Initial } from './migrations/migration-0001-initial';
import { Migration0003ApiRowLevelSecurity } from './migrations/migration-0003-api-row-level-security';
import { Migration0002LifecycleValuationReconciliation } from './migrations/migration-0002-lifecycle-valuation-reconciliation';
import { Migration0004BackfillLifecycles } from './migrations/migration-0004-backfill-lifecycles';
import { Migration0005LinkOwner } from './migrations/migration-0005-link-owner';
import { Migration0006RelinkAudit } from './migrations/migration-0006-relink-audit';
import type { PositionMonitorConfig } from './position-monitor.config';
import { PositionRecord } from './positions/position-record.entity';
import { PositionsModule } from './positions/positions.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { ValuationModule } from './valuation/valuation.module';

export const SERVICE = 'position-monitor';

/** The service's tables: entities and every migration in order (also used by the `migrate` command). */
export const DATABASE = {
  service: SERVICE,
  entities: [PositionRecord],
  migrations: [
    { name: '0001-initial', class: Migration0001Initial },
    { name: '0002-lifecycle-valuation-reconciliation', class: Migration0002LifecycleValuationReconciliation },
    { name: '0003-api-row-level-security', class: Migration0003ApiRowLevelSecurity },
    { name: '0004-backfill-lifecycles', class: Migration0004BackfillLifecycles },
    { name: '0005-link-owner', class: Migration0005LinkOwner },
    { name: '0006-relink-audit', class: Migration0006RelinkAudit },
  ],
};

@Module({})
export class AppModule {
  static forRoot(config: PositionMonitorConfig): DynamicModule {
    const positions = PositionsModule.forRoot({
      defaultMode: config.POSITION_MONITOR_DEFAULT_MODE,
      hedgingAccounts: config.POSITION_MONITOR_HEDGING_ACCOUNTS,
      nettingAccounts: config.POSITION_MONITOR_NETTING_ACCOUNTS,
    });
    return {
      module: AppModule,
      imports: [
        MetricsModule.forRoot({ service: SERVICE }),
        HealthModule,
        DatabaseModule.forRoot({ ...DATABASE, clientUrl: config.POSITION_MONITOR_DATABASE_URL }),
        MessagingModule.forRoot({
          service: SERVICE,
          kafka: { brokers: config.POSITION_MONITOR_KAFKA_BROKERS },
          databaseUrl: config.POSITION_MONITOR_DATABASE_URL,
          topicPrefix: config.POSITION_MONITOR_KAFKA_TOPIC_PREFIX,
        }),
        { module: class ClockModule {}, global: true, providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] },
        AuthModule.forRoot(authOptionsFromConfig('POSITION_MONITOR', config)),
        ApiModule.forRoot({ databaseUrl: config.POSITION_MONITOR_DATABASE_URL }),
        BrokerModule.forRoot(brokerConfigOf('POSITION_MONITOR', config)),
        positions,
        ValuationModule.forRoot(positions, {
          intervalMs: config.POSITION_MONITOR_VALUATION_INTERVAL,
          afterHoursTime: config.POSITION_MONITOR_VALUATION_AFTER_HOURS_TIME,
        }),
        ReconciliationModule.forRoot(positions, {
          accountId: config.POSITION_MONITOR_BROKER_ACCOUNT_ID,
          intervalMs: config.POSITION_MONITOR_RECONCILIATION_INTERVAL,
        }),
      ],
    };
  }
}
