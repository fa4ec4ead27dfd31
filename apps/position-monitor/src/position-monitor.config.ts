import { envCsv, envPort, envUrl } from '@tlp/service-runtime';
import { z } from 'zod';

/** Every setting of the position monitor, from the environment; all problems reported together at start. */
export const PositionMonitorConfigSchema = z.object({
  POSITION_MONITOR_HTTP_PORT: envPort(3003),
  POSITION_MONITOR_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  POSITION_MONITOR_DATABASE_URL: envUrl(),
  POSITION_MONITOR_KAFKA_BROKERS: envCsv(),
  POSITION_MONITOR_KAFKA_TOPIC_PREFIX: z.string().default(''),
});
export type PositionMonitorConfig = z.output<typeof PositionMonitorConfigSchema>;
