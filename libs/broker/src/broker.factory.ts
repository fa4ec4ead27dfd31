import type { BrokerPort } from './broker.port';
import { AlpacaBrokerAdapter, type AlpacaAdapterDeps } from './alpaca/alpaca-broker.adapter';
import type { AlpacaBrokerConfig } from './alpaca/alpaca-config';

/** The broker the platform talks to. Alpaca (live, paper or the local paper broker) is the only one so far. */
export function createBroker(config: AlpacaBrokerConfig, deps?: AlpacaAdapterDeps): BrokerPort {
  return new AlpacaBrokerAdapter(config, deps);
}
