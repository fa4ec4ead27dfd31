/**
 * The trade_updates WebSocket protocol, without the socket: frames in, messages out. Paper sends
 * binary frames holding UTF-8 JSON and a 1-byte heartbeat; live may send text. Alpaca has used two
 * authentication forms and two reply shapes over time, so both are understood.
 */
import { AlpacaTradeUpdate } from './alpaca-wire';

export const TRADE_UPDATES = 'trade_updates';

export type StreamMessage =
  | { kind: 'AUTHORIZED' }
  | { kind: 'UNAUTHORIZED'; action: string }
  | { kind: 'LISTENING'; streams: string[] }
  | { kind: 'TRADE_UPDATE'; update: AlpacaTradeUpdate }
  /** The server reports an error; it closes the socket next. */
  | { kind: 'ERROR'; message: string }
  /** A frame or update we could not read; the stream itself is fine. */
  | { kind: 'MALFORMED'; message: string }
  | { kind: 'IGNORED' };

export function authMessage(keyId: string, secretKey: string): string {
  return JSON.stringify({ action: 'auth', key: keyId, secret: secretKey });
}

export function listenMessage(streams: readonly string[]): string {
  return JSON.stringify({ action: 'listen', data: { streams } });
}

/** The text of a frame, or null for a heartbeat (a single byte) or an empty frame. */
export function decodeFrame(data: Buffer | ArrayBuffer | Buffer[] | string): string | null {
  if (typeof data === 'string') return data.length > 1 ? data : null;
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  if (bytes.length <= 1) return null;
  return bytes.toString('utf8');
}

/** Every message in a frame: a frame holds one JSON object or an array of them. */
export function parseFrame(text: string): StreamMessage[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [{ kind: 'MALFORMED', message: `frame is not JSON: ${text.slice(0, 80)}` }];
  }
  const items = Array.isArray(json) ? (json as unknown[]) : [json];
  return items.map(classifyMessage);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function classifyMessage(message: unknown): StreamMessage {
  if (!isObject(message)) return { kind: 'IGNORED' };
  const data = isObject(message.data) ? message.data : {};
  if (message.stream === 'authorization') return classifyAuthorization(data);
  if (message.stream === 'listening') return { kind: 'LISTENING', streams: streamsOf(data) };
  if (message.stream === TRADE_UPDATES) return classifyTradeUpdate(message.data);
  if (message.action === 'error' || message.stream === 'error') {
    return { kind: 'ERROR', message: textOf(data.error_message ?? data.message, 'stream error') };
  }
  // The market-data style of reply: {"T":"success","msg":"authenticated"} / {"T":"error","msg":...}.
  if (message.T === 'success' && message.msg === 'authenticated') return { kind: 'AUTHORIZED' };
  if (message.T === 'error') return { kind: 'UNAUTHORIZED', action: textOf(message.msg, 'auth') };
  return { kind: 'IGNORED' };
}

function textOf(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function classifyAuthorization(data: Json): StreamMessage {
  if (data.status === 'authorized') return { kind: 'AUTHORIZED' };
  return { kind: 'UNAUTHORIZED', action: typeof data.action === 'string' ? data.action : 'authenticate' };
}

function streamsOf(data: Json): string[] {
  return Array.isArray(data.streams) ? data.streams.filter((s): s is string => typeof s === 'string') : [];
}

function classifyTradeUpdate(data: unknown): StreamMessage {
  const parsed = AlpacaTradeUpdate.safeParse(data);
  if (!parsed.success) {
    return { kind: 'MALFORMED', message: `malformed trade update: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  }
  return { kind: 'TRADE_UPDATE', update: parsed.data };
}
