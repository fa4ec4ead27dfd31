import type { DynamicModule } from '@nestjs/common';
import type { Level } from 'pino';
import { createHttpApp, createLogger, exitOnConfigError, listen, loadConfig } from '@tlp/service-runtime';
import type { z } from 'zod';
import { KafkaEventTransport } from './kafka-event.transport';

export interface ServiceDefinition<S extends z.ZodType<object>> {
  readonly service: string;
  readonly configSchema: S;
  readonly module: (config: z.output<S>) => DynamicModule;
  readonly httpPort: (config: z.output<S>) => number;
  readonly logLevel: (config: z.output<S>) => Level;
}

/**
 * What every service's `main.ts` does: load and validate config (exit 1 listing every problem),
 * build the Nest app, attach the Kafka transport, start consuming, then serve HTTP.
 */
export async function startService<S extends z.ZodType<object>>(definition: ServiceDefinition<S>): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(definition.configSchema)) as z.output<S>;
  const logger = createLogger({ service: definition.service, level: definition.logLevel(config) });
  try {
    const app = await createHttpApp(definition.module(config), { logger });
    app.connectMicroservice({ strategy: app.get(KafkaEventTransport) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    const url = await listen(app, definition.httpPort(config));
    logger.info({ url }, `${definition.service} started`);
  } catch (error) {
    logger.fatal({ err: error }, `${definition.service} failed to start`);
    process.exit(1);
  }
}
