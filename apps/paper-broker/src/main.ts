import pino from 'pino';
import { loadPaperBrokerConfig, PaperBrokerConfigError } from './paper-broker.config';
import { startPaperBroker } from './paper-broker.server';

async function main(): Promise<void> {
  const logger = pino({ name: 'paper-broker' });
  let config;
  try {
    config = loadPaperBrokerConfig(process.env);
  } catch (error) {
    if (!(error instanceof PaperBrokerConfigError)) throw error;
    logger.fatal({ problems: error.problems }, 'invalid configuration');
    process.exit(1);
  }
  const broker = await startPaperBroker(config, { onError: (err) => logger.error({ err }, 'request failed') });
  logger.info({ url: broker.url, wsUrl: broker.wsUrl, seed: config.seed, marketHours: config.marketHours }, 'paper broker listening');
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'paper broker stopping');
    broker.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
