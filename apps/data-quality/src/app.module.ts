import { Module, type DynamicModule } from '@nestjs/common';
import { BrokerModule, brokerConfigOf } from '@tlp/broker';
import { MessagingModule } from '@tlp/messaging';
import {
  AuthModule,
  authOptionsFromConfig,
  Clock,
  DatabaseModule,
  HealthModule,
  IdGenerator,
  MetricsModule,
  RandomIdGenerator,
  SystemClock,
} from '@tlp/service-runtime';
import { ChecksModule } from './checks/checks.module';
import type { DataQualityConfig } from './data-quality.config';
import { Migration0001Initial } from './migrations/migration-0001-initial';
import { Migration0002Checks } from './migrations/migration-0002-checks';
import { Migration0003DuplicateExecutions } from './migrations/migration-0003-duplicate-executions';
import { Migration0004LinkedFlag } from './migrations/migration-0004-linked-flag';
import { Migration0005FillFigures } from './migrations/migration-0005-fill-figures';
import { DATA_QUALITY_SETTINGS, type DataQualitySettings } from './projection/data-quality.settings';
import { ProjectionModule } from './projection/projection.module';

export const SERVICE = 'data-quality';

/** The service's tables: entities and every migration in order (also used by the `migrate` command). */
export const DATABASE = {
  service: SERVICE,
  entities: [],
  migrations: [
    { name: '0001-initial', class: Migration0001Initial },
    { name: '0002-checks', class: Migration0002Checks },
    { name: '0003-duplicate-executions', class: Migration0003DuplicateExecutions },
    { name: '0004-linked-flag', class: Migration0004LinkedFlag },
    { name: '0005-fill-figures', class: Migration0005FillFigures },
  ],
};

export function settingsOf(config: DataQualityConfig): DataQualitySettings {
  return {
    unlinkedGraceMs: config.DATA_QUALITY_UNLINKED_GRACE,
    linkRateMin: config.DATA_QUALITY_LINK_RATE_MIN,
    unprotectedGraceMs: config.DATA_QUALITY_UNPROTECTED_GRACE,
    staleMarkAfterMs: config.DATA_QUALITY_STALE_MARK_AFTER,
    stuckSubmittedAfterMs: config.DATA_QUALITY_STUCK_SUBMITTED_AFTER,
    autofixEnabled: config.DATA_QUALITY_AUTOFIX_ENABLED,
    checkIntervalMs: config.DATA_QUALITY_CHECK_INTERVAL,
    schedulerEnabled: config.DATA_QUALITY_SCHEDULER_ENABLED,
    dailyReconciliationAt: config.DATA_QUALITY_DAILY_RECONCILIATION_AT,
  };
}

@Module({})
export class AppModule {
  static forRoot(config: DataQualityConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MetricsModule.forRoot({ service: SERVICE }),
        HealthModule,
        DatabaseModule.forRoot({ ...DATABASE, clientUrl: config.DATA_QUALITY_DATABASE_URL }),
        MessagingModule.forRoot({
          service: SERVICE,
          kafka: { brokers: config.DATA_QUALITY_KAFKA_BROKERS },
          databaseUrl: config.DATA_QUALITY_DATABASE_URL,
          topicPrefix: config.DATA_QUALITY_KAFKA_TOPIC_PREFIX,
        }),
        {
          module: class SettingsModule {},
          global: true,
          providers: [
            { provide: DATA_QUALITY_SETTINGS, useValue: settingsOf(config) },
            { provide: Clock, useClass: SystemClock },
            { provide: IdGenerator, useClass: RandomIdGenerator },
          ],
          exports: [DATA_QUALITY_SETTINGS, Clock, IdGenerator],
        },
        AuthModule.forRoot(authOptionsFromConfig('DATA_QUALITY', config)),
        BrokerModule.forRoot(brokerConfigOf('DATA_QUALITY', config)),
        ProjectionModule,
        ChecksModule,
      ],
    };
  }
}
