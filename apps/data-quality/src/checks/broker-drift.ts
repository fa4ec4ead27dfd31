import { Decimal } from 'decimal.js';
import type { FindingType } from '@tlp/contracts';

/** A finding as a check hands it to the run, before it gets its id. */
export interface FindingCandidate {
  readonly finding_type: FindingType;
  readonly severity: string;
  readonly entity_key: string;
  readonly account_id: string | null;
  readonly symbol: string | null;
  readonly order_id: string | null;
  readonly position_id: string | null;
  readonly execution_id: string | null;
  readonly trade_id: string | null;
  readonly detail: string;
}

/** The broker's signed quantity per symbol, as its position reports say. */
export interface BrokerHolding {
  readonly symbol: string;
  readonly quantity: Decimal;
}

/**
 * Compares the platform's net open quantity per symbol with the broker's. Every symbol either side
 * holds is compared; a difference of any size is drift (quantities are exact decimals).
 */
export function calculateBrokerDrift(
  platformNet: ReadonlyMap<string, Decimal>,
  broker: readonly BrokerHolding[],
  severity: string,
): FindingCandidate[] {
  const brokerNet = new Map<string, Decimal>();
  for (const h of broker) brokerNet.set(h.symbol, (brokerNet.get(h.symbol) ?? new Decimal(0)).plus(h.quantity));
  const symbols = [...new Set([...platformNet.keys(), ...brokerNet.keys()])].sort();
  return symbols.flatMap((symbol) => {
    const ours = platformNet.get(symbol) ?? new Decimal(0);
    const theirs = brokerNet.get(symbol) ?? new Decimal(0);
    if (ours.eq(theirs)) return [];
    return [driftFinding(symbol, ours, theirs, severity)];
  });
}

function driftFinding(symbol: string, ours: Decimal, theirs: Decimal, severity: string): FindingCandidate {
  return {
    finding_type: 'BROKER_POSITION_DRIFT',
    severity,
    entity_key: `symbol:${symbol}`,
    account_id: null,
    symbol,
    order_id: null,
    position_id: null,
    execution_id: null,
    trade_id: null,
    detail: `platform holds ${ours.toFixed()} ${symbol}, broker holds ${theirs.toFixed()} (difference ${theirs.minus(ours).toFixed()})`,
  };
}

/** The finding when the broker could not be asked: drift is unknown, not absent. */
export function brokerUnknownFinding(reason: string, severity: string): FindingCandidate {
  return {
    finding_type: 'BROKER_POSITIONS_UNKNOWN',
    severity,
    entity_key: 'broker',
    account_id: null,
    symbol: null,
    order_id: null,
    position_id: null,
    execution_id: null,
    trade_id: null,
    detail: `broker positions could not be read: ${reason}`.slice(0, 1000),
  };
}
