/**
 * Drives a short demo through the running platform (`pnpm demo` starts everything first): a handful
 * of decisions, by Kafka and by HTTP, followed to their positions, printed as a table.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecisionApprovedV1, type NewTradeDecision } from '@tlp/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { mintToken } from '../libs/service-runtime/src/auth/mint-token';

const env = Object.fromEntries(
  readFileSync(join(__dirname, '../.stack/stack.env'), 'utf8')
    .split('\n')
    .map((l) => /^export ([A-Z0-9_]+)=(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]]),
) as Record<string, string>;
const kafka = new Kafka({ clientId: 'demo', brokers: (env['TLP_KAFKA_BROKERS'] ?? '127.0.0.1:19092').split(','), logLevel: logLevel.NOTHING });
// A fresh account per run: a second run the same day starts from flat positions.
const account = `demo-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 6)}`;

interface PositionView {
  symbol: string;
  side: string;
  quantity: string;
  averageEntryPrice: string;
  realizedPnlNet: string;
  revision: number;
  orderIds: string[];
}

function decision(symbol: string, side: 'BUY' | 'SELL', quantity: string): NewTradeDecision {
  return {
    action: 'NEW_TRADE', decisionId: randomUUID(), tradeId: randomUUID(), accountId: account, ownerId: 'demo-user',
    approvedAt: new Date().toISOString(), instrument: { symbol, assetClass: 'EQUITY', multiplier: '1' },
    side, quantity, orderType: 'MARKET', timeInForce: 'DAY', tradeStyle: 'DAY',
  };
}

async function viaKafka(d: NewTradeDecision): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const event = DecisionApprovedV1.schema.parse({
    eventId: randomUUID(), type: 'decision.approved', version: 1, occurredAt: new Date().toISOString(),
    producer: 'demo', correlationId: randomUUID(), causationId: null, payload: d,
  });
  await producer.send({ topic: 'decision.approved', messages: [{ key: d.accountId, value: JSON.stringify(event) }] });
  await producer.disconnect();
}

async function viaHttp(d: NewTradeDecision): Promise<void> {
  const res = await fetch('http://127.0.0.1:3001/decisions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(d) });
  console.log(`POST /decisions ${d.side} ${d.quantity} ${d.instrument.symbol} -> ${res.status} ${await res.text()}`);
}

async function main(): Promise<void> {
  const positions = new Map<string, PositionView>();
  const consumer = kafka.consumer({ groupId: `demo-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: ['position.updated'], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}') as { payload: PositionView & { accountId: string; instrument: { symbol: string } } };
      if (event.payload.accountId !== account) return;
      const view = { ...event.payload, symbol: event.payload.instrument.symbol };
      const known = positions.get(view.symbol);
      if (!known || known.revision <= view.revision) positions.set(view.symbol, view);
      await Promise.resolve();
    },
  });
  const plan: [string, 'BUY' | 'SELL', string, 'kafka' | 'http'][] = [
    ['AAPL', 'BUY', '10', 'kafka'], ['MSFT', 'BUY', '5', 'kafka'], ['SPY', 'BUY', '2', 'http'], ['AAPL', 'SELL', '4', 'kafka'],
  ];
  for (const [symbol, side, qty, via] of plan) {
    const d = decision(symbol, side, qty);
    console.log(`decision ${d.decisionId}: ${side} ${qty} ${symbol} via ${via}`);
    await (via === 'kafka' ? viaKafka(d) : viaHttp(d));
    await new Promise((r) => setTimeout(r, 1500));
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !(positions.get('AAPL')?.quantity === '6' && positions.has('MSFT') && positions.has('SPY'))) {
    await new Promise((r) => setTimeout(r, 500));
  }
  await consumer.disconnect();
  console.log(`\npositions of account ${account} (from position.updated):`);
  console.table([...positions.values()].map((p) => ({ symbol: p.symbol, side: p.side, quantity: p.quantity, averageEntryPrice: p.averageEntryPrice, realizedPnlNet: p.realizedPnlNet, revision: p.revision })));
  await showApi();
  const metrics = await (await fetch('http://127.0.0.1:3004/metrics')).text();
  console.log(metrics.split('\n').filter((l) => l.startsWith('tlp_dq_')).join('\n'));
  if (positions.get('AAPL')?.quantity !== '6') throw new Error('demo did not reach the expected positions; see .stack/services/*.log');
}

/** The position API as the demo's user, with a token signed by the services' default dev secret. */
async function showApi(): Promise<void> {
  const token = mintToken({ sub: 'demo-user', permissions: ['positions:read'] });
  const api = async (path: string): Promise<Record<string, unknown>> =>
    (await (await fetch(`http://127.0.0.1:3003${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
  try {
    console.log(`\nGET /accounts/${account}/pnl as demo-user:`, JSON.stringify((await api(`/accounts/${account}/pnl`))['total']));
    const [open] = ((await api(`/positions?account=${account}&symbol=AAPL&status=OPEN`))['items'] ?? []) as { positionId: string }[];
    if (open) console.log(`GET /positions/${open.positionId}/audit-trail summary:`, JSON.stringify((await api(`/positions/${open.positionId}/audit-trail`))['summary']));
  } catch (error) {
    console.log(`position API not reachable: ${String(error)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
