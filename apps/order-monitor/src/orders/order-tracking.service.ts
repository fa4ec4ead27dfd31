import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { OrderStatusReport } from '@tlp/broker';
import type { OrderSubmittedV1 } from '@tlp/contracts';
import { appendToOutbox, claimInbox, sqlOf, type InboxEntry } from '@tlp/messaging';
import { Clock } from '@tlp/service-runtime';
import { FillsService } from './fills.service';
import { orderEndedEvent, type TerminalStatus } from './order-events';
import { lockOrderKeys } from './order-locks';
import { TrackedOrder } from './tracked-order.entity';

const TERMINAL: ReadonlySet<string> = new Set(['FILLED', 'CANCELED', 'EXPIRED', 'REJECTED', 'REPLACED']);

/** Starts following orders the executor placed, and records how they end. */
@Injectable()
export class OrderTrackingService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly fills: FillsService,
  ) {}

  /** Tracks a submitted order (once per event) and applies any fill that arrived before it. */
  async track(event: OrderSubmittedV1, inbox: InboxEntry): Promise<'TRACKED' | 'ALREADY_PROCESSED'> {
    const p = event.payload;
    return this.orm.em.fork().transactional(async (em) => {
      await lockOrderKeys(em, [p.clientOrderId, p.brokerOrderId]);
      if ((await claimInbox(sqlOf(em), inbox)) === 'ALREADY_PROCESSED') return 'ALREADY_PROCESSED';
      let order = await em.findOne(TrackedOrder, p.orderId);
      if (!order) {
        const { status: _status, submittedAt: _at, ...ref } = p;
        order = em.create(TrackedOrder, {
          orderId: p.orderId,
          clientOrderId: p.clientOrderId,
          brokerOrderId: p.brokerOrderId,
          ref,
          quantity: p.quantity,
          correlationId: event.correlationId,
          causationId: event.eventId,
          submittedAt: new Date(p.submittedAt),
          updatedAt: this.clock.now(),
        });
        await em.flush();
      }
      await this.fills.applyParked(em, order);
      return 'TRACKED';
    });
  }

  /** Records a broker-reported end of an order (canceled, expired, rejected) and publishes it, once. */
  async end(report: OrderStatusReport, status: TerminalStatus, reason: string): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em) => {
      await lockOrderKeys(em, [report.clientOrderId]);
      const order = await em.findOne(TrackedOrder, { clientOrderId: report.clientOrderId });
      if (!order || TERMINAL.has(order.status)) return false;
      Object.assign(order, { status, updatedAt: this.clock.now() });
      await em.flush();
      await appendToOutbox(sqlOf(em), [orderEndedEvent(order, status, report.updatedAt, reason)]);
      return true;
    });
  }

  async openOrders(): Promise<TrackedOrder[]> {
    return this.orm.em.fork().find(TrackedOrder, { status: { $nin: [...TERMINAL] } }, { orderBy: { submittedAt: 'asc' } });
  }
}
