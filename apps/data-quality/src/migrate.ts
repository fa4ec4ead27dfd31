import 'reflect-metadata';
import { loadConfig, runMigrationsCli } from '@tlp/service-runtime';
import { DATABASE } from './app.module';
import { DataQualityConfigSchema } from './data-quality.config';

/** `node migrate.js`: applies pending migrations under the advisory lock and exits; needs only the database URL. */
void runMigrationsCli(() => ({
  ...DATABASE,
  clientUrl: loadConfig(DataQualityConfigSchema.pick({ DATA_QUALITY_DATABASE_URL: true })).DATA_QUALITY_DATABASE_URL,
}));
