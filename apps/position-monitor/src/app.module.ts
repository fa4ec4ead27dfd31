import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@tlp/messaging';
import { Clock, DatabaseModule, HealthModule, MetricsModule, SystemClock } from '@tlp/service-runtime';
import { Migration0001Initial } from './migrations/migration-0001-initial';
import type { PositionMonitorConfig } from './position-monitor.config';
import { PositionRecord } from './positions/position-record.entity';
import { PositionsModule } from './positions/positions.module';

export const SERVICE = 'position-monitor';

@Module({})
export class AppModule {
  static forRoot(config: PositionMonitorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MetricsModule.forRoot({ service: SERVICE }),
        HealthModule,
        DatabaseModule.forRoot({
          service: SERVICE,
          clientUrl: config.POSITION_MONITOR_DATABASE_URL,
          entities: [PositionRecord],
          migrations: [{ name: '0001-initial', class: Migration0001Initial }],
        }),
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
