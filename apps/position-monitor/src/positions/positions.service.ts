import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import type { OrderFilledV1 } from '@tlp/contracts';
import { appendToOutbox, claimInbox, sqlOf, type InboxEntry } from '@tlp/messaging';
import { Clock, deterministicId } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import { applyFill, type PositionChange } from './position-accounting';
import { positionUpdatedByFill } from './position-events';
import { decimalString, recordFieldsOf, stateOf } from './position-mapping';
import { PositionRecord } from './position-record.entity';

export type FillProcessing = 'APPLIED' | 'ALREADY_PROCESSED' | 'DUPLICATE_EXECUTION';

/** A fill the accounting refuses (it passed the contract, so it is inconsistent with the position): dead-lettered. */
export class FillRefusedError extends Error {
  override readonly name = 'FillRefusedError';
}

/**
 * Applies each `order.filled` to the account's position in its instrument (netting mode), links the
 * fill and its order to every position it changed, and publishes `position.updated`: one transaction.
 */
@Injectable()
export class PositionsService {
  private readonly logger = new Logger(PositionsService.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {}

  async process(event: OrderFilledV1, inbox: InboxEntry): Promise<FillProcessing> {
    const fill = event.payload;
    return this.orm.em.fork().transactional(async (em) => {
      const sql = sqlOf(em);
      if ((await claimInbox(sql, inbox)) === 'ALREADY_PROCESSED') return 'ALREADY_PROCESSED';
      await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [`position:${fill.accountId}:${fill.instrument.symbol}`]);
      const [seen] = await em.execute<{ n: number }[]>('SELECT 1 AS n FROM position_fills WHERE execution_id = ? AND order_id = ? LIMIT 1', [fill.executionId, fill.orderId]);
      if (seen) return 'DUPLICATE_EXECUTION';
      const current = await em.findOne(PositionRecord, { accountId: fill.accountId, symbol: fill.instrument.symbol, status: 'OPEN' });
      const application = applyFill(current ? stateOf(current) : null, inputOf(fill), {
        accountId: fill.accountId,
        ownerId: fill.ownerId,
        symbol: fill.instrument.symbol,
        assetClass: fill.instrument.assetClass,
        multiplier: new Decimal(fill.instrument.multiplier),
        tradeId: fill.tradeId,
        newPositionId: (purpose) => deterministicId('position-monitor.position', fill.orderId, fill.executionId, purpose),
      });
      if (application.kind === 'REFUSED') throw new FillRefusedError(`${application.code}: ${application.detail}`);
      if (application.kind === 'DUPLICATE') return 'DUPLICATE_EXECUTION';
      const now = this.clock.now();
      for (const change of application.changes) await this.record(em, change, fill, now);
      await appendToOutbox(sql, application.changes.map((change) => positionUpdatedByFill(change, event, now)));
      return 'APPLIED';
    });
  }

  private async record(em: EntityManager, change: PositionChange, fill: OrderFilledV1['payload'], now: Date): Promise<void> {
    await em.upsert(PositionRecord, recordFieldsOf(change.position, now));
    await em.execute(
      `INSERT INTO position_fills (execution_id, order_id, position_id, side, quantity, price, fee, transition, filled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [fill.executionId, fill.orderId, change.position.positionId, fill.side, decimalString(change.part.quantity), fill.lastPrice, decimalString(change.part.fee), change.transition, new Date(fill.filledAt)],
    );
    this.logger.debug?.(`position ${change.position.positionId} ${change.transition} by ${fill.executionId}`);
  }
}

function inputOf(fill: OrderFilledV1['payload']) {
  return {
    executionId: fill.executionId,
    orderId: fill.orderId,
    side: fill.side,
    quantity: new Decimal(fill.lastQuantity),
    price: new Decimal(fill.lastPrice),
    fee: new Decimal(fill.fee),
    at: new Date(fill.filledAt),
  };
}
