import { Module, type DynamicModule } from '@nestjs/common';
import { envDurationMs, envUrl, METRICS_REGISTRY } from '@tlp/service-runtime';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { AlpacaBrokerConfig } from './alpaca/alpaca-config';
import { createBrokerPromMetrics } from './broker-prom.metrics';
import { createBroker } from './broker.factory';

/** Injection token of the service's `BrokerPort`. */
export const BROKER = Symbol('BROKER');

/** Injection token of the same adapter seen as `BrokerHealth` (circuit state, for readiness and gating). */
export const BROKER_HEALTH = Symbol('BROKER_HEALTH');

/**
 * The broker settings every service shares, under the service's env prefix, e.g.
 * `EXECUTOR_BROKER_BASE_URL`. Spread into the app's config schema.
 */
export function brokerEnvFields<P extends string>(prefix: P) {
  return {
    [`${prefix}_BROKER_BASE_URL`]: envUrl(),
    [`${prefix}_BROKER_DATA_URL`]: envUrl(),
    [`${prefix}_BROKER_STREAM_URL`]: envUrl(),
    [`${prefix}_BROKER_KEY_ID`]: z.string().min(1),
    [`${prefix}_BROKER_SECRET_KEY`]: z.string().min(1),
    [`${prefix}_BROKER_TIMEOUT`]: envDurationMs(10_000),
  } as Record<`${P}_BROKER_${'BASE_URL' | 'DATA_URL' | 'STREAM_URL' | 'KEY_ID' | 'SECRET_KEY'}`, z.ZodType<string, string | undefined>> &
    Record<`${P}_BROKER_TIMEOUT`, z.ZodType<number, string | undefined>>;
}

type BrokerEnv<P extends string> = { readonly [K in keyof ReturnType<typeof brokerEnvFields<P>>]: K extends `${string}_TIMEOUT` ? number : string };

/** Reads the fields declared by `brokerEnvFields(prefix)` from a parsed config. */
export function brokerConfigOf<P extends string>(prefix: P, config: BrokerEnv<P>): AlpacaBrokerConfig {
  const c = config as unknown as Record<string, string | number>;
  return {
    baseUrl: String(c[`${prefix}_BROKER_BASE_URL`]),
    dataBaseUrl: String(c[`${prefix}_BROKER_DATA_URL`]),
    streamUrl: String(c[`${prefix}_BROKER_STREAM_URL`]),
    keyId: String(c[`${prefix}_BROKER_KEY_ID`]),
    secretKey: String(c[`${prefix}_BROKER_SECRET_KEY`]),
    requestTimeoutMs: Number(c[`${prefix}_BROKER_TIMEOUT`]),
  };
}

/**
 * Global: provides `BROKER` (the Alpaca adapter, against Alpaca or the local paper broker) and
 * `BROKER_HEALTH`. Its metrics go to `METRICS_REGISTRY` when `MetricsModule` is loaded.
 */
@Module({})
export class BrokerModule {
  static forRoot(config: AlpacaBrokerConfig): DynamicModule {
    return {
      module: BrokerModule,
      global: true,
      providers: [
        {
          provide: BROKER,
          useFactory: (registry: Registry | undefined) =>
            createBroker(config, registry ? { metrics: createBrokerPromMetrics(registry) } : {}),
          inject: [{ token: METRICS_REGISTRY, optional: true }],
        },
        { provide: BROKER_HEALTH, useExisting: BROKER },
      ],
      exports: [BROKER, BROKER_HEALTH],
    };
  }
}
