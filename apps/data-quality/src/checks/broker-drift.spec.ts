import { Decimal } from 'decimal.js';
import { brokerUnknownFinding, calculateBrokerDrift } from './broker-drift';

const net = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([s, q]) => [s, new Decimal(q)]));

describe('broker drift', () => {
  it('given equal quantities written differently, then there is no drift', () => {
    expect(calculateBrokerDrift(net({ AAPL: '10.0' }), [{ symbol: 'AAPL', quantity: new Decimal('10') }], 'CRITICAL')).toEqual([]);
  });

  it('given a short at the broker the platform holds long, then one drift finding with the exact difference', () => {
    const [finding, ...rest] = calculateBrokerDrift(net({ AAPL: '10' }), [{ symbol: 'AAPL', quantity: new Decimal('-0.5') }], 'CRITICAL');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ finding_type: 'BROKER_POSITION_DRIFT', entity_key: 'symbol:AAPL', symbol: 'AAPL' });
    expect(finding?.detail).toContain('difference -10.5');
  });

  it('reports symbols only one side holds, in symbol order', () => {
    const findings = calculateBrokerDrift(net({ MSFT: '3' }), [{ symbol: 'AAPL', quantity: new Decimal('1') }], 'CRITICAL');
    expect(findings.map((f) => f.symbol)).toEqual(['AAPL', 'MSFT']);
  });

  it('names the broker failure in an unknown finding', () => {
    expect(brokerUnknownFinding('circuit open', 'MEDIUM')).toMatchObject({ finding_type: 'BROKER_POSITIONS_UNKNOWN', entity_key: 'broker' });
  });
});
