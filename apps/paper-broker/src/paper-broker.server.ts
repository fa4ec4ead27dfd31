/**
 * Assembles the paper broker: simulated venue, HTTP API, /stream WebSocket and the market ticker.
 * `startPaperBroker` is what main.ts runs and what tests start in-process (port 0 for a free one).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { v4 as uuidv4 } from 'uuid';
import { NanoTimestamps } from './clock/timestamps';
import type { ExchangeContext } from './exchange/exchange-context';
import { ExchangeState } from './exchange/exchange-state';
import { PaperExchange } from './exchange/paper-exchange.service';
import { TimerScheduler } from './exchange/scheduler';
import { ArmedFaults } from './faults/armed-faults.service';
import { NO_FAULTS, type FaultInjector } from './faults/fault-injector';
import { adminRoutes } from './http/admin.routes';
import { HttpApp } from './http/http-app';
import { marketDataRoutes } from './http/market-data.routes';
import { RateLimiter } from './http/rate-limiter';
import { tradingRoutes } from './http/trading.routes';
import { asOrderId } from './orders/paper-order';
import type { PaperBrokerConfig } from './paper-broker.config';
import { StreamHub } from './stream/stream-hub';

export interface PaperBrokerHandle {
  /** Base URL of both the trading and the market-data API, e.g. `http://127.0.0.1:18080`. */
  url: string;
  /** The trade_updates WebSocket, e.g. `ws://127.0.0.1:18080/stream`. */
  wsUrl: string;
  port: number;
  close(): Promise<void>;
}

export interface PaperBrokerOptions {
  /** The wall clock (epoch ms); tests may pin it. */
  nowMs?: () => number;
  /** A hand-written injector; replaces the armed faults and turns `/_admin/faults` off. */
  faults?: FaultInjector;
  onError?: (error: unknown) => void;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

interface Venue {
  exchange: PaperExchange;
  state: ExchangeState;
  scheduler: TimerScheduler;
}

function buildVenue(config: PaperBrokerConfig, nowMs: () => number, hub: StreamHub): Venue {
  const state = new ExchangeState(config.seed, config.initialPrices);
  const scheduler = new TimerScheduler();
  const ctx: ExchangeContext = {
    state,
    settings: {
      latencyMs: config.latencyMs,
      partialFills: config.partialFills,
      feePerUnit: config.feePerUnit,
      marketHours: config.marketHours,
    },
    timestamps: new NanoTimestamps(nowMs),
    nowMs,
    scheduler,
    newId: () => uuidv4(),
    publish: (update) => hub.publish(update),
  };
  return { exchange: new PaperExchange(ctx), state, scheduler };
}

function buildHttpApp(
  config: PaperBrokerConfig,
  venue: Venue,
  hub: StreamHub,
  options: Required<PaperBrokerOptions>,
  armed: ArmedFaults | null,
): HttpApp {
  const { exchange, state } = venue;
  const { nowMs } = options;
  const nowNs = (): bigint => BigInt(nowMs()) * 1_000_000n;
  const app: HttpApp = new HttpApp({
    keyId: config.keyId,
    secretKey: config.secretKey,
    rateLimiter: new RateLimiter(config.rateLimitPerMinute),
    faults: options.faults,
    nowMs,
    onError: options.onError,
    apiRoutes: [
      ...tradingRoutes({ exchange, state, nowNs }),
      ...marketDataRoutes({ market: state.market, marketHours: config.marketHours, calendar: config.calendar, nowMs, nowNs }),
    ],
    adminRoutes: adminRoutes({
      exchange,
      state,
      streamClients: () => hub.clientCount(),
      dropStreamConnections: () => hub.dropAll(),
      requestCount: () => app.requestCount,
      resetCounters: () => app.resetCounters(),
      faults: armed,
    }),
  });
  return app;
}

export async function startPaperBroker(config: PaperBrokerConfig, options: PaperBrokerOptions = {}): Promise<PaperBrokerHandle> {
  const nowMs = options.nowMs ?? Date.now;
  // The armed faults look orders up and cut streams, both built after them: bound late.
  const late: { venue?: Venue; hub?: StreamHub } = {};
  const armed = options.faults
    ? null
    : new ArmedFaults({
        nowMs,
        describeOrder: (id) => late.venue?.state.orders.get(asOrderId(id)) ?? null,
        disconnectStreams: () => late.hub?.dropAll() ?? 0,
      });
  armed?.arm(config.faults);
  const resolved: Required<PaperBrokerOptions> = {
    nowMs,
    faults: armed ?? options.faults ?? NO_FAULTS,
    onError: options.onError ?? ((error) => console.error(error)),
  };
  const server = createServer();
  const hub = new StreamHub(server, {
    keyId: config.keyId,
    secretKey: config.secretKey,
    heartbeatMs: config.heartbeatMs,
    faults: resolved.faults,
  });
  const venue = buildVenue(config, resolved.nowMs, hub);
  Object.assign(late, { venue, hub });
  server.on('request', buildHttpApp(config, venue, hub, resolved, armed).listener);
  const address = await listen(server, config.port, config.host);
  const ticker = config.tickMs > 0 ? setInterval(() => venue.exchange.tick(), config.tickMs) : null;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${address.port}`,
    wsUrl: `ws://${host}:${address.port}/stream`,
    port: address.port,
    close: async () => {
      if (ticker) clearInterval(ticker);
      venue.scheduler.cancelAll();
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
