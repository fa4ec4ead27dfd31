import 'reflect-metadata';
import { startService } from '@tlp/messaging';
import { AppModule, SERVICE } from './app.module';
import { OrderMonitorConfigSchema } from './order-monitor.config';

void startService({
  service: SERVICE,
  configSchema: OrderMonitorConfigSchema,
  module: (config) => AppModule.forRoot(config),
  httpPort: (config) => config.ORDER_MONITOR_HTTP_PORT,
  logLevel: (config) => config.ORDER_MONITOR_LOG_LEVEL,
});
