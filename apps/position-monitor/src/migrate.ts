import 'reflect-metadata';
import { loadConfig, runMigrationsCli } from '@tlp/service-runtime';
import { DATABASE } from './app.module';
import { PositionMonitorConfigSchema } from './position-monitor.config';

/** `node migrate.js`: applies pending migrations under the advisory lock and exits; needs only the database URL. */
void runMigrationsCli(() => ({
  ...DATABASE,
  clientUrl: loadConfig(PositionMonitorConfigSchema.pick({ POSITION_MONITOR_DATABASE_URL: true })).POSITION_MONITOR_DATABASE_URL,
}));
