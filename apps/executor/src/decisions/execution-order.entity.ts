import { Entity, OptionalProps, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';

export type SubmissionState = 'SCHEDULED' | 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'UNKNOWN' | 'CANCELED';

/**
 * An order the executor placed or intends to place. The row, with its deterministic client order id,
 * is committed before the broker is called; `submissionState` then records what the broker said.
 * PENDING and UNKNOWN are "in doubt" and are resolved by asking the broker for the client order id.
 * SCHEDULED waits, unscreened, for the daily run (which screens it, then moves it to PENDING or REJECTED);
 * nothing was sent, so nothing else ever submits it. CANCELED: a CANCEL took it while still SCHEDULED;
 * it was never sent and never will be.
 */
@Entity({ tableName: 'execution_orders' })
export class ExecutionOrder {
  [PrimaryKeyProp]?: 'orderId';
  [OptionalProps]?: 'submissionState' | 'attempts' | 'brokerOrderId' | 'brokerStatus' | 'rejectCode' | 'rejectMessage' | 'submittedAt' | 'legNumber' | 'limitPrice' | 'stopPrice' | 'causationId' | 'tradeStyle' | 'plannedEntryPrice' | 'plannedStopLoss' | 'plannedTakeProfit';
  @PrimaryKey({ type: 'uuid' }) orderId!: string;
  @Property({ type: 'uuid' }) decisionId!: string;
  @Property({ type: 'text' }) purpose!: 'ENTRY';
  @Property({ type: 'text', unique: true }) clientOrderId!: string;
  @Property({ type: 'text' }) broker!: string;
  @Property({ type: 'text', nullable: true }) brokerOrderId: string | null = null;
  @Property({ type: 'uuid' }) tradeId!: string;
  @Property({ type: 'integer', nullable: true }) legNumber: number | null = null;
  @Property({ type: 'text' }) accountId!: string;
  @Property({ type: 'text' }) ownerId!: string;
  @Property({ type: 'text' }) symbol!: string;
  @Property({ type: 'text' }) assetClass!: 'EQUITY' | 'OPTION' | 'CRYPTO';
  @Property({ type: 'decimal' }) multiplier!: string;
  @Property({ type: 'text' }) side!: 'BUY' | 'SELL';
  @Property({ type: 'decimal' }) quantity!: string;
  @Property({ type: 'text' }) orderType!: 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
  @Property({ type: 'decimal', nullable: true }) limitPrice: string | null = null;
  @Property({ type: 'decimal', nullable: true }) stopPrice: string | null = null;
  @Property({ type: 'text' }) timeInForce!: 'DAY' | 'GTC' | 'IOC' | 'FOK' | 'OPG' | 'CLS';
  /** The trade plan of an ENTRY order; null on rows written before it was recorded. */
  @Property({ type: 'text', nullable: true }) tradeStyle: 'SWING' | 'DAY' | null = null;
  @Property({ type: 'decimal', nullable: true }) plannedEntryPrice: string | null = null;
  @Property({ type: 'decimal', nullable: true }) plannedStopLoss: string | null = null;
  @Property({ type: 'decimal', nullable: true }) plannedTakeProfit: string | null = null;
  @Property({ type: 'text' }) submissionState: SubmissionState = 'PENDING';
  @Property({ type: 'text', nullable: true }) brokerStatus: string | null = null;
  @Property({ type: 'text', nullable: true }) rejectCode: string | null = null;
  @Property({ type: 'text', nullable: true }) rejectMessage: string | null = null;
  @Property({ type: 'integer' }) attempts = 0;
  @Property({ type: 'uuid' }) correlationId!: string;
  @Property({ type: 'uuid', nullable: true }) causationId: string | null = null;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) submittedAt: Date | null = null;
  @Property({ type: 'timestamptz' }) updatedAt!: Date;
}
