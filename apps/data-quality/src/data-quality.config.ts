import { envCsv, envDurationMs, envPort, envUrl } from '@tlp/service-runtime';
import { z } from 'zod';

/** Every setting of the data-quality service, from the environment; all problems reported together at start. */
export const DataQualityConfigSchema = z.object({
  DATA_QUALITY_HTTP_PORT: envPort(3004),
  DATA_QUALITY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  DATA_QUALITY_DATABASE_URL: envUrl(),
  DATA_QUALITY_KAFKA_BROKERS: envCsv(),
  DATA_QUALITY_KAFKA_TOPIC_PREFIX: z.string().default(''),
  DATA_QUALITY_UNLINKED_GRACE: envDurationMs(30_000),
});
export type DataQualityConfig = z.output<typeof DataQualityConfigSchema>;
