import { z } from 'zod';

/**
 * What a data-quality check found. One value per check; each names a broken invariant between
 * orders, fills and positions as data-quality projects them from the topics.
 */
export const FindingType = z.enum([
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
  'BROKER_POSITION_DRIFT',
  'BROKER_POSITIONS_UNKNOWN',
]);
export type FindingType = z.infer<typeof FindingType>;

/** CRITICAL and HIGH are the high-priority findings (summary, paging); MEDIUM and LOW are for review. */
export const FindingSeverity = z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
export type FindingSeverity = z.infer<typeof FindingSeverity>;

/** The rules data-quality may apply on its own to repair a finding. */
export const AutoFixRule = z.enum(['SINGLE_CANDIDATE_POSITION']);
export type AutoFixRule = z.infer<typeof AutoFixRule>;
