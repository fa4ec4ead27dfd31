import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@tlp/messaging';
import { DatabaseModule, HealthModule, MetricsModule } from '@tlp/service-runtime';
import type { DataQualityConfig } from './data-quality.config';
import { Migration0001Initial } from './migrations/migration-0001-initial';
import { DATA_QUALITY_SETTINGS } from './projection/data-quality.settings';
import { ProjectionModule } from './projection/projection.module';

export const SERVICE = 'data-quality';

/** The service's tables: entities and every migration in order (also used by the `migrate` command). */
export const DATABASE = {
  service: SERVICE,
  entities: [],
  migrations: [{ name: '0001-initial', class: Migration0001Initial }],
};

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
          providers: [{ provide: DATA_QUALITY_SETTINGS, useValue: { unlinkedGraceMs: config.DATA_QUALITY_UNLINKED_GRACE } }],
          exports: [DATA_QUALITY_SETTINGS],
        },
        ProjectionModule,
      ],
    };
  }
}
