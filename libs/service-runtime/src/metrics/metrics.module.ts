import { type DynamicModule, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { METRICS_REGISTRY, type MetricsOptions, createMetricsRegistry } from './metrics-registry';

/** Global: provides {@link METRICS_REGISTRY} everywhere and serves `GET /metrics`. */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsOptions): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [{ provide: METRICS_REGISTRY, useFactory: () => createMetricsRegistry(options) }],
      exports: [METRICS_REGISTRY],
    };
  }
}
