import { brokerEnvFields } from '@tlp/broker';
import { PositiveDecimalString } from '@tlp/contracts';
import { envBoolean, envCsv, envDurationMs, envPort, envUrl } from '@tlp/service-runtime';
import { z } from 'zod';
import { isWallClockTime } from './schedule/trading-schedule';

/** Every setting of the executor, from the environment; parsed once at start, all problems reported together. */
export const ExecutorConfigSchema = z.object({
  EXECUTOR_HTTP_PORT: envPort(3001),
  EXECUTOR_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  EXECUTOR_DATABASE_URL: envUrl(),
  EXECUTOR_KAFKA_BROKERS: envCsv(),
  EXECUTOR_KAFKA_TOPIC_PREFIX: z.string().default(''),
  EXECUTOR_BROKER_NAME: z.string().default('alpaca'),
  ...brokerEnvFields('EXECUTOR'),
  EXECUTOR_RECOVERY_GRACE: envDurationMs(15_000),
  EXECUTOR_CANCEL_CONFIRM_TIMEOUT: envDurationMs(10_000),
  /** Largest notional of one order, quote currency (quantity x price x multiplier). */
  EXECUTOR_RISK_MAX_NOTIONAL: PositiveDecimalString.default('10000'),
  /** Largest absolute position per symbol after a full fill, instrument units. */
  EXECUTOR_RISK_MAX_POSITION: PositiveDecimalString.default('1000'),
  /** Symbols that may be traded, comma-separated; empty means all. */
  EXECUTOR_RISK_ALLOWED_INSTRUMENTS: envCsv([]),
  EXECUTOR_RISK_ONE_ACTIVE_TRADE_PER_SYMBOL: envBoolean(true),
  EXECUTOR_RISK_REQUIRE_MARKET_OPEN: envBoolean(true),
  /** SCHEDULED: NEW_TRADE orders wait for the daily run; IMMEDIATE: screened and submitted on arrival. */
  EXECUTOR_EXECUTION_MODE: z.enum(['SCHEDULED', 'IMMEDIATE']).default('SCHEDULED'),
  /** Time of the daily run, `HH:MM` New York wall clock, on the broker's trading days. */
  EXECUTOR_SCHEDULE_TIME: z.string().refine(isWallClockTime, 'expected HH:MM (00:00-23:59), New York time').default('09:45'),
  /** How often the scheduler checks whether a run is due (and resumes an unfinished one). */
  EXECUTOR_SCHEDULE_CHECK_INTERVAL: envDurationMs(30_000),
});
export type ExecutorConfig = z.output<typeof ExecutorConfigSchema>;
