import { brokerEnvFields } from '@tlp/broker';
import { envCsv, isWallClockTime, envDurationMs, envPort, envUrl } from '@tlp/service-runtime';
import { z } from 'zod';

/** Every setting of the order monitor, from the environment; all problems reported together at start. */
export const OrderMonitorConfigSchema = z.object({
  ORDER_MONITOR_HTTP_PORT: envPort(3002),
  ORDER_MONITOR_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  ORDER_MONITOR_DATABASE_URL: envUrl(),
  ORDER_MONITOR_KAFKA_BROKERS: envCsv(),
  ORDER_MONITOR_KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** How often every open order is reconciled from the broker's REST API (besides start and every stream reconnect). */
  ORDER_MONITOR_POLL_INTERVAL: envDurationMs('5m'),
  /** New York `HH:MM` of the daily reconciliation pass after the close (the timer polls only while the market is open otherwise). */
  ORDER_MONITOR_AFTER_HOURS_POLL_TIME: z.string().refine(isWallClockTime, 'expected HH:MM (00:00-23:59), New York time').default('18:00'),
  ...brokerEnvFields('ORDER_MONITOR'),
});
export type OrderMonitorConfig = z.output<typeof OrderMonitorConfigSchema>;
