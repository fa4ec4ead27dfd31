import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { HealthController } from './health.controller';
import { ReadinessRegistry, type ReadinessRegistryOptions } from './readiness.registry';

const registry = (options: ReadinessRegistryOptions): Provider => ({
  provide: ReadinessRegistry,
  useFactory: () => new ReadinessRegistry(options),
});

/**
 * Global: provides {@link ReadinessRegistry} everywhere and serves `GET /health/live` and
 * `GET /health/ready`. Import `HealthModule` as is, or `HealthModule.forRoot({ checkTimeoutMs })`.
 */
@Global()
@Module({ controllers: [HealthController], providers: [registry({})], exports: [ReadinessRegistry] })
export class HealthModule {
  /** Nest adds these providers after the decorator's, so this registry replaces the default one. */
  static forRoot(options: ReadinessRegistryOptions = {}): DynamicModule {
    return { module: HealthModule, providers: [registry(options)] };
  }
}
