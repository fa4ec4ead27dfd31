/**
 * The server side of Alpaca's trade_updates protocol, without sockets: what a client frame asks
 * for, and the replies. Both authentication forms are accepted (`auth` with key/secret, and the
 * SDK's `authenticate` with data.key_id/secret_key); every reply is JSON sent as a binary frame.
 */
export const SUPPORTED_STREAMS: readonly string[] = ['trade_updates'];

export type ClientMessage =
  | { kind: 'AUTH'; keyId: string; secretKey: string }
  | { kind: 'LISTEN'; streams: string[] }
  | { kind: 'INVALID'; message: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export function parseClientMessage(text: string): ClientMessage {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { kind: 'INVALID', message: 'invalid syntax' };
  }
  if (!isObject(message)) return { kind: 'INVALID', message: 'invalid syntax' };
  const data = isObject(message.data) ? message.data : {};
  if (message.action === 'auth') return { kind: 'AUTH', keyId: str(message.key), secretKey: str(message.secret) };
  if (message.action === 'authenticate') {
    return { kind: 'AUTH', keyId: str(data.key_id), secretKey: str(data.secret_key) };
  }
  if (message.action === 'listen') {
    const streams = Array.isArray(data.streams) ? data.streams.filter((s): s is string => typeof s === 'string') : null;
    return streams ? { kind: 'LISTEN', streams } : { kind: 'INVALID', message: 'listen needs data.streams' };
  }
  return { kind: 'INVALID', message: 'unrecognized action' };
}

export function authorizationReply(authorized: boolean, action: 'authenticate' | 'listen'): Json {
  return { stream: 'authorization', data: { status: authorized ? 'authorized' : 'unauthorized', action } };
}

/** The ack lists the full set now listened to (unsupported names are dropped). */
export function listeningReply(streams: readonly string[]): Json {
  return { stream: 'listening', data: { streams } };
}

export function errorReply(message: string): Json {
  return { action: 'error', data: { error_message: message } };
}

export function supportedStreams(requested: readonly string[]): string[] {
  return [...new Set(requested.filter((s) => SUPPORTED_STREAMS.includes(s)))];
}

export function encodeFrame(message: unknown): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}

/** Alpaca paper's heartbeat: one byte. */
export const HEARTBEAT_FRAME = Buffer.from([0x01]);
