import { z } from 'zod';
import { defineContract, type EventOf, type PayloadOf } from '../envelope';
import {
  AccountId,
  DecimalString,
  Instrument,
  OrderSide,
  OrderType,
  OwnerId,
  PositiveDecimalString,
  TimeInForce,
  UtcTimestamp,
  Uuid,
} from '../primitives';

const common = {
  /** Id of the approved decision (UUID). Exactly one broker order is ever placed per decision. */
  decisionId: Uuid,
  /** Trading account the order goes to. */
  accountId: AccountId,
  /** User who owns the account and everything derived from this decision (row-level security key). */
  ownerId: OwnerId,
  /** When the decision was approved, ISO-8601 UTC. */
  approvedAt: UtcTimestamp,
  /** Free-text rationale from the analyst or model, for the trade journal. At most 2,000 characters. */
  rationale: z.string().max(2000).optional(),
};

/** Open a new trade: one entry order, with the planned exits placed after it fills. */
export const NewTradeDecision = z
  .object({
    ...common,
    /** What the decision asks for: `NEW_TRADE`. Open a new trade. */
    action: z.literal('NEW_TRADE'),
    /** Id grouping every order and position of this trade, all legs of a multi-leg strategy included (UUID). */
    tradeId: Uuid,
    /** The instrument to trade. */
    instrument: Instrument,
    /** 1-based leg number within a multi-leg option strategy; absent for a single-instrument trade. */
    legNumber: z.number().int().min(1).max(4).optional(),
    /** BUY opens long, SELL opens short. */
    side: OrderSide,
    /** Quantity in instrument units (shares, contracts, coins), decimal string greater than zero. */
    quantity: PositiveDecimalString,
    /** Entry order type. */
    orderType: OrderType,
    /** Limit price in quote currency per unit; required for LIMIT and STOP_LIMIT. */
    limitPrice: PositiveDecimalString.optional(),
    /** Stop trigger price in quote currency per unit; required for STOP and STOP_LIMIT. */
    stopPrice: PositiveDecimalString.optional(),
    /** Time in force of the entry order; DAY when absent. */
    timeInForce: TimeInForce.default('DAY'),
    /** Planned stop-loss trigger price per unit, placed after the entry fills. */
    plannedStopLoss: PositiveDecimalString.optional(),
    /** Planned take-profit limit price per unit; used for SWING trades only. */
    plannedTakeProfit: PositiveDecimalString.optional(),
    /** SWING trades get a stop-loss and a take-profit; DAY trades a stop-loss only. */
    tradeStyle: z.enum(['SWING', 'DAY']),
  })
  .superRefine((d, ctx) => {
    if ((d.orderType === 'LIMIT' || d.orderType === 'STOP_LIMIT') && d.limitPrice === undefined) {
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `limitPrice is required for ${d.orderType}` });
    }
    if ((d.orderType === 'STOP' || d.orderType === 'STOP_LIMIT') && d.stopPrice === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `stopPrice is required for ${d.orderType}` });
    }
  })
  // The same rule for JSON Schema consumers.
  .meta({
    allOf: [
      { if: { type: 'object', properties: { orderType: { enum: ['LIMIT', 'STOP_LIMIT'] } } }, then: { required: ['limitPrice'] } },
      { if: { type: 'object', properties: { orderType: { enum: ['STOP', 'STOP_LIMIT'] } } }, then: { required: ['stopPrice'] } },
    ],
  });

/** Cancel the open order of an earlier decision. */
export const CancelDecision = z.object({
  ...common,
  /** What the decision asks for: `CANCEL`. Cancel the open order of an earlier decision. */
  action: z.literal('CANCEL'),
  /** The NEW_TRADE decision whose order is to be canceled (UUID). */
  targetDecisionId: Uuid,
});

/** Change the open order of an earlier decision: replaced at the broker where possible, else cancel and resubmit. */
export const AmendDecision = z.object({
  ...common,
  /** What the decision asks for: `AMEND`. Change the open order of an earlier decision. */
  action: z.literal('AMEND'),
  /** The NEW_TRADE decision whose order is to be amended (UUID). */
  targetDecisionId: Uuid,
  /** New total quantity in instrument units; unchanged when absent. */
  quantity: PositiveDecimalString.optional(),
  /** New limit price per unit; unchanged when absent. */
  limitPrice: PositiveDecimalString.optional(),
  /** New stop trigger price per unit; unchanged when absent. */
  stopPrice: PositiveDecimalString.optional(),
  /** New planned stop-loss per unit; unchanged when absent. */
  plannedStopLoss: DecimalString.optional(),
  /** New planned take-profit per unit; unchanged when absent. */
  plannedTakeProfit: DecimalString.optional(),
});

export const DecisionApprovedV1 = defineContract(
  'decision.approved',
  1,
  z.discriminatedUnion('action', [NewTradeDecision, CancelDecision, AmendDecision]),
  'An approved trading decision to execute: NEW_TRADE, CANCEL or AMEND. Input of the executor.',
);
export type DecisionApprovedV1 = EventOf<typeof DecisionApprovedV1>;
export type Decision = PayloadOf<typeof DecisionApprovedV1>;
export type NewTradeDecision = z.infer<typeof NewTradeDecision>;
