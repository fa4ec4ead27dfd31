import { brokerEnvFields } from '@tlp/broker';
import { authEnvFields, envCsv, envDurationMs, envPort, envUrl, isWallClockTime } from '@tlp/service-runtime';
import { z } from 'zod';

const wallClockTime = (fallback: string) =>
  z.string().refine(isWallClockTime, 'expected HH:MM (00:00-23:59), New York time').default(fallback);

/** Every setting of the position monitor, from the environment; all problems reported together at start. */
export const PositionMonitorConfigSchema = z.object({
  POSITION_MONITOR_HTTP_PORT: envPort(3003),
  POSITION_MONITOR_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  POSITION_MONITOR_DATABASE_URL: envUrl(),
  POSITION_MONITOR_KAFKA_BROKERS: envCsv(),
  POSITION_MONITOR_KAFKA_TOPIC_PREFIX: z.string().default(''),
  ...authEnvFields('POSITION_MONITOR'),
  /** Position mode of every account not listed below: one position per account and instrument, or one per trade. */
  POSITION_MONITOR_DEFAULT_MODE: z.enum(['NETTING', 'HEDGING']).default('NETTING'),
  /** Accounts in hedging mode (one position per trade id) when the default is NETTING. */
  POSITION_MONITOR_HEDGING_ACCOUNTS: envCsv([]),
  /** Accounts in netting mode when the default is HEDGING. */
  POSITION_MONITOR_NETTING_ACCOUNTS: envCsv([]),
  /** How often open positions are valued from the broker's latest quotes while the market is open. */
  POSITION_MONITOR_VALUATION_INTERVAL: envDurationMs('10m'),
  /** New York `HH:MM` of the daily valuation after the close. */
  POSITION_MONITOR_VALUATION_AFTER_HOURS_TIME: wallClockTime('18:15'),
  /** How often positions are reconciled with the broker's (besides start-up); 0 turns the timer off. */
  POSITION_MONITOR_RECONCILIATION_INTERVAL: envDurationMs('5m'),
  /** The platform account the broker credentials trade in; empty turns reconciliation off. */
  POSITION_MONITOR_BROKER_ACCOUNT_ID: z.string().default(''),
  ...brokerEnvFields('POSITION_MONITOR'),
});
export type PositionMonitorConfig = z.output<typeof PositionMonitorConfigSchema>;
