import 'reflect-metadata';
import { startService } from '@tlp/messaging';
import { AppModule, SERVICE } from './app.module';
import { PositionMonitorConfigSchema } from './position-monitor.config';

void startService({
  service: SERVICE,
  configSchema: PositionMonitorConfigSchema,
  module: (config) => AppModule.forRoot(config),
  httpPort: (config) => config.POSITION_MONITOR_HTTP_PORT,
  logLevel: (config) => config.POSITION_MONITOR_LOG_LEVEL,
});
