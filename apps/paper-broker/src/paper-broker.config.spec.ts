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
  });
});
