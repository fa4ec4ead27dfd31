import type { BrokerGateService } from '../broker-gate/broker-gate.service';
import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { brokerOrderId, type BrokerPort, type MarketClock, type OrderStatusReport, type SubmitOrder, type SubmitResult, type TradingDay } from '@tlp/broker';
import type { Decision } from '@tlp/contracts';
import { sqlOf } from '@tlp/messaging';
import { databaseOrmOptions, FixedClock } from '@tlp/service-runtime';
import { createTestDatabase, type TestDatabase } from '@tlp/testing';
import { Decimal } from 'decimal.js';
import { DATABASE } from '../app.module';
import { DecisionRecord } from '../decisions/decision-record.entity';
import { DecisionIntakeService } from '../decisions/decision-intake.service';
import { DecisionsService } from '../decisions/decisions.service';
import { ExecutionOrder } from '../decisions/execution-order.entity';
import type { ExecutorSettings } from '../decisions/executor.tokens';
import { OrderSubmissionService } from '../decisions/order-submission.service';
import { SubmissionRecoveryService } from '../decisions/submission-recovery.service';
import { PreTradeScreeningService } from '../risk/pre-trade-screening.service';
import { riskLimitsOf } from '../risk/risk-limits';
import { ScheduledRunService } from './scheduled-run.service';
import { claimRun, findRun } from './scheduled-runs.repository';

/** A broker that is open on the given trading days and accepts every order once per client order id. */
class FakeBroker {
  readonly submitted: string[] = [];
  constructor(private readonly days: TradingDay[]) {}

  getCalendar(start: string, end: string): Promise<TradingDay[]> {
    return Promise.resolve(this.days.filter((d) => d.date >= start && d.date <= end));
  }

  getClock(): Promise<MarketClock> {
    return Promise.resolve({ at: new Date(), isOpen: true, nextOpen: new Date(), nextClose: new Date() });
  }

  listPositions(): Promise<[]> {
    return Promise.resolve([]);
  }

  listOrders(): Promise<[]> {
    return Promise.resolve([]);
  }

  getOrderByClientOrderId(): Promise<null> {
    return Promise.resolve(null);
  }

  async submitOrder(command: SubmitOrder): Promise<SubmitResult> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (this.submitted.includes(command.clientOrderId)) return { outcome: 'DUPLICATE_CLIENT_ORDER_ID' };
    this.submitted.push(command.clientOrderId);
    const now = new Date();
    const order: OrderStatusReport = {
      ...command,
      brokerOrderId: brokerOrderId(randomUUID()),
      limitPrice: command.limitPrice ?? null,
      stopPrice: command.stopPrice ?? null,
      assetClass: 'EQUITY',
      notional: null,
      filledQuantity: new Decimal(0),
      averageFillPrice: null,
      status: 'ACCEPTED',
      rawStatus: 'accepted',
      replacedBy: null,
      replaces: null,
      createdAt: now,
      updatedAt: now,
      submittedAt: now,
      filledAt: null,
      submittedAtRaw: now.toISOString(),
    };
    return { outcome: 'ACCEPTED', order };
  }
}

// Monday 2026-03-09, the first trading day after the change to daylight saving time: 10:00 New York.
const TRADING_DAY: TradingDay = { date: '2026-03-09', open: '09:30', close: '16:00' };
const DUE_AT = '2026-03-09T14:00:00Z';
const settings: ExecutorSettings = {
  brokerName: 'paper',
  recoveryGraceMs: 0,
  cancelConfirmTimeoutMs: 1000,
  executionMode: 'SCHEDULED',
  scheduleTime: '09:45',
  scheduleCheckIntervalMs: 30_000,
};

function newTrade(overrides: Partial<Record<string, string>> = {}): Decision {
  return {
    action: 'NEW_TRADE',
    decisionId: randomUUID(),
    tradeId: randomUUID(),
    accountId: 'acc-schedule',
    ownerId: 'user-schedule',
    approvedAt: new Date().toISOString(),
    instrument: { symbol: 'AAPL', assetClass: 'EQUITY', multiplier: '1' },
    side: 'BUY',
    quantity: '10',
    orderType: 'LIMIT',
    limitPrice: '187.503',
    timeInForce: 'DAY',
    tradeStyle: 'DAY',
    ...overrides,
  };
}

/** The broker is healthy throughout these tests: the gate never holds a submission. */
const openGate = { state: () => ({ open: true }) } as unknown as BrokerGateService;

describe('ScheduledRunService (PostgreSQL)', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let clock: FixedClock;
  let broker: FakeBroker;

  beforeAll(async () => {
    db = await createTestDatabase('executor_schedule');
    orm = await MikroORM.init(databaseOrmOptions({ ...DATABASE, clientUrl: db.url }));
    await orm.getMigrator().up();
  });

  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  beforeEach(async () => {
    await orm.em.fork().getConnection().execute('TRUNCATE scheduled_runs, execution_orders, decisions, messaging_outbox CASCADE');
    clock = new FixedClock('2026-03-09T13:00:00Z');
    broker = new FakeBroker([TRADING_DAY]);
  });

  function runService(): ScheduledRunService {
    const port = broker as unknown as BrokerPort;
    const screening = new PreTradeScreeningService(port, clock, { limits: riskLimitsOf({ maxNotionalPerOrder: '5000' }), requireMarketOpen: true });
    return new ScheduledRunService(orm, port, clock, screening, new OrderSubmissionService(orm, port, clock, openGate), settings);
  }

  async function schedule(decision: Decision): Promise<string> {
    const accepted = await new DecisionsService(orm, clock, settings).accept(decision, { kind: 'HTTP', correlationId: randomUUID(), eventId: null, inbox: null }, { kind: 'SCHEDULED' });
    return accepted.orderId ?? '';
  }

  const orderOf = (orderId: string) => orm.em.fork().findOneOrFail(ExecutionOrder, orderId);

  it('claims a date exactly once when two replicas race', async () => {
    const claims = await Promise.all(Array.from({ length: 2 }, () => claimRun(sqlOf(orm.em.fork()), '2026-03-09', clock.now())));
    expect(claims.sort()).toEqual(['ALREADY_CLAIMED', 'CLAIMED']);
  });

  it('takes a NEW_TRADE in scheduled mode without screening it (the market may be closed): outcome SCHEDULED', async () => {
    const port = broker as unknown as BrokerPort;
    const refuseScreening = { screen: () => Promise.reject(new Error('screened on arrival')) } as unknown as PreTradeScreeningService;
    const intake = new DecisionIntakeService(new DecisionsService(orm, clock, settings), new OrderSubmissionService(orm, port, clock, openGate), null as never, refuseScreening, null as never, settings);
    const decision = newTrade();
    const receipt = await intake.receive(decision, { kind: 'HTTP', correlationId: randomUUID(), eventId: null, inbox: null });
    expect(receipt).toMatchObject({ decisionId: decision.decisionId, duplicate: false, outcome: 'SCHEDULED' });
    expect(await orderOf(receipt.orderId ?? '')).toMatchObject({ submissionState: 'SCHEDULED', limitPrice: '187.503' });
    expect(await orm.em.fork().findOneOrFail(DecisionRecord, decision.decisionId)).toMatchObject({ status: 'RECEIVED' });
    expect(broker.submitted).toEqual([]);
  });

  it('leaves orders SCHEDULED before 09:45 New York, and never lets the recovery pass submit them', async () => {
    const orderId = await schedule(newTrade());
    expect(await runService().check()).toEqual({ kind: 'NOT_DUE', reason: 'BEFORE_RUN_TIME' });
    const port = broker as unknown as BrokerPort;
    const submission = new OrderSubmissionService(orm, port, clock, openGate);
    const recovery = new SubmissionRecoveryService(orm, submission, null as never, null as never, clock, settings);
    clock.advance(60_000);
    await recovery.resolveInDoubt(0);
    await expect(submission.resolveOrResubmit(orderId)).resolves.toBe('SCHEDULED');
    expect((await orderOf(orderId)).submissionState).toBe('SCHEDULED');
    expect(broker.submitted).toEqual([]);
  });

  it('runs once across two racing replicas: each order is screened, rounded and submitted once', async () => {
    const first = await schedule(newTrade());
    clock.advance(1000);
    const second = await schedule(newTrade({ limitPrice: '410.25' }));
    clock.set(DUE_AT);
    const outcomes = await Promise.all([runService().check(), runService().check()]);
    expect(outcomes.filter((o) => o.kind === 'RAN')).toHaveLength(1);
    expect(broker.submitted).toHaveLength(2);
    const [a, b] = await Promise.all([orderOf(first), orderOf(second)]);
    expect([a.submissionState, b.submissionState]).toEqual(['ACCEPTED', 'ACCEPTED']);
    expect(a.limitPrice).toBe('187.5');
    expect([...broker.submitted].sort()).toEqual([a.clientOrderId, b.clientOrderId].sort());
    expect(await findRun(sqlOf(orm.em.fork()), '2026-03-09')).toMatchObject({ ordersSubmitted: 2, finishedAt: expect.any(Date) });
    expect(await runService().check()).toEqual({ kind: 'ALREADY_RUN', runDate: '2026-03-09' });
  });

  it('records a risk denial at the run like an immediate one: REJECTED, decision DENIED, order.rejected by RISK', async () => {
    const decision = newTrade({ quantity: '100' });
    const orderId = await schedule(decision);
    clock.set(DUE_AT);
    expect(await runService().check()).toMatchObject({ kind: 'RAN', ordersSubmitted: 0 });
    expect(await orderOf(orderId)).toMatchObject({ submissionState: 'REJECTED', rejectCode: 'MAX_NOTIONAL_EXCEEDED' });
    expect(await orm.em.fork().findOneOrFail(DecisionRecord, decision.decisionId)).toMatchObject({ status: 'DENIED', outcomeCode: 'MAX_NOTIONAL_EXCEEDED' });
    const events = await orm.em.fork().getConnection().execute<{ event_type: string; payload: string }[]>(`SELECT event_type, payload FROM messaging_outbox`);
    expect(events.map((e) => [e.event_type, (JSON.parse(e.payload) as { payload: { rejectedBy: string } }).payload.rejectedBy])).toEqual([['order.rejected', 'RISK']]);
    expect(broker.submitted).toEqual([]);
  });

  it('resumes a claimed run that never finished (crash mid-run) at the next check', async () => {
    const orderId = await schedule(newTrade());
    clock.set(DUE_AT);
    await claimRun(sqlOf(orm.em.fork()), '2026-03-09', clock.now());
    clock.advance(30_000);
    expect(await runService().check()).toEqual({ kind: 'RESUMED', runDate: '2026-03-09', ordersSubmitted: 1 });
    expect((await orderOf(orderId)).submissionState).toBe('ACCEPTED');
    expect(await runService().check()).toEqual({ kind: 'ALREADY_RUN', runDate: '2026-03-09' });
  });

  it('does not run on a holiday (a date absent from the calendar)', async () => {
    await schedule(newTrade());
    clock.set('2026-11-26T15:00:00Z');
    expect(await runService().check()).toEqual({ kind: 'NOT_DUE', reason: 'NOT_A_TRADING_DAY' });
    expect(await findRun(sqlOf(orm.em.fork()), '2026-11-26')).toBeNull();
  });
});
