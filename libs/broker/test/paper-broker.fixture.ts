/**
 * Test fixtures for driving the Alpaca adapter against the paper broker started in-process. The
 * paper broker is imported from its app as a stand-in for Alpaca; only tests use this file.
 */
import { Decimal } from 'decimal.js';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test fixture: the simulator that stands in for Alpaca
import { loadPaperBrokerConfig } from '../../../apps/paper-broker/src/paper-broker.config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test fixture: the simulator that stands in for Alpaca
import {
  startPaperBroker,
  type PaperBrokerHandle,
  type PaperBrokerOptions,
} from '../../../apps/paper-broker/src/paper-broker.server';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test fixture: the simulator that stands in for Alpaca
export type { FaultInjector } from '../../../apps/paper-broker/src/faults/fault-injector';
import type { AlpacaBrokerConfig } from '../src/alpaca/alpaca-config';
import { newClientOrderId, type BrokerOrderId } from '../src/broker-ids';
import type { BrokerPort, StreamState, TradeUpdateListener } from '../src/broker.port';
import type { SubmitOrder } from '../src/commands';
import type { BrokerError } from '../src/errors';
import type { TradeUpdate } from '../src/reports';

export type { PaperBrokerHandle };

export class Collector implements TradeUpdateListener {
  readonly updates: TradeUpdate[] = [];
  readonly states: StreamState[] = [];
  readonly errors: BrokerError[] = [];

  onUpdate(update: TradeUpdate): void {
    this.updates.push(update);
  }

  onStateChange(state: StreamState): void {
    this.states.push(state);
  }

  onError(error: BrokerError): void {
    this.errors.push(error);
  }

  of(id: BrokerOrderId): TradeUpdate[] {
    return this.updates.filter((u) => u.order.brokerOrderId === id);
  }

  eventsOf(id: BrokerOrderId): string[] {
    return this.of(id).map((u) => u.event);
  }
}

export async function waitFor<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `nowMs` pins the paper broker's clock (e.g. inside one rate-limit window); `faults` injects failures. */
export async function startBroker(env: Record<string, string>, options: PaperBrokerOptions = {}): Promise<PaperBrokerHandle> {
  const config = loadPaperBrokerConfig({
    PAPER_BROKER_PORT: '0',
    PAPER_BROKER_TICK_MS: '0',
    PAPER_BROKER_LATENCY_MS: '5',
    PAPER_BROKER_HEARTBEAT_MS: '20',
    PAPER_BROKER_RATE_LIMIT_PER_MINUTE: '100000',
    PAPER_BROKER_SEED: 'int-spec',
    PAPER_BROKER_PRICES: 'AAPL:100.00,MSFT:200.00,TSLA:250.00',
    ...env,
  });
  return startPaperBroker(config, options);
}

export function adapterConfig(paper: PaperBrokerHandle, overrides: Partial<AlpacaBrokerConfig> = {}): AlpacaBrokerConfig {
  return {
    baseUrl: paper.url,
    dataBaseUrl: paper.url,
    streamUrl: paper.wsUrl,
    keyId: 'paper-key',
    secretKey: 'paper-secret',
    requestTimeoutMs: 2000,
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
    maxRateLimitWaitMs: 20,
    stream: { reconnectBaseDelayMs: 20, reconnectMaxDelayMs: 200, pingIntervalMs: 1000, handshakeTimeoutMs: 2000 },
    ...overrides,
  };
}

export async function admin(paper: PaperBrokerHandle, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${paper.url}/_admin/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status === 204 ? null : response.json();
}

let sequence = 0;
export function order(overrides: Partial<SubmitOrder> = {}): SubmitOrder {
  sequence += 1;
  return {
    clientOrderId: newClientOrderId(`int-${process.pid}-${sequence}`),
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'MARKET',
    timeInForce: 'DAY',
    quantity: new Decimal(10),
    ...overrides,
  };
}

export async function accepted(broker: BrokerPort, command: SubmitOrder): Promise<BrokerOrderId> {
  const result = await broker.submitOrder(command);
  if (result.outcome !== 'ACCEPTED') throw new Error(`expected ACCEPTED, got ${JSON.stringify(result)}`);
  return result.order.brokerOrderId;
}
