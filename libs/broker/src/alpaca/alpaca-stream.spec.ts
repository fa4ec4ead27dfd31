import { describe, expect, it } from '@jest/globals';
import { authMessage, decodeFrame, listenMessage, parseFrame } from './alpaca-stream';

const order = {
  id: '61e69015-8549-4bfd-b9c3-01e75843f47d',
  client_order_id: 'c1',
  created_at: '2021-03-16T18:38:01.942282Z',
  symbol: 'AAPL',
  filled_qty: '0',
  side: 'buy',
  type: 'market',
  time_in_force: 'day',
  status: 'new',
};

describe('trade stream protocol', () => {
  it('builds auth and listen messages', () => {
    expect(JSON.parse(authMessage('k', 's'))).toEqual({ action: 'auth', key: 'k', secret: 's' });
    expect(JSON.parse(listenMessage(['trade_updates']))).toEqual({ action: 'listen', data: { streams: ['trade_updates'] } });
  });

  it('decodes binary frames as UTF-8 and ignores the 1-byte heartbeat', () => {
    expect(decodeFrame(Buffer.from([0x01]))).toBeNull();
    expect(decodeFrame(Buffer.from('{"a":"é"}', 'utf8'))).toBe('{"a":"é"}');
    expect(decodeFrame([Buffer.from('{"a"'), Buffer.from(':1}')])).toBe('{"a":1}');
    expect(decodeFrame(new Uint8Array(Buffer.from('{}x')).buffer)).toBe('{}x');
  });

  it('understands both authorization reply forms', () => {
    expect(parseFrame('{"stream":"authorization","data":{"status":"authorized","action":"authenticate"}}')).toEqual([
      { kind: 'AUTHORIZED' },
    ]);
    expect(parseFrame('[{"T":"success","msg":"authenticated"}]')).toEqual([{ kind: 'AUTHORIZED' }]);
    expect(parseFrame('{"stream":"authorization","data":{"status":"unauthorized","action":"listen"}}')).toEqual([
      { kind: 'UNAUTHORIZED', action: 'listen' },
    ]);
  });

  it('reads the listening ack, trade updates, errors and garbage', () => {
    expect(parseFrame('{"stream":"listening","data":{"streams":["trade_updates"]}}')).toEqual([
      { kind: 'LISTENING', streams: ['trade_updates'] },
    ]);
    const [update] = parseFrame(JSON.stringify({ stream: 'trade_updates', data: { event: 'new', order } }));
    expect(update?.kind).toBe('TRADE_UPDATE');
    expect(parseFrame('{"action":"error","data":{"error_message":"bad"}}')).toEqual([{ kind: 'ERROR', message: 'bad' }]);
    expect(parseFrame('not json')[0]?.kind).toBe('MALFORMED');
    expect(parseFrame(JSON.stringify({ stream: 'trade_updates', data: { event: 'new' } }))[0]?.kind).toBe('MALFORMED');
  });
});
