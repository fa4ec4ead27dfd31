import { Entity, OptionalProps, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { OrderStatus, type OrderRef } from '@tlp/contracts';
import { Decimal } from 'decimal.js';
import type { OrderState } from './order-state-machine';

/** An order the monitor follows at the broker, from `order.submitted` until a terminal status. */
@Entity({ tableName: 'tracked_orders' })
export class TrackedOrder {
  [PrimaryKeyProp]?: 'orderId';
  [OptionalProps]?: 'filledQuantity' | 'averageFillPrice' | 'status' | 'previousStatus' | 'acceptedAt' | 'causationId';
  @PrimaryKey({ type: 'uuid' }) orderId!: string;
  @Property({ type: 'text', unique: true }) clientOrderId!: string;
  /** The live broker order; every id the order has had is in `order_broker_ids`. */
  @Property({ type: 'text', nullable: true }) brokerOrderId!: string | null;
  /** The order's terms as published in `order.submitted`, for the events this service publishes. */
  @Property({ type: 'json' }) ref!: OrderRef;
  @Property({ type: 'decimal' }) quantity!: string;
  @Property({ type: 'decimal' }) filledQuantity: string = '0';
  @Property({ type: 'decimal', nullable: true }) averageFillPrice: string | null = null;
  @Property({ type: 'text' }) status: string = 'ACCEPTED';
  /** The status a refused cancel or replace restores; set only while PENDING_CANCEL or PENDING_REPLACE. */
  @Property({ type: 'text', nullable: true }) previousStatus: string | null = null;
  /** When the broker acknowledged the order (`new`); set once, with the `order.accepted` it publishes. */
  @Property({ type: 'timestamptz', nullable: true }) acceptedAt: Date | null = null;
  @Property({ type: 'uuid' }) correlationId!: string;
  @Property({ type: 'uuid', nullable: true }) causationId: string | null = null;
  @Property({ type: 'timestamptz' }) submittedAt!: Date;
  @Property({ type: 'timestamptz' }) updatedAt!: Date;
}

/** The state machine's view of a tracked order. */
export function orderStateOf(order: TrackedOrder): OrderState {
  return {
    status: OrderStatus.parse(order.status),
    quantity: new Decimal(order.quantity),
    filledQuantity: new Decimal(order.filledQuantity),
    previousStatus: order.previousStatus === null ? null : OrderStatus.parse(order.previousStatus),
  };
}
