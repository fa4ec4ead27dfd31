/**
 * Folds one fill into the latest position lifecycle of an (account, instrument). Pure.
 *
 * Rules (part of the `position.updated` contract; P&L convention in `position.ts`):
 * - No lifecycle yet, or the latest one CLOSED: the fill opens a new lifecycle (id from
 *   `newPositionId('open')`, revision 1) at the fill price; its fee is in feesPaid.
 * - Same side: scale in. averageEntryPrice = openCost / quantity, openCost gaining price x quantity.
 * - Opposite side, quantity <= held: reduce, or close at zero. Realized gross gains
 *   (price - averageEntryPrice) x closed quantity x multiplier, negated for SHORT; the fill that
 *   closes releases the remaining openCost instead, so a closed lifecycle's realized gross is exactly
 *   (exit notional - entry notional) x multiplier, negated for SHORT. averageExitPrice is
 *   quantity-weighted over all closing quantity. At zero: CLOSED, FLAT, closedAt = fill time.
 * - Opposite side, quantity > held: flip, split at zero. The closing part closes the lifecycle against
 *   its old average; the remainder opens a new lifecycle (id from `newPositionId('flip')`) at the fill
 *   price. The fee splits pro rata by quantity: closing part = fee x closed / fill quantity, rounded
 *   down to 20 significant digits; the opening part gets the rest, so the two sum exactly to the fee.
 * - An execution id already applied to the lifecycle: DUPLICATE, nothing changes. Ids are kept per
 *   lifecycle (a flip's fill is in both); replays of older lifecycles' fills are the caller's durable
 *   execution-id index's job.
 * - Every change increments revision by 1. A refused fill changes nothing.
 */
import { Decimal } from 'decimal.js';
import { PositionInvariantError, type FillRefusal } from './errors';
import {
  calculateQuotient,
  calculateSideSign,
  checkPositionInvariants,
  exact,
  settle,
  type AssetClass,
  type FillInput,
  type FillSide,
  type PositionSide,
  type PositionState,
} from './position';

export type NewPositionPurpose = 'open' | 'flip';

/** Who holds the instrument, used to open a lifecycle and to check the fill belongs to `current`. */
export interface FillContext {
  readonly accountId: string;
  readonly ownerId: string;
  readonly symbol: string;
  readonly assetClass: AssetClass;
  readonly multiplier: Decimal;
  readonly tradeId: string | null;
  /** Deterministic in the caller (e.g. uuid v5 of the execution id and the purpose), so replays agree. */
  readonly newPositionId: (purpose: NewPositionPurpose) => string;
}

export type PositionTransition = 'OPENED' | 'INCREASED' | 'REDUCED' | 'CLOSED';

/** The part of the fill a change consumed: the whole fill, or one side of a flip. */
export interface FillPart {
  readonly quantity: Decimal;
  readonly fee: Decimal;
}

export interface PositionChange {
  /** The lifecycle after the change. */
  readonly position: PositionState;
  readonly part: FillPart;
  readonly transition: PositionTransition;
}

export type FillApplication =
  | { readonly kind: 'DUPLICATE' }
  | { readonly kind: 'APPLIED'; readonly changes: readonly PositionChange[] }
  | ({ readonly kind: 'REFUSED' } & FillRefusal);

/** What the fill does to the latest lifecycle; a flip is a CLOSE followed by an OPEN. */
export type FillEffect = 'OPEN' | 'INCREASE' | 'REDUCE' | 'CLOSE' | 'FLIP';

const ZERO = new Decimal(0);

export function applyFill(
  current: PositionState | null,
  fill: FillInput,
  context: FillContext,
): FillApplication {
  const refusal = checkFill(fill, context) ?? (current === null ? undefined : checkBelongs(current, context));
  if (refusal !== undefined) return { kind: 'REFUSED', ...refusal };
  if (current !== null) assertInvariants(current);
  if (current?.appliedExecutionIds.has(fill.executionId)) return { kind: 'DUPLICATE' };
  const changes = foldFill(current, fill, context);
  changes.forEach((change) => assertInvariants(change.position));
  return { kind: 'APPLIED', changes };
}

/** Why the fill cannot be applied in this context, or undefined. */
export function checkFill(fill: FillInput, context: FillContext): FillRefusal | undefined {
  if (fill.executionId.length === 0) return { code: 'INVALID_EXECUTION_ID', detail: 'execution id is empty' };
  if (!isPositive(fill.quantity)) return refusal('INVALID_FILL_QUANTITY', 'quantity', fill.quantity);
  if (!isPositive(fill.price)) return refusal('INVALID_FILL_PRICE', 'price', fill.price);
  if (!fill.fee.isFinite() || fill.fee.lt(0)) return refusal('INVALID_FILL_FEE', 'fee', fill.fee);
  if (!isPositive(context.multiplier)) return refusal('INVALID_MULTIPLIER', 'multiplier', context.multiplier);
  if (Number.isNaN(fill.at.getTime())) return { code: 'INVALID_FILL_TIME', detail: 'fill time is invalid' };
  return undefined;
}

export function classifyFill(current: PositionState | null, fill: FillInput): FillEffect {
  if (current === null || current.status === 'CLOSED') return 'OPEN';
  if (sideOf(fill.side) === current.side) return 'INCREASE';
  const comparison = fill.quantity.comparedTo(current.quantity);
  return comparison < 0 ? 'REDUCE' : comparison === 0 ? 'CLOSE' : 'FLIP';
}

function foldFill(current: PositionState | null, fill: FillInput, context: FillContext): PositionChange[] {
  const effect = classifyFill(current, fill);
  if (current === null || effect === 'OPEN') return [openLifecycle(fill, wholeOf(fill), context, 'open')];
  if (effect === 'INCREASE') return [increase(current, fill)];
  if (effect === 'REDUCE' || effect === 'CLOSE') return [reduce(current, fill, wholeOf(fill))];
  const split = calculateFlipSplit(fill, current.quantity);
  return [reduce(current, fill, split.close), openLifecycle(fill, split.open, context, 'flip')];
}

/** Splits a flipping fill at zero: `close` takes `heldQuantity`, `open` the rest; fees sum exactly. */
export function calculateFlipSplit(
  fill: FillInput,
  heldQuantity: Decimal,
): { close: FillPart; open: FillPart } {
  const closeFee = calculateQuotient(exact(fill.fee).times(heldQuantity), fill.quantity, Decimal.ROUND_DOWN);
  return {
    close: { quantity: heldQuantity, fee: closeFee },
    open: {
      quantity: settle(exact(fill.quantity).minus(heldQuantity)),
      fee: settle(exact(fill.fee).minus(closeFee)),
    },
  };
}

function openLifecycle(
  fill: FillInput,
  part: FillPart,
  context: FillContext,
  purpose: NewPositionPurpose,
): PositionChange {
  const cost = settle(exact(fill.price).times(part.quantity));
  const position: PositionState = {
    positionId: context.newPositionId(purpose),
    accountId: context.accountId,
    ownerId: context.ownerId,
    symbol: context.symbol,
    assetClass: context.assetClass,
    multiplier: context.multiplier,
    tradeId: context.tradeId,
    status: 'OPEN',
    side: sideOf(fill.side),
    quantity: part.quantity,
    averageEntryPrice: fill.price,
    openCost: cost,
    entryQuantity: part.quantity,
    entryNotional: cost,
    closedQuantity: ZERO,
    exitNotional: ZERO,
    averageExitPrice: null,
    realizedPnlGross: ZERO,
    feesPaid: part.fee,
    markPrice: null,
    openedAt: new Date(fill.at.getTime()),
    closedAt: null,
    revision: 1,
    appliedExecutionIds: new Set([fill.executionId]),
  };
  return { position, part, transition: 'OPENED' };
}

function increase(current: PositionState, fill: FillInput): PositionChange {
  const cost = exact(fill.price).times(fill.quantity);
  const quantity = exact(current.quantity).plus(fill.quantity);
  const openCost = cost.plus(current.openCost);
  const position: PositionState = {
    ...touched(current, fill, fill.fee),
    quantity: settle(quantity),
    openCost: settle(openCost),
    averageEntryPrice: calculateQuotient(openCost, quantity),
    entryQuantity: settle(exact(current.entryQuantity).plus(fill.quantity)),
    entryNotional: settle(cost.plus(current.entryNotional)),
  };
  return { position, part: wholeOf(fill), transition: 'INCREASED' };
}

function reduce(current: PositionState, fill: FillInput, part: FillPart): PositionChange {
  const closesAll = part.quantity.equals(current.quantity);
  const released = closesAll
    ? exact(current.openCost)
    : exact(current.averageEntryPrice).times(part.quantity);
  const proceeds = exact(fill.price).times(part.quantity);
  const realized = proceeds.minus(released).times(current.multiplier).times(calculateSideSign(current.side));
  const closedQuantity = exact(current.closedQuantity).plus(part.quantity);
  const exitNotional = proceeds.plus(current.exitNotional);
  const position: PositionState = {
    ...touched(current, fill, part.fee),
    status: closesAll ? 'CLOSED' : 'OPEN',
    side: closesAll ? 'FLAT' : current.side,
    quantity: settle(exact(current.quantity).minus(part.quantity)),
    openCost: closesAll ? ZERO : settle(exact(current.openCost).minus(released)),
    closedQuantity: settle(closedQuantity),
    exitNotional: settle(exitNotional),
    averageExitPrice: calculateQuotient(exitNotional, closedQuantity),
    realizedPnlGross: settle(realized.plus(current.realizedPnlGross)),
    closedAt: closesAll ? new Date(fill.at.getTime()) : null,
  };
  return { position, part, transition: closesAll ? 'CLOSED' : 'REDUCED' };
}

/** What every change to an existing lifecycle does: fee, revision, execution id. */
function touched(current: PositionState, fill: FillInput, fee: Decimal): PositionState {
  return {
    ...current,
    feesPaid: settle(exact(current.feesPaid).plus(fee)),
    revision: current.revision + 1,
    appliedExecutionIds: new Set([...current.appliedExecutionIds, fill.executionId]),
  };
}

function checkBelongs(current: PositionState, context: FillContext): FillRefusal | undefined {
  if (current.accountId !== context.accountId) {
    return {
      code: 'ACCOUNT_MISMATCH',
      detail: `position ${current.positionId} is not of account ${context.accountId}`,
    };
  }
  const sameInstrument =
    current.symbol === context.symbol &&
    current.assetClass === context.assetClass &&
    current.multiplier.equals(context.multiplier);
  if (!sameInstrument) {
    return {
      code: 'INSTRUMENT_MISMATCH',
      detail: `position ${current.positionId} is not in ${context.symbol}`,
    };
  }
  return undefined;
}

function assertInvariants(position: PositionState): void {
  const broken = checkPositionInvariants(position);
  if (broken !== undefined) throw new PositionInvariantError(broken, position.positionId);
}

function sideOf(fillSide: FillSide): PositionSide {
  return fillSide === 'BUY' ? 'LONG' : 'SHORT';
}

function isPositive(value: Decimal): boolean {
  return value.isFinite() && value.gt(0);
}

function wholeOf(fill: FillInput): FillPart {
  return { quantity: fill.quantity, fee: fill.fee };
}

function refusal(code: FillRefusal['code'], field: string, value: Decimal): FillRefusal {
  return { code, detail: `fill ${field} ${value.toFixed()} is out of range` };
}
