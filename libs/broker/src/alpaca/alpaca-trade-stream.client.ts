/**
 * One logical subscription to Alpaca trade_updates over as many sockets as it takes. Invariants:
 * updates and state changes reach the listener one at a time, in arrival order (each waits for the
 * previous `onUpdate` promise); CONNECTED is reported only once authorised and listening; after an
 * unexpected close the stream reconnects with backoff until `close()` is called.
 */
import WebSocket, { type RawData } from 'ws';
import type { StreamState, TradeUpdateListener, TradeUpdateSubscription } from '../broker.port';
import { BrokerError, isBrokerError } from '../errors';
import type { AlpacaStreamPolicy, BrokerLogger } from './alpaca-config';
import { toTradeUpdate } from './alpaca-mapping';
import { authMessage, decodeFrame, listenMessage, parseFrame, TRADE_UPDATES, type StreamMessage } from './alpaca-stream';
import type { AlpacaTradeUpdate } from './alpaca-wire';
import { calculateBackoffMs } from './retry-policy';

export interface TradeStreamOptions {
  url: string;
  keyId: string;
  secretKey: string;
  policy: AlpacaStreamPolicy;
  random: () => number;
  logger?: BrokerLogger;
}

const CLOSE_GRACE_MS = 1000;

function streamError(code: 'STREAM_UNAUTHORIZED' | 'STREAM_PROTOCOL' | 'NETWORK', message: string, cause?: unknown) {
  return new BrokerError(message, { code, retriable: code !== 'STREAM_UNAUTHORIZED', httpStatus: null, brokerCode: null, cause });
}

export class AlpacaTradeStream implements TradeUpdateSubscription {
  private socket: WebSocket | null = null;
  private state: StreamState = 'DISCONNECTED';
  private closed = false;
  private failures = 0;
  private awaitingPong = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private handshakeTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private delivery: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: TradeStreamOptions,
    private readonly listener: TradeUpdateListener,
  ) {}

  start(): this {
    this.connect();
    return this;
  }

  isHealthy(): boolean {
    return this.state === 'CONNECTED';
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer('reconnectTimer');
    const socket = this.socket;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
        socket.close(1000, 'client closing');
      });
    }
    this.setState('DISCONNECTED');
    await this.delivery;
  }

  private connect(): void {
    if (this.closed) return;
    this.setState('CONNECTING');
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data: RawData) => this.onFrame(socket, data));
    socket.on('pong', () => {
      this.awaitingPong = false;
    });
    socket.on('error', (error: Error) => {
      this.options.logger?.warn({ err: error.message }, 'trade stream socket error');
    });
    socket.on('close', () => this.onClose(socket));
  }

  private onOpen(socket: WebSocket): void {
    socket.send(authMessage(this.options.keyId, this.options.secretKey));
    this.handshakeTimer = setTimeout(() => {
      this.report(streamError('STREAM_PROTOCOL', 'trade stream handshake timed out'));
      socket.terminate();
    }, this.options.policy.handshakeTimeoutMs);
  }

  private onFrame(socket: WebSocket, data: RawData): void {
    const text = decodeFrame(data);
    if (text === null) return;
    for (const message of parseFrame(text)) this.onMessage(socket, message);
  }

  private onMessage(socket: WebSocket, message: StreamMessage): void {
    switch (message.kind) {
      case 'AUTHORIZED':
        socket.send(listenMessage([TRADE_UPDATES]));
        return;
      case 'UNAUTHORIZED':
        this.report(streamError('STREAM_UNAUTHORIZED', `trade stream refused ${message.action}`));
        socket.close();
        return;
      case 'LISTENING':
        if (message.streams.includes(TRADE_UPDATES)) this.onListening(socket);
        return;
      case 'TRADE_UPDATE':
        this.deliver(message.update);
        return;
      case 'ERROR':
        this.report(streamError('STREAM_PROTOCOL', `trade stream error: ${message.message}`));
        socket.close();
        return;
      case 'MALFORMED':
        this.report(streamError('STREAM_PROTOCOL', message.message));
        return;
      case 'IGNORED':
        return;
    }
  }

  private onListening(socket: WebSocket): void {
    this.clearTimer('handshakeTimer');
    this.failures = 0;
    this.awaitingPong = false;
    this.setState('CONNECTED');
    this.clearTimer('pingTimer');
    this.pingTimer = setInterval(() => {
      if (this.awaitingPong) {
        socket.terminate();
        return;
      }
      this.awaitingPong = true;
      socket.ping();
    }, this.options.policy.pingIntervalMs);
  }

  private onClose(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.clearTimer('handshakeTimer');
    this.clearTimer('pingTimer');
    this.setState('DISCONNECTED');
    if (!this.closed) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.failures += 1;
    const { reconnectBaseDelayMs, reconnectMaxDelayMs } = this.options.policy;
    const policy = { baseDelayMs: reconnectBaseDelayMs, maxDelayMs: reconnectMaxDelayMs };
    const delay = calculateBackoffMs(this.failures, policy, this.options.random());
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private deliver(update: AlpacaTradeUpdate): void {
    this.enqueue(() => this.listener.onUpdate(toTradeUpdate(update)));
  }

  private setState(state: StreamState): void {
    if (this.state === state) return;
    this.state = state;
    this.enqueue(() => this.listener.onStateChange?.(state));
  }

  private report(error: BrokerError): void {
    this.enqueue(() => this.listener.onError?.(error));
  }

  private enqueue(task: () => Promise<void> | void): void {
    this.delivery = this.delivery.then(task).catch((error: unknown) => {
      const wrapped = isBrokerError(error) ? error : streamError('STREAM_PROTOCOL', `trade update listener failed: ${String(error)}`, error);
      try {
        this.listener.onError?.(wrapped);
      } catch (secondary) {
        this.options.logger?.warn({ err: String(secondary) }, 'trade stream onError threw');
      }
    });
  }

  private clearTimer(name: 'reconnectTimer' | 'handshakeTimer' | 'pingTimer'): void {
    const timer = this[name];
    if (timer) clearTimeout(timer);
    this[name] = null;
  }
}
