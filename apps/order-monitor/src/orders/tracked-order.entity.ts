import { Entity, OptionalProps, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import type { OrderRef } from '@tlp/contracts';

/** An order the monitor follows at the broker, from `order.submitted` until a terminal status. */
@Entity({ tableName: 'tracked_orders' })
export class TrackedOrder {
  [PrimaryKeyProp]?: 'orderId';
  [OptionalProps]?: 'filledQuantity' | 'averageFillPrice' | 'status' | 'causationId';
  @PrimaryKey({ type: 'uuid' }) orderId!: string;
  @Property({ type: 'text', unique: true }) clientOrderId!: string;
  @Property({ type: 'text', nullable: true }) brokerOrderId!: string | null;
  /** The order's terms as published in `order.submitted`, for the events this service publishes. */
  @Property({ type: 'json' }) ref!: OrderRef;
  @Property({ type: 'decimal' }) quantity!: string;
  @Property({ type: 'decimal' }) filledQuantity: string = '0';
  @Property({ type: 'decimal', nullable: true }) averageFillPrice: string | null = null;
  @Property({ type: 'text' }) status: string = 'ACCEPTED';
  @Property({ type: 'uuid' }) correlationId!: string;
  @Property({ type: 'uuid', nullable: true }) causationId: string | null = null;
  @Property({ type: 'timestamptz' }) submittedAt!: Date;
  @Property({ type: 'timestamptz' }) updatedAt!: Date;
}
