export * from './broker-ids';
export * from './commands';
export * from './reports';
export * from './broker.port';
export * from './errors';
export * from './broker.factory';
export { AlpacaBrokerAdapter, type AlpacaAdapterDeps } from './alpaca/alpaca-broker.adapter';
export {
  DEFAULT_RETRY_POLICY,
  DEFAULT_STREAM_POLICY,
  type AlpacaBrokerConfig,
  type AlpacaStreamPolicy,
  type BrokerLogger,
} from './alpaca/alpaca-config';
export type { RetryPolicy } from './alpaca/retry-policy';
export * from './broker.module';
