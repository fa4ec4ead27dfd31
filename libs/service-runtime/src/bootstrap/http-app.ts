import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { PinoNestLogger } from '../logging/pino-nest-logger';

export interface HttpAppOptions {
  /** The app's logger; Nest's own lines go through it with `component: "nest"`. */
  readonly logger: Logger;
  /** Trust `X-Forwarded-*` from a proxy in front. Default false. */
  readonly trustProxy?: boolean;
}

/**
 * Builds a Nest app on Fastify with JSON logs and shutdown hooks. Providers are created (so
 * start-up migrations have run) but `onModuleInit` hooks wait for `listen`/`init`, and nothing
 * listens yet, so `main.ts` can connect consumers in between. Bootstrap errors are thrown rather
 * than turned into `process.abort()`. Typed config goes to the root module: `AppModule.forRoot(config)`.
 */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ trustProxy: options.trustProxy ?? false }),
    { logger: new PinoNestLogger(options.logger.child({ component: 'nest' })), abortOnError: false },
  );
  app.enableShutdownHooks();
  return app;
}

/** Starts serving HTTP; `host` defaults to all interfaces (a container). Returns the bound URL. */
export async function listen(app: NestFastifyApplication, port: number, host = '0.0.0.0'): Promise<string> {
  await app.listen(port, host);
  return app.getUrl();
}
