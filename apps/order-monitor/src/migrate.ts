import 'reflect-metadata';
import { loadConfig, runMigrationsCli } from '@tlp/service-runtime';
import { DATABASE } from './app.module';
import { OrderMonitorConfigSchema } from './order-monitor.config';

/** `node migrate.js`: applies pending migrations under the advisory lock and exits; needs only the database URL. */
void runMigrationsCli(() => ({
  ...DATABASE,
  clientUrl: loadConfig(OrderMonitorConfigSchema.pick({ ORDER_MONITOR_DATABASE_URL: true })).ORDER_MONITOR_DATABASE_URL,
}));
