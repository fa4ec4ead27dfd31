/**
 * Failure codes of the positions context. A refusal is a value (`FillApplication` of kind `REFUSED`)
 * that the caller turns into an event or a dead letter; a broken invariant is a bug and is thrown.
 */

/** Why `applyFill` refuses a fill. Nothing is changed when a fill is refused. */
export type FillRefusalCode =
  | 'INVALID_EXECUTION_ID'
  | 'INVALID_FILL_QUANTITY'
  | 'INVALID_FILL_PRICE'
  | 'INVALID_FILL_FEE'
  | 'INVALID_FILL_TIME'
  | 'INVALID_MULTIPLIER'
  | 'ACCOUNT_MISMATCH'
  | 'INSTRUMENT_MISMATCH';

export interface FillRefusal {
  readonly code: FillRefusalCode;
  /** For logs and dead-letter headers; never branched on. */
  readonly detail: string;
}

/** Which invariant of a `PositionState` does not hold (see the header of `position.ts`). */
export type PositionInvariantCode =
  | 'NEGATIVE_QUANTITY'
  | 'STATUS_SIDE_MISMATCH'
  | 'QUANTITY_NOT_CONSERVED'
  | 'EXIT_PRICE_MISMATCH'
  | 'OPEN_COST_ON_CLOSED'
  | 'NEGATIVE_FEES'
  | 'INVALID_MULTIPLIER'
  | 'INVALID_REVISION';

/** Thrown when a position state breaks an invariant: fail fast, restart, rebuild from the fills. */
export class PositionInvariantError extends Error {
  readonly code: PositionInvariantCode;
  readonly positionId: string;

  constructor(code: PositionInvariantCode, positionId: string) {
    super(`position ${positionId} breaks invariant ${code}`);
    this.name = 'PositionInvariantError';
    this.code = code;
    this.positionId = positionId;
  }
}
