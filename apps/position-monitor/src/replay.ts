import 'reflect-metadata';
import { loadConfig } from '@tlp/service-runtime';
import { PositionMonitorConfigSchema } from './position-monitor.config';
import { runReplay } from './replay/replay.command';

/**
 * `node replay.js [--keep]`: rebuilds every position from `order.filled` into a scratch schema and
 * compares it with the stored state; prints the report as JSON, exits 0 when equal and 2 when not.
 * Needs the database URL, the Kafka brokers and topic prefix, and the position-mode settings.
 */
const config = loadConfig(
  PositionMonitorConfigSchema.pick({
    POSITION_MONITOR_DATABASE_URL: true,
    POSITION_MONITOR_KAFKA_BROKERS: true,
    POSITION_MONITOR_KAFKA_TOPIC_PREFIX: true,
    POSITION_MONITOR_DEFAULT_MODE: true,
    POSITION_MONITOR_HEDGING_ACCOUNTS: true,
    POSITION_MONITOR_NETTING_ACCOUNTS: true,
  }),
);
runReplay({
  databaseUrl: config.POSITION_MONITOR_DATABASE_URL,
  storedSchema: 'public',
  kafkaBrokers: config.POSITION_MONITOR_KAFKA_BROKERS,
  topicPrefix: config.POSITION_MONITOR_KAFKA_TOPIC_PREFIX,
  modes: {
    defaultMode: config.POSITION_MONITOR_DEFAULT_MODE,
    hedgingAccounts: config.POSITION_MONITOR_HEDGING_ACCOUNTS,
    nettingAccounts: config.POSITION_MONITOR_NETTING_ACCOUNTS,
  },
  keepScratch: process.argv.includes('--keep'),
  scratchSchema: `replay_${Date.now().toString(36)}`,
})
  .then((report) => {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exitCode = report.equal ? 0 : 2;
  })
  .catch((error: unknown) => {
    process.stderr.write(`replay failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
