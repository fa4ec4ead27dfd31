import { describe, expect, it } from '@jest/globals';
import { armRules, decideRequest, decideStreamAuth, decideUpdate, EMPTY_PLAN, routeMatches, type FaultPlan, type RequestSubject, type UpdateSubject } from './fault-plan';
import { parseFaultRules, toFaultRule, toFaultRuleView } from './fault-rules';

const NOW = 1_700_000_000_000;

function planOf(...specs: unknown[]): FaultPlan {
  const parsed = parseFaultRules({ rules: specs });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return armRules(EMPTY_PLAN, parsed.rules.map((s, i) => toFaultRule(s, `f${i + 1}`))).plan;
}

const post = (over: Partial<RequestSubject> = {}): RequestSubject => ({
  method: 'POST',
  path: '/v2/orders',
  symbol: 'AAPL',
  clientOrderId: 'c-1',
  createsOrder: true,
  ...over,
});
const getOrder: RequestSubject = { method: 'GET', path: '/v2/orders/abc', symbol: 'AAPL', clientOrderId: 'c-1', createsOrder: false };
const update = (over: Partial<UpdateSubject> = {}): UpdateSubject => ({ event: 'fill', symbol: 'AAPL', clientOrderId: 'c-1', ...over });

describe('routeMatches', () => {
  it.each([
    ['*', 'DELETE', '/v2/orders/x', true],
    ['POST /v2/orders', 'POST', '/v2/orders', true],
    ['POST /v2/orders', 'GET', '/v2/orders', false],
    ['GET /v2/orders/:id', 'GET', '/v2/orders/123', true],
    ['GET /v2/orders/:id', 'GET', '/v2/orders', false],
    ['GET /v2/orders/:id', 'GET', '/v2/orders/1/x', false],
    ['* /v2/orders/:id', 'PATCH', '/v2/orders/1', true],
    ['GET /v2/account/activities/FILL', 'GET', '/v2/account/activities/FILL', true],
  ])('%s vs %s %s -> %s', (route, method, path, expected) => {
    expect(routeMatches(route, method, path)).toBe(expected);
  });
});

describe('decideRequest', () => {
  it('given an error rule for the next request, refuses one request, then routes again', () => {
    const plan = planOf({ kind: 'error', route: 'POST /v2/orders', status: 403 });
    const first = decideRequest(plan, post(), NOW);
    expect(first.faults.refusal).toEqual({ status: 403, body: { code: 40310000, message: 'insufficient buying power' }, headers: {} });
    expect(first.plan.rules).toEqual([]);
    expect(decideRequest(first.plan, post(), NOW).faults.refusal).toBeNull();
  });

  it('matches the symbol and the client order id', () => {
    const plan = planOf({ kind: 'error', status: 422, symbol: 'MSFT' }, { kind: 'error', status: 500, client_order_id: 'c-2' });
    expect(decideRequest(plan, post(), NOW).faults.refusal).toBeNull();
    expect(decideRequest(plan, post({ symbol: 'MSFT' }), NOW).faults.refusal?.status).toBe(422);
    expect(decideRequest(plan, post({ clientOrderId: 'c-2' }), NOW).faults.refusal?.status).toBe(500);
  });

  it('fires `times` times, or always', () => {
    let plan = planOf({ kind: 'error', status: 503, times: 2 }, { kind: 'error', status: 500, route: 'GET /v2/orders/:id', times: 'always' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const decided = decideRequest(plan, post(), NOW);
      plan = decided.plan;
      statuses.push(decided.faults.refusal?.status ?? 200);
    }
    expect(statuses).toEqual([503, 503, 200]);
    for (let i = 0; i < 3; i += 1) plan = decideRequest(plan, getOrder, NOW).plan;
    expect(plan.rules.map(toFaultRuleView)).toMatchObject([{ id: 'f2', remaining: 'always' }]);
  });

  it('answers a 429 with an exhausted budget and Retry-After', () => {
    const plan = planOf({ kind: 'error', status: 429, retry_after_s: 3 });
    expect(decideRequest(plan, getOrder, NOW).faults.refusal).toEqual({
      status: 429,
      body: { code: 42910000, message: 'rate limit exceeded' },
      headers: { 'Retry-After': '3', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 + 3) },
    });
  });

  it('gives an error priority and fires nothing else with it', () => {
    const plan = planOf({ kind: 'partial_fills', parts: ['1'] }, { kind: 'error', status: 500 });
    const decided = decideRequest(plan, post(), NOW);
    expect(decided.faults.order).toBeNull();
    expect(decided.plan.rules.map((r) => r.id)).toEqual(['f1']);
  });

  it('combines order faults and response faults of one order-creating request', () => {
    const plan = planOf(
      { kind: 'partial_fills', parts: ['4', '3', '3'], delay_ms: 7 },
      { kind: 'reject', symbol: 'MSFT' },
      { kind: 'fill_before_response' },
      { kind: 'timeout', route: 'POST /v2/orders', hang_ms: 100 },
    );
    const { faults } = decideRequest(plan, post(), NOW);
    expect(faults.refusal).toBeNull();
    expect(faults.hang).toEqual({ ms: 100, then: 'close' });
    expect(faults.responseDelayMs).toBe(50);
    expect(faults.order).toMatchObject({ fillDelayMs: 7, reject: false, actNow: true });
    expect(faults.order?.fillParts?.map((p) => p.toFixed())).toEqual(['4', '3', '3']);
  });

  it('never spends an order fault on a request that creates no order', () => {
    const plan = planOf({ kind: 'reject' });
    const decided = decideRequest(plan, getOrder, NOW);
    expect(decided.faults.order).toBeNull();
    expect(decided.plan.rules).toHaveLength(1);
  });

  it('leaves stream faults to the stream', () => {
    const plan = planOf({ kind: 'drop_stream' });
    expect(decideRequest(plan, post(), NOW).plan.rules).toHaveLength(1);
  });
});

describe('decideUpdate', () => {
  it('drops the next N matching updates of the given events', () => {
    let plan = planOf({ kind: 'drop_stream', events: ['fill'], times: 2 });
    expect(decideUpdate(plan, update({ event: 'new' })).faults.copies).toBe(1);
    const copies: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const decided = decideUpdate(plan, update());
      plan = decided.plan;
      copies.push(decided.faults.copies);
    }
    expect(copies).toEqual([0, 0, 1]);
  });

  it('duplicates a matching update', () => {
    const plan = planOf({ kind: 'duplicate_stream', copies: 3, symbol: 'AAPL' });
    expect(decideUpdate(plan, update({ symbol: 'MSFT' })).faults.copies).toBe(1);
    expect(decideUpdate(plan, update()).faults).toEqual({ copies: 3, disconnect: false });
  });

  it('disconnects after the Nth delivered update, not counting dropped ones', () => {
    let plan = planOf({ kind: 'drop_stream', times: 1 }, { kind: 'disconnect_stream', after_messages: 2 });
    const seen: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const decided = decideUpdate(plan, update());
      plan = decided.plan;
      seen.push(`${decided.faults.copies}${decided.faults.disconnect ? '!' : ''}`);
    }
    expect(seen).toEqual(['0', '1', '1!', '1']);
    expect(plan.rules).toEqual([]);
  });

  it('fires a disconnect with after_messages 0 at arming, without keeping it', () => {
    const parsed = parseFaultRules({ rules: [{ kind: 'disconnect_stream' }] });
    if (!parsed.ok) throw new Error('invalid');
    const armed = armRules(EMPTY_PLAN, parsed.rules.map((s) => toFaultRule(s, 'x')));
    expect(armed).toEqual({ plan: EMPTY_PLAN, disconnectNow: true });
  });
});

describe('decideStreamAuth', () => {
  it('refuses stream authentications `times` times after cutting the open connections at arming', () => {
    const parsed = parseFaultRules({ rules: [{ kind: 'refuse_stream', times: 2 }] });
    if (!parsed.ok) throw new Error('invalid');
    const armed = armRules(EMPTY_PLAN, parsed.rules.map((s) => toFaultRule(s, 'x')));
    expect(armed.disconnectNow).toBe(true);
    const first = decideStreamAuth(armed.plan);
    const second = decideStreamAuth(first.plan);
    const third = decideStreamAuth(second.plan);
    expect([first.refuse, second.refuse, third.refuse]).toEqual([true, true, false]);
    expect(decideRequest(armed.plan, post(), NOW).faults.refusal).toBeNull();
  });

  it('takes no route', () => {
    expect(parseFaultRules({ rules: [{ kind: 'refuse_stream', route: 'GET /stream' }] }).ok).toBe(false);
  });
});

describe('parseFaultRules', () => {
  it('accepts a bare list and fills the defaults', () => {
    const parsed = parseFaultRules([{ kind: 'error', status: 503 }]);
    expect(parsed.ok && parsed.rules.map((s) => toFaultRuleView(toFaultRule(s, 'f1')))).toEqual([
      {
        id: 'f1',
        kind: 'error',
        route: '*',
        symbol: null,
        client_order_id: null,
        times: 1,
        remaining: 1,
        status: 503,
        code: 50310000,
        message: 'service unavailable',
        retry_after_s: null,
        fields: {},
      },
    ]);
  });

  it('lists every problem', () => {
    const parsed = parseFaultRules({
      rules: [
        { kind: 'explode' },
        { kind: 'error', status: 200 },
        { kind: 'partial_fills', parts: ['-1'], route: 'GET /v2/orders' },
        { kind: 'drop_stream', route: 'POST /v2/orders' },
        { kind: 'timeout', route: 'orders', times: 0 },
      ],
    });
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? '' : parsed.problems.join('\n');
    expect(problems).toMatch(/rules\.0/);
    expect(problems).toMatch(/rules\.1\.status/);
    expect(problems).toMatch(/rules\.2\.parts\.0/);
    expect(problems).toMatch(/rules\.3\.route: drop_stream takes no route/);
    expect(problems).toMatch(/rules\.4\.route/);
    expect(problems).toMatch(/rules\.4\.times/);
  });
});
