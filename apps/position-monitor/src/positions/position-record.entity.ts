import { Entity, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';

/** A stored position lifecycle: the columns of `PositionState`, decimals as exact strings. */
@Entity({ tableName: 'positions' })
export class PositionRecord {
  [PrimaryKeyProp]?: 'positionId';
  @PrimaryKey({ type: 'uuid' }) positionId!: string;
  @Property({ type: 'text' }) accountId!: string;
  @Property({ type: 'text' }) ownerId!: string;
  @Property({ type: 'text' }) symbol!: string;
  @Property({ type: 'text' }) assetClass!: 'EQUITY' | 'OPTION' | 'CRYPTO';
  @Property({ type: 'decimal' }) multiplier!: string;
  @Property({ type: 'uuid', nullable: true }) tradeId!: string | null;
  @Property({ type: 'text' }) status!: 'OPEN' | 'CLOSED';
  @Property({ type: 'text' }) side!: 'LONG' | 'SHORT' | 'FLAT';
  @Property({ type: 'decimal' }) quantity!: string;
  @Property({ type: 'decimal' }) averageEntryPrice!: string;
  @Property({ type: 'decimal' }) openCost!: string;
  @Property({ type: 'decimal' }) entryQuantity!: string;
  @Property({ type: 'decimal' }) entryNotional!: string;
  @Property({ type: 'decimal' }) closedQuantity!: string;
  @Property({ type: 'decimal' }) exitNotional!: string;
  @Property({ type: 'decimal', nullable: true }) averageExitPrice!: string | null;
  @Property({ type: 'decimal' }) realizedPnlGross!: string;
  @Property({ type: 'decimal' }) feesPaid!: string;
  @Property({ type: 'decimal', nullable: true }) markPrice!: string | null;
  @Property({ type: 'timestamptz' }) openedAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  @Property({ type: 'integer' }) revision!: number;
  @Property({ type: 'timestamptz' }) updatedAt!: Date;
  @Property({ type: 'text' }) mode!: 'NETTING' | 'HEDGING';
  @Property({ type: 'decimal', nullable: true }) marketValue!: string | null;
  @Property({ type: 'decimal', nullable: true }) unrealizedPnl!: string | null;
  @Property({ type: 'timestamptz', nullable: true }) markedAt!: Date | null;
  @Property({ type: 'text', nullable: true }) exitReason!: 'FILLS' | 'MANUAL_EXIT' | null;
}
