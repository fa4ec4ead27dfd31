import type { FindingSeverity, FindingType } from '@tlp/contracts';

/** What one run covers: STANDARD on the interval and on demand; FULL (daily, or asked for) adds the broker. */
export type CheckScope = 'STANDARD' | 'FULL';
export type RunTrigger = 'INTERVAL' | 'ON_DEMAND' | 'DAILY';

/** A check's name is the finding type it produces, except the broker check, which produces two. */
export type CheckName =
  | 'LINK_RATE_LOW'
  | 'UNLINKED_FILLED_ORDER'
  | 'ORPHANED_POSITION_REFERENCE'
  | 'QUANTITY_MISMATCH'
  | 'POSITION_WITHOUT_ORDERS'
  | 'UNPROTECTED_POSITION'
  | 'BOTH_EXITS_FILLED'
  | 'STALE_MARK'
  | 'ORDER_STUCK_SUBMITTED'
  | 'DUPLICATE_EXECUTION_ID'
  | 'BROKER_POSITIONS';

export const SEVERITY: Readonly<Record<FindingType, FindingSeverity>> = {
  LINK_RATE_LOW: 'HIGH',
  UNLINKED_FILLED_ORDER: 'HIGH',
  ORPHANED_POSITION_REFERENCE: 'CRITICAL',
  QUANTITY_MISMATCH: 'CRITICAL',
  POSITION_WITHOUT_ORDERS: 'MEDIUM',
  UNPROTECTED_POSITION: 'CRITICAL',
  BOTH_EXITS_FILLED: 'CRITICAL',
  STALE_MARK: 'LOW',
  ORDER_STUCK_SUBMITTED: 'HIGH',
  DUPLICATE_EXECUTION_ID: 'HIGH',
  BROKER_POSITION_DRIFT: 'CRITICAL',
  BROKER_POSITIONS_UNKNOWN: 'MEDIUM',
};

export const HIGH_PRIORITY: readonly FindingSeverity[] = ['CRITICAL', 'HIGH'];

const STANDARD_CHECKS: readonly CheckName[] = [
  'LINK_RATE_LOW',
  'UNLINKED_FILLED_ORDER',
  'ORPHANED_POSITION_REFERENCE',
  'QUANTITY_MISMATCH',
  'POSITION_WITHOUT_ORDERS',
  'UNPROTECTED_POSITION',
  'BOTH_EXITS_FILLED',
  'STALE_MARK',
  'ORDER_STUCK_SUBMITTED',
  'DUPLICATE_EXECUTION_ID',
];

export function checksOf(scope: CheckScope): readonly CheckName[] {
  return scope === 'FULL' ? [...STANDARD_CHECKS, 'BROKER_POSITIONS'] : STANDARD_CHECKS;
}

/** Daily runs are always full; the other triggers are standard unless asked otherwise. */
export function scopeOf(trigger: RunTrigger, fullRequested: boolean): CheckScope {
  return trigger === 'DAILY' || fullRequested ? 'FULL' : 'STANDARD';
}

/**
 * The finding types whose open findings a run may resolve: those of the checks that ran to a verdict.
 * A broker check that could not reach the broker resolves nothing of the drift (it is unknown), but
 * it does decide BROKER_POSITIONS_UNKNOWN.
 */
export function resolvableTypes(checks: readonly CheckName[], brokerReached: boolean): FindingType[] {
  return checks.flatMap((check): FindingType[] => {
    if (check !== 'BROKER_POSITIONS') return [check];
    return brokerReached ? ['BROKER_POSITION_DRIFT', 'BROKER_POSITIONS_UNKNOWN'] : ['BROKER_POSITIONS_UNKNOWN'];
  });
}
