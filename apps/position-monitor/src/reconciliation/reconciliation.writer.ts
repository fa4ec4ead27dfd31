import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Clock, deterministicId } from '@tlp/service-runtime';
import { Decimal } from 'decimal.js';
import { calculateSignedQuantity } from '../positions/position';
import { lockInstrument, PositionsRepository } from '../positions/positions.repository';
import { PositionsService, type PositionFill } from '../positions/positions.service';
import type { ReconciliationAction } from './reconciliation';

type PositionAction = Extract<ReconciliationAction, { kind: 'MANUAL_EXIT' | 'QUANTITY_ADJUSTED' }>;

/**
 * Applies a reconciliation close or adjustment as a synthetic fill (`position_fills.source`
 * MANUAL_EXIT or EXTERNAL_ADJUSTMENT, `external` true) in one transaction, only if the position still
 * holds what the run saw. Ids derive from the position and its revision, so a repeated run is a no-op.
 */
@Injectable()
export class ReconciliationWriter {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly positions: PositionsRepository,
    private readonly service: PositionsService,
  ) {}

  /** False when the position changed since the run read it (nothing is done). */
  async apply(action: PositionAction, runId: string): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em) => {
      const stored = await this.positions.findById(em, action.positionId);
      if (stored === null) return false;
      const position = stored.state;
      await lockInstrument(em, position.accountId, position.symbol);
      const fresh = await this.positions.findById(em, action.positionId);
      if (fresh?.state.status !== 'OPEN' || !calculateSignedQuantity(fresh.state).equals(action.platformQuantity)) return false;
      const purpose = action.kind === 'MANUAL_EXIT' ? 'manual-exit' : 'adjustment';
      const orderId = deterministicId(`position-monitor.${purpose}`, position.positionId, String(fresh.state.revision));
      const fill: PositionFill = {
        executionId: `reconciliation:${orderId}`,
        orderId,
        purpose: 'EXTERNAL',
        side: action.kind === 'MANUAL_EXIT' ? (fresh.state.side === 'LONG' ? 'SELL' : 'BUY') : action.side,
        quantity: action.kind === 'MANUAL_EXIT' ? fresh.state.quantity : action.quantity,
        price: action.price,
        fee: new Decimal(0),
        at: this.clock.now(),
        source: action.kind === 'MANUAL_EXIT' ? 'MANUAL_EXIT' : 'EXTERNAL_ADJUSTMENT',
        accountId: position.accountId,
        ownerId: position.ownerId,
        instrument: { symbol: position.symbol, assetClass: position.assetClass, multiplier: position.multiplier.toFixed() },
        tradeId: position.tradeId,
        exitAveragePrice: null,
        targetPositionId: position.positionId,
        origin: { cause: 'RECONCILIATION', orderIds: [orderId], executionIds: [`reconciliation:${orderId}`], correlationId: runId, causationId: null },
        eventId: null,
      };
      return (await this.service.applyInTransaction(em, fill)) !== null;
    });
  }
}
