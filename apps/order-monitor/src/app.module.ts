import { Module, type DynamicModule } from '@nestjs/common';
import { BrokerModule, brokerConfigOf } from '@tlp/broker';
import { MessagingModule } from '@tlp/messaging';
import { Clock, DatabaseModule, HealthModule, MetricsModule, SystemClock } from '@tlp/service-runtime';
import { Migration0001Initial } from './migrations/migration-0001-initial';
import { Migration0002OrderLifecycle } from './migrations/migration-0002-order-lifecycle';
import { Migration0003Trades } from './migrations/migration-0003-trades';
import { Migration0004OcoExits } from './migrations/migration-0004-oco-exits';
import type { OrderMonitorConfig } from './order-monitor.config';
import { OrdersModule } from './orders/orders.module';
import { TrackedOrder } from './orders/tracked-order.entity';

export const SERVICE = 'order-monitor';

/** The service's tables: entities and every migration in order (also used by the `migrate` command). */
export const DATABASE = {
  service: SERVICE,
  entities: [TrackedOrder],
  migrations: [
    { name: '0001-initial', class: Migration0001Initial },
    { name: '0002-order-lifecycle', class: Migration0002OrderLifecycle },
    { name: '0003-trades', class: Migration0003Trades },
    { name: '0004-oco-exits', class: Migration0004OcoExits },
  ],
};

@Module({})
export class AppModule {
  static forRoot(config: OrderMonitorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MetricsModule.forRoot({ service: SERVICE }),
        HealthModule,
        DatabaseModule.forRoot({ ...DATABASE, clientUrl: config.ORDER_MONITOR_DATABASE_URL }),
        MessagingModule.forRoot({
          service: SERVICE,
          kafka: { brokers: config.ORDER_MONITOR_KAFKA_BROKERS },
          databaseUrl: config.ORDER_MONITOR_DATABASE_URL,
          topicPrefix: config.ORDER_MONITOR_KAFKA_TOPIC_PREFIX,
        }),
        BrokerModule.forRoot(brokerConfigOf('ORDER_MONITOR', config)),
        { module: class ClockModule {}, global: true, providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] },
        OrdersModule.forRoot({ intervalMs: config.ORDER_MONITOR_POLL_INTERVAL, afterHoursTime: config.ORDER_MONITOR_AFTER_HOURS_POLL_TIME }),
      ],
    };
  }
}
