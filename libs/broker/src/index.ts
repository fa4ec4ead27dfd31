export * from './broker-ids';
export * from './commands';
export * from './reports';
export * from './broker.port';
export * from './broker-health';
export * from './broker-metrics';
export { createBrokerPromMetrics } from './broker-prom.metrics';
export * from './errors';
export * from './broker.factory';
export { AlpacaBrokerAdapter, type AlpacaAdapterDeps } from './alpaca/alpaca-broker.adapter';
export {
  readAlpacaStatus,
  readAlpacaUpdate,
  type BrokerOrderEventKind,
  type BrokerReadingRefusal,
  type BrokerUpdateReading,
} from './alpaca/alpaca-update-reading';
export {
  DEFAULT_CIRCUIT_BREAKER_POLICY,
  DEFAULT_RATE_LIMIT_POLICY,
  DEFAULT_RETRY_POLICY,
  DEFAULT_STREAM_POLICY,
  type AlpacaBrokerConfig,
  type AlpacaStreamPolicy,
  type BrokerLogger,
} from './alpaca/alpaca-config';
export type { RetryPolicy } from './alpaca/retry-policy';
export type { RateLimitPolicy } from './alpaca/request-budget';
export type { CircuitBreakerPolicy } from './alpaca/circuit-breaker';
export * from './broker.module';
