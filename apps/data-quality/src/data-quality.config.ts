import { brokerEnvFields } from '@tlp/broker';
import { authEnvFields, envBoolean, envCsv, envDurationMs, envPort, envUrl, isWallClockTime } from '@tlp/service-runtime';
import { z } from 'zod';

/** Every setting of the data-quality service, from the environment; all problems reported together at start. */
export const DataQualityConfigSchema = z.object({
  DATA_QUALITY_HTTP_PORT: envPort(3004),
  DATA_QUALITY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  DATA_QUALITY_DATABASE_URL: envUrl(),
  DATA_QUALITY_KAFKA_BROKERS: envCsv(),
  DATA_QUALITY_KAFKA_TOPIC_PREFIX: z.string().default(''),
  DATA_QUALITY_UNLINKED_GRACE: envDurationMs(30_000),
  /** Interval between scheduled check runs. */
  DATA_QUALITY_CHECK_INTERVAL: envDurationMs('15m'),
  /** false: no timer-driven runs (interval and daily); `POST /checks/run` only. */
  DATA_QUALITY_SCHEDULER_ENABLED: envBoolean(true),
  /** Below this share of linked filled orders a LINK_RATE_LOW finding opens (0 to 1). */
  DATA_QUALITY_LINK_RATE_MIN: z.coerce.number().min(0).max(1).default(0.95),
  /** An open position counts as unprotected once it has had no active stop-loss for this long. */
  DATA_QUALITY_UNPROTECTED_GRACE: envDurationMs('2m'),
  /** An open position's mark is stale once older than this. */
  DATA_QUALITY_STALE_MARK_AFTER: envDurationMs('15m'),
  /** An order still SUBMITTED (no accepted, fill or outcome) after this is stuck. */
  DATA_QUALITY_STUCK_SUBMITTED_AFTER: envDurationMs('5m'),
  /** Request relinks for unlinked filled orders with exactly one candidate position. Off in production values. */
  DATA_QUALITY_AUTOFIX_ENABLED: envBoolean(false),
  /** New York wall-clock time (`HH:MM`) of the daily full reconciliation (checks plus broker drift). */
  DATA_QUALITY_DAILY_RECONCILIATION_AT: z
    .string()
    .default('02:00')
    .refine(isWallClockTime, { message: 'expected HH:MM (00:00 to 23:59)' }),
  ...brokerEnvFields('DATA_QUALITY'),
  ...authEnvFields('DATA_QUALITY'),
});
export type DataQualityConfig = z.output<typeof DataQualityConfigSchema>;
