import 'reflect-metadata';
import { loadConfig, runMigrationsCli } from '@tlp/service-runtime';
import { DATABASE } from './app.module';
import { ExecutorConfigSchema } from './executor.config';

/** `node migrate.js`: applies pending migrations under the advisory lock and exits; needs only the database URL. */
void runMigrationsCli(() => ({
  ...DATABASE,
  clientUrl: loadConfig(ExecutorConfigSchema.pick({ EXECUTOR_DATABASE_URL: true })).EXECUTOR_DATABASE_URL,
}));
