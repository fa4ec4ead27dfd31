import { describe, expect, it } from '@jest/globals';
import { type AuditFillRow, buildAuditTrail } from './audit-trail';

const t = (minute: number) => new Date(Date.UTC(2026, 2, 2, 14, minute)).toISOString();
const fill = (executionId: string, orderId: string, side: 'BUY' | 'SELL', quantity: string, price: string, fee: string, minute: number): AuditFillRow => ({
  executionId, orderId, side, quantity, price, fee, transition: 'INCREASED', source: 'ORDER_FILLED', filledAt: t(minute),
});

describe('buildAuditTrail', () => {
  const fills = [
    fill('e1', 'o1', 'BUY', '6', '100', '0.6', 1),
    fill('e2', 'o1', 'BUY', '4', '100.5', '0.4', 2),
    fill('e3', 'o2', 'SELL', '3', '105', '0.3', 5),
  ];

  it('given a long position and its fills, lists orders and fills in time order and finds them consistent', () => {
    const trail = buildAuditTrail(
      { positionId: 'p1', side: 'LONG', quantity: '7', feesPaid: '1.3' },
      [{ orderId: 'o1', purpose: 'ENTRY', linkedAt: t(1) }, { orderId: 'o2', purpose: 'EXIT', linkedAt: t(5) }],
      fills,
    );
    expect(trail.entries.map((e) => (e.kind === 'ORDER' ? `order ${e.orderId}` : `fill ${e.executionId}`))).toEqual([
      'order o1', 'fill e1', 'fill e2', 'order o2', 'fill e3',
    ]);
    expect(trail.entries[0]).toMatchObject({ side: 'BUY', filledQuantity: '10', averageFillPrice: '100.2', fees: '1', fillCount: 2 });
    expect(trail.summary).toEqual({
      orderCount: 2, fillCount: 3, signedQuantity: '7', signedFillQuantity: '7', quantityConsistent: true,
      feesPaid: '1.3', feesOfFills: '1.3', feesConsistent: true,
    });
  });

  it('signs a short position negative and lists an order without a link row from its fills', () => {
    const trail = buildAuditTrail({ positionId: 'p2', side: 'SHORT', quantity: '2', feesPaid: '0' }, [], [fill('e9', 'o9', 'SELL', '2', '50', '0', 3)]);
    expect(trail.summary).toMatchObject({ signedQuantity: '-2', signedFillQuantity: '-2', quantityConsistent: true, orderCount: 1 });
    expect(trail.entries[0]).toMatchObject({ kind: 'ORDER', orderId: 'o9', purpose: 'UNLINKED', at: t(3) });
  });

  it('reports a quantity or fees that disagree with the fills', () => {
    const trail = buildAuditTrail({ positionId: 'p1', side: 'LONG', quantity: '8', feesPaid: '1.2' }, [], fills);
    expect(trail.summary).toMatchObject({ signedFillQuantity: '7', quantityConsistent: false, feesConsistent: false });
    const flat = buildAuditTrail({ positionId: 'p3', side: 'FLAT', quantity: '0', feesPaid: '0' }, [], [fill('a', 'o', 'BUY', '1', '1', '0', 1), fill('b', 'o2', 'SELL', '1', '2', '0', 2)]);
    expect(flat.summary).toMatchObject({ signedQuantity: '0', signedFillQuantity: '0', quantityConsistent: true });
  });

  it('keeps decimals exact', () => {
    const trail = buildAuditTrail({ positionId: 'p', side: 'LONG', quantity: '0.3', feesPaid: '0.0000003' }, [], [
      fill('a', 'o', 'BUY', '0.1', '0.1', '0.0000001', 1), fill('b', 'o', 'BUY', '0.2', '0.2', '0.0000002', 1),
    ]);
    expect(trail.summary).toMatchObject({ signedFillQuantity: '0.3', quantityConsistent: true, feesConsistent: true });
    expect(trail.entries[0]).toMatchObject({ filledQuantity: '0.3', averageFillPrice: '0.16666666666666666667' });
  });
});
