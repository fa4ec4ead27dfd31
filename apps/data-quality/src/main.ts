import 'reflect-metadata';
import { startService } from '@tlp/messaging';
import { AppModule, SERVICE } from './app.module';
import { DataQualityConfigSchema } from './data-quality.config';

void startService({
  service: SERVICE,
  configSchema: DataQualityConfigSchema,
  module: (config) => AppModule.forRoot(config),
  httpPort: (config) => config.DATA_QUALITY_HTTP_PORT,
  logLevel: (config) => config.DATA_QUALITY_LOG_LEVEL,
});
