import { describe, expect, it } from '@jest/globals';
import { loadPaperBrokerConfig, PaperBrokerConfigError } from './paper-broker.config';

describe('paper broker config', () => {
  it('has working defaults', () => {
    const config = loadPaperBrokerConfig({});
    expect(config).toMatchObject({
      port: 18080,
      keyId: 'paper-key',
      secretKey: 'paper-secret',
      partialFills: 1,
      marketHours: 'always',
      rateLimitPerMinute: 200,
    });
    expect(config.feePerUnit.toFixed()).toBe('0');
    expect(config.initialPrices.size).toBe(0);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads prices as decimals', () => {
    const config = loadPaperBrokerConfig({ PAPER_BROKER_PRICES: 'AAPL:187.50, MSFT:410.00', PAPER_BROKER_FEE_PER_UNIT: '0.005' });
    expect(config.initialPrices.get('AAPL')?.toFixed()).toBe('187.5');
    expect(config.initialPrices.get('MSFT')?.toFixed()).toBe('410');
    expect(config.feePerUnit.toFixed()).toBe('0.005');
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadPaperBrokerConfig({
        PAPER_BROKER_PORT: 'eighty',
        PAPER_BROKER_PARTIAL_FILLS: '0',
        PAPER_BROKER_MARKET_HOURS: 'sometimes',
        PAPER_BROKER_PRICES: 'AAPL:abc,MSFT:-1',
        PAPER_BROKER_FAULTS: '[{"kind":"error","status":200},{"kind":"drop_stream","route":"POST /v2/orders"}]',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PaperBrokerConfigError);
    const problems = (error as PaperBrokerConfigError).problems.join('\n');
    expect(problems).toMatch(/PAPER_BROKER_PORT/);
    expect(problems).toMatch(/PAPER_BROKER_PARTIAL_FILLS/);
    expect(problems).toMatch(/PAPER_BROKER_MARKET_HOURS/);
    expect(problems).toMatch(/AAPL:abc/);
    expect(problems).toMatch(/MSFT:-1/);
    expect(problems).toMatch(/PAPER_BROKER_FAULTS: rules\.0\.status/);
    expect(problems).toMatch(/PAPER_BROKER_FAULTS: rules\.1\.route: drop_stream takes no route/);
  });

  it('reads fault rules as JSON, none by default', () => {
    expect(loadPaperBrokerConfig({}).faults).toEqual([]);
    const config = loadPaperBrokerConfig({ PAPER_BROKER_FAULTS: '{"rules":[{"kind":"reject","symbol":"AAPL","times":"always"}]}' });
    expect(config.faults).toEqual([{ kind: 'reject', symbol: 'AAPL', times: 'always' }]);
    expect(() => loadPaperBrokerConfig({ PAPER_BROKER_FAULTS: '{rules' })).toThrow(/PAPER_BROKER_FAULTS: must be JSON/);
  });
});
