/**
 * The /stream WebSocket: authenticates clients, tracks what each listens to and fans trade updates
 * out to the authorised listeners as binary frames, in publication order. There is no replay: a
 * client that is not connected when an update is published never sees it (as at Alpaca).
 */
import type { Server } from 'node:http';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { TradeUpdateEvent } from '../exchange/trade-update';
import { toTradeUpdateMessage } from '../exchange/trade-update';
import { updateFaultsOf, type FaultInjector } from '../faults/fault-injector';
import {
  authorizationReply,
  encodeFrame,
  errorReply,
  HEARTBEAT_FRAME,
  listeningReply,
  parseClientMessage,
  supportedStreams,
} from './stream-protocol';

export interface StreamHubOptions {
  keyId: string;
  secretKey: string;
  heartbeatMs: number;
  faults: FaultInjector;
}

interface ClientState {
  authorized: boolean;
  streams: string[];
}

const POLICY_VIOLATION = 1008;

export class StreamHub {
  private readonly wss: WebSocketServer;
  private readonly clients = new Map<WebSocket, ClientState>();
  private readonly heartbeat: NodeJS.Timeout | null;

  constructor(
    server: Server,
    private readonly options: StreamHubOptions,
  ) {
    this.wss = new WebSocketServer({ server, path: '/stream' });
    this.wss.on('connection', (socket) => this.onConnection(socket));
    this.heartbeat = options.heartbeatMs > 0 ? setInterval(() => this.beat(), options.heartbeatMs) : null;
  }

  /**
   * Delivers an update to every listener as many times as fault injection says (once by default).
   * An injected disconnect cuts every connection once the update is written; no later update
   * reaches those sockets.
   */
  publish(update: TradeUpdateEvent): void {
    const { copies, disconnect } = updateFaultsOf(this.options.faults, update);
    const frame = encodeFrame(toTradeUpdateMessage(update));
    for (const [socket, state] of this.clients) {
      const sends = state.authorized && state.streams.includes('trade_updates') ? copies : 0;
      for (let i = 0; i < sends; i += 1) {
        const cutAfterWrite = disconnect && i === sends - 1;
        socket.send(frame, { binary: true }, cutAfterWrite ? () => socket.terminate() : undefined);
      }
      if (disconnect && sends === 0) socket.terminate();
    }
    if (disconnect) this.clients.clear();
  }

  clientCount(): number {
    return this.clients.size;
  }

  /** Cuts every connection without a close handshake, as a network failure would. */
  dropAll(): number {
    const count = this.clients.size;
    for (const socket of this.clients.keys()) socket.terminate();
    this.clients.clear();
    return count;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket): void {
    this.clients.set(socket, { authorized: false, streams: [] });
    socket.on('message', (data: RawData) => this.onMessage(socket, data));
    socket.on('close', () => this.clients.delete(socket));
    socket.on('error', () => this.clients.delete(socket));
  }

  private onMessage(socket: WebSocket, data: RawData): void {
    const state = this.clients.get(socket);
    if (!state) return;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const text = bytes.toString('utf8');
    const message = parseClientMessage(text);
    switch (message.kind) {
      case 'AUTH': {
        const refused = this.options.faults.refusesStream?.() ?? false;
        state.authorized = !refused && message.keyId === this.options.keyId && message.secretKey === this.options.secretKey;
        this.send(socket, authorizationReply(state.authorized, 'authenticate'));
        if (!state.authorized) socket.close(POLICY_VIOLATION, 'unauthorized');
        return;
      }
      case 'LISTEN': {
        if (!state.authorized) {
          this.send(socket, authorizationReply(false, 'listen'));
          return;
        }
        state.streams = supportedStreams(message.streams);
        this.send(socket, listeningReply(state.streams));
        return;
      }
      case 'INVALID':
        this.send(socket, errorReply(message.message));
        socket.close(POLICY_VIOLATION, message.message);
        return;
    }
  }

  private send(socket: WebSocket, message: unknown): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(encodeFrame(message), { binary: true });
  }

  private beat(): void {
    for (const [socket, state] of this.clients) {
      if (state.authorized && socket.readyState === WebSocket.OPEN) socket.send(HEARTBEAT_FRAME, { binary: true });
    }
  }
}
