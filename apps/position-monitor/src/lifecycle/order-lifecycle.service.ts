import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { OrderAcceptedV1, OrderCanceledV1, OrderExpiredV1, OrderRejectedV1, OrderSubmittedV1 } from '@tlp/contracts';
import { claimInbox, sqlOf, type InboxEntry } from '@tlp/messaging';
import { Decimal } from 'decimal.js';
import { positionModeOf, type PositionModeSettings } from '../positions/position-mode';
import { lockInstrument, PositionsRepository } from '../positions/positions.repository';
import { POSITION_MODES } from '../positions/positions.service';
import { LifecycleService, type OrderEnded } from './lifecycle.service';

export type OrderEventProcessing = 'PROCESSED' | 'ALREADY_PROCESSED';

type EndedEvent = OrderRejectedV1 | OrderCanceledV1 | OrderExpiredV1;

/** Order events that move position lifecycles: each in one transaction with its inbox claim, under the instrument lock. */
@Injectable()
export class OrderLifecycleService {
  constructor(
    private readonly orm: MikroORM,
    private readonly lifecycle: LifecycleService,
    private readonly positions: PositionsRepository,
    @Inject(POSITION_MODES) private readonly modes: PositionModeSettings,
  ) {}

  /** order.submitted (orders the executor placed) or order.accepted (the broker's acknowledgement; the only announcement of exits the order monitor places). */
  async submitted(event: OrderSubmittedV1 | OrderAcceptedV1, inbox: InboxEntry): Promise<OrderEventProcessing> {
    const order = event.payload;
    const at = 'submittedAt' in order ? order.submittedAt : order.acceptedAt;
    return this.orm.em.fork().transactional(async (em) => {
      if ((await claimInbox(sqlOf(em), inbox)) === 'ALREADY_PROCESSED') return 'ALREADY_PROCESSED';
      await lockInstrument(em, order.accountId, order.instrument.symbol);
      const cause = { cause: `${event.type}:${order.purpose}`, orderId: order.orderId, executionId: null, eventId: event.eventId, at: new Date(at) };
      const alreadyFilled = await this.positions.hasOrderFills(em, order.orderId);
      const positionId = await this.lifecycle.onOrderSubmitted(em, order, positionModeOf(order.accountId, this.modes), alreadyFilled, cause);
      if (positionId !== null) await this.positions.linkOrder(em, order.orderId, positionId, order.purpose, order.tradeId, cause.at);
      return 'PROCESSED';
    });
  }

  async ended(event: EndedEvent, inbox: InboxEntry): Promise<OrderEventProcessing> {
    const order = event.payload;
    const ended: OrderEnded = {
      orderId: order.orderId,
      purpose: order.purpose,
      accountId: order.accountId,
      symbol: order.instrument.symbol,
      tradeId: order.tradeId,
      outcome: event.type === 'order.rejected' ? 'REJECTED' : event.type === 'order.canceled' ? 'CANCELED' : 'EXPIRED',
      filledNothing: !('filledQuantity' in order) || new Decimal(order.filledQuantity).isZero(),
    };
    const at = 'rejectedAt' in order ? order.rejectedAt : 'canceledAt' in order ? order.canceledAt : order.expiredAt;
    return this.orm.em.fork().transactional(async (em) => {
      if ((await claimInbox(sqlOf(em), inbox)) === 'ALREADY_PROCESSED') return 'ALREADY_PROCESSED';
      await lockInstrument(em, order.accountId, order.instrument.symbol);
      const filled = await this.positions.hasOrderFills(em, order.orderId);
      const cause = { cause: `${event.type}:${order.purpose}`, orderId: order.orderId, executionId: null, eventId: event.eventId, at: new Date(at) };
      await this.lifecycle.onOrderEnded(em, { ...ended, filledNothing: ended.filledNothing && !filled }, positionModeOf(order.accountId, this.modes), cause);
      return 'PROCESSED';
    });
  }
}
