import 'reflect-metadata';
import { startService } from '@tlp/messaging';
import { AppModule, SERVICE } from './app.module';
import { ExecutorConfigSchema } from './executor.config';

void startService({
  service: SERVICE,
  configSchema: ExecutorConfigSchema,
  module: (config) => AppModule.forRoot(config),
  httpPort: (config) => config.EXECUTOR_HTTP_PORT,
  logLevel: (config) => config.EXECUTOR_LOG_LEVEL,
});
