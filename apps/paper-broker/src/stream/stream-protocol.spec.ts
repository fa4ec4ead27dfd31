import { describe, expect, it } from '@jest/globals';
import { authorizationReply, listeningReply, parseClientMessage, supportedStreams } from './stream-protocol';

describe('stream protocol (server side)', () => {
  it('accepts both authentication forms', () => {
    expect(parseClientMessage('{"action":"auth","key":"k","secret":"s"}')).toEqual({ kind: 'AUTH', keyId: 'k', secretKey: 's' });
    expect(parseClientMessage('{"action":"authenticate","data":{"key_id":"k","secret_key":"s"}}')).toEqual({
      kind: 'AUTH',
      keyId: 'k',
      secretKey: 's',
    });
  });

  it('reads listen requests and refuses anything else', () => {
    expect(parseClientMessage('{"action":"listen","data":{"streams":["trade_updates"]}}')).toEqual({
      kind: 'LISTEN',
      streams: ['trade_updates'],
    });
    expect(parseClientMessage('{"action":"listen"}').kind).toBe('INVALID');
    expect(parseClientMessage('{"action":"dance"}').kind).toBe('INVALID');
    expect(parseClientMessage('nope').kind).toBe('INVALID');
  });

  it('replies in Alpaca shapes and acknowledges the full supported set', () => {
    expect(authorizationReply(false, 'listen')).toEqual({ stream: 'authorization', data: { status: 'unauthorized', action: 'listen' } });
    expect(supportedStreams(['trade_updates', 'account_updates', 'trade_updates'])).toEqual(['trade_updates']);
    expect(listeningReply([])).toEqual({ stream: 'listening', data: { streams: [] } });
  });
});
