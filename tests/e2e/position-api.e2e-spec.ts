import { mintToken } from '@tlp/service-runtime';
import { TopicRecorder } from '@tlp/testing';
import { Decimal } from 'decimal.js';
import { randomUUID } from 'node:crypto';
import { newTrade } from './decisions';
import { PAPER_PRICES, Platform } from './platform';
import { forDecision, payloadOf, touchesOrder } from './records';

const SECRET = 'position-api-e2e-secret-0123456789abcdef';
const token = (sub: string, permissions = ['positions:read', 'positions:write']) =>
  mintToken({ sub, permissions, key: { algorithm: 'HS256', secret: SECRET } });

interface PositionBody {
  positionId: string;
  ownerId: string;
  accountId: string;
  symbol: string;
  quantity: string;
  averageEntryPrice: string;
}

describe('positions API over fills that came through Kafka: per-user isolation and the audit trail', () => {
  let platform: Platform;
  let recorder: TopicRecorder;
  const api = (path: string, sub: string | null, init: RequestInit = {}) =>
    fetch(`${platform.httpUrls['position-monitor']}${path}`, {
      ...init,
      headers: { ...(sub === null ? {} : { authorization: `Bearer ${token(sub)}` }), ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });

  beforeAll(async () => {
    platform = await Platform.start({ env: { 'position-monitor': { POSITION_MONITOR_AUTH_JWT_SECRET: SECRET } } });
    recorder = new TopicRecorder(platform.kafka, ['order.submitted', 'position.updated'].map((t) => platform.topic(t)));
    await recorder.start();
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await platform?.stop();
  });

  /** Publishes a decision and waits until its fill has reached a position; returns the order id and position. */
  async function trade(ownerId: string, accountId: string, symbol: keyof typeof PAPER_PRICES, quantity: string) {
    const decision = newTrade({ ownerId, accountId, quantity, instrument: { symbol, assetClass: 'EQUITY', multiplier: '1' } });
    await platform.publishDecision(decision);
    const [submitted] = await recorder.waitFor((r) => r.topic.endsWith('order.submitted') && forDecision(decision.decisionId)(r));
    const orderId = payloadOf(submitted)['orderId'] as string;
    const [updated] = await recorder.waitFor((r) => r.topic.endsWith('position.updated') && touchesOrder(orderId)(r));
    return { orderId, positionId: payloadOf(updated)['positionId'] as string };
  }

  it('shows each user only their own positions, answers 404 for the other’s ids and keeps the audit trail consistent', async () => {
    const aliceAccount = `acc-alice-${randomUUID().slice(0, 8)}`;
    const bobAccount = `acc-bob-${randomUUID().slice(0, 8)}`;
    const first = await trade('alice', aliceAccount, 'AAPL', '10');
    const second = await trade('alice', aliceAccount, 'AAPL', '5');
    const bob = await trade('bob', bobAccount, 'MSFT', '7');
    expect(second.positionId).toBe(first.positionId);

    const alicePositions = (await (await api('/positions', 'alice')).json()) as { items: PositionBody[] };
    expect(alicePositions.items).toEqual([expect.objectContaining({ positionId: first.positionId, ownerId: 'alice', accountId: aliceAccount, symbol: 'AAPL', quantity: '15' })]);
    expect(new Decimal(alicePositions.items[0]!.averageEntryPrice).eq(PAPER_PRICES.AAPL)).toBe(true);
    const bobPositions = (await (await api('/positions', 'bob')).json()) as { items: PositionBody[] };
    expect(bobPositions.items.map((p) => p.positionId)).toEqual([bob.positionId]);

    expect((await api(`/positions/${bob.positionId}`, 'alice')).status).toBe(404);
    expect((await api(`/positions/${bob.positionId}/audit-trail`, 'alice')).status).toBe(404);
    expect((await api(`/accounts/${bobAccount}/pnl`, 'alice')).status).toBe(404);
    expect((await api(`/positions/${bob.positionId}`, 'alice', { method: 'PATCH', body: JSON.stringify({ note: 'taken' }) })).status).toBe(404);
    expect(((await (await api(`/positions/${bob.positionId}`, 'bob')).json()) as { note: string | null }).note).toBeNull();
    expect((await api(`/positions/${bob.positionId}`, 'bob')).status).toBe(200);

    const trail = (await (await api(`/positions/${first.positionId}/audit-trail`, 'alice')).json()) as {
      entries: { kind: string; orderId: string; at: string }[];
      summary: Record<string, unknown>;
    };
    expect(trail.entries.filter((e) => e.kind === 'ORDER').map((e) => e.orderId)).toEqual([first.orderId, second.orderId]);
    expect(trail.entries.map((e) => e.at)).toEqual([...trail.entries.map((e) => e.at)].sort());
    expect(trail.summary).toMatchObject({ orderCount: 2, fillCount: 2, signedQuantity: '15', signedFillQuantity: '15', quantityConsistent: true, feesConsistent: true });

    const pnl = (await (await api(`/accounts/${aliceAccount}/pnl`, 'alice')).json()) as { total: { openPositions: number; realizedPnlGross: string } };
    expect(pnl.total).toMatchObject({ openPositions: 1, realizedPnlGross: '0' });
  });

  it('refuses a missing or foreign-signed token and names a missing permission', async () => {
    expect((await api('/positions', null)).status).toBe(401);
    const forged = mintToken({ sub: 'alice', permissions: ['positions:read'] });
    expect((await fetch(`${platform.httpUrls['position-monitor']}/positions`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    const readOnly = mintToken({ sub: 'alice', permissions: ['dq:admin'], key: { algorithm: 'HS256', secret: SECRET } });
    const forbidden = await fetch(`${platform.httpUrls['position-monitor']}/positions`, { headers: { authorization: `Bearer ${readOnly}` } });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ missingPermissions: ['positions:read'] });
    expect((await fetch(`${platform.httpUrls['position-monitor']}/positions?limit=0`, { headers: { authorization: `Bearer ${token('alice')}` } })).status).toBe(400);
  });
});
