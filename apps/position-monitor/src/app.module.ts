import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@tlp/messaging';
import { Clock, DatabaseModule, HealthModule, MetricsModule, SystemClock } from '@tlp/service-runtime';
import { Migration0001Initial } from './migrations/migration-0001-initial';
import type { PositionMonitorConfig } from './position-monitor.config';
import { PositionRecord } from './positions/position-record.entity';
import { PositionsModule } from './positions/positions.module';

export const SERVICE = 'position-monitor';

/** The service's tables: entities and every migration in order (also used by the `migrate` command). */
export const DATABASE = {
  service: SERVICE,
  entities: [PositionRecord],
  migrations: [{ name: '0001-initial', class: Migration0001Initial }],
};

@Module({})
export class AppModule {
  static forRoot(config: PositionMonitorConfig): DynamicModule {
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
        PositionsModule,
      ],
    };
  }
}
