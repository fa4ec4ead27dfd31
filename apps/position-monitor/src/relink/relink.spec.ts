import { decideRelink, type ExecutionStanding, type RelinkTarget } from './relink';

const request = { accountId: 'a', ownerId: 'u', symbol: 'AAPL', positionId: 'p1', executionIds: ['x1', 'x2'] };
const target: RelinkTarget = { accountId: 'a', ownerId: 'u', symbol: 'AAPL', open: true, hedgingTradeId: null };
const unlinked = (executionId: string, held = true, carried = false, tradeId: string | null = 't1'): ExecutionStanding => ({ executionId, linkedTo: [], held, carried, tradeId });
const linked = (executionId: string, positionId: string): ExecutionStanding => ({ executionId, linkedTo: [positionId], held: false, carried: true, tradeId: 't1' });

describe('relink decision', () => {
  it('given an unlinked fill the monitor holds, then it links it to the matching open position from its own record', () => {
    expect(decideRelink(request, target, [unlinked('x1'), linked('x2', 'p1')])).toEqual({ kind: 'LINK', executions: [{ executionId: 'x1', from: 'HELD' }] });
  });

  it('given a fill the monitor never received but the request carries, then it links the carried fill', () => {
    expect(decideRelink(request, target, [unlinked('x1', false, true), unlinked('x2', false, true)])).toEqual({
      kind: 'LINK',
      executions: [
        { executionId: 'x1', from: 'CARRIED' },
        { executionId: 'x2', from: 'CARRIED' },
      ],
    });
  });

  it('given a fill both held and carried, then the held one (as the monitor received it) wins', () => {
    expect(decideRelink(request, target, [unlinked('x1', true, true)])).toEqual({ kind: 'LINK', executions: [{ executionId: 'x1', from: 'HELD' }] });
  });

  it('given every execution linked to the position already (a re-sent request), then nothing to do', () => {
    expect(decideRelink(request, target, [linked('x1', 'p1'), linked('x2', 'p1')])).toEqual({ kind: 'ALREADY_LINKED' });
  });

  it('refuses an unknown, mismatched, other-owner or closed position', () => {
    expect(decideRelink(request, null, [unlinked('x1')])).toMatchObject({ code: 'REFUSED_UNKNOWN_POSITION' });
    expect(decideRelink(request, { ...target, symbol: 'MSFT' }, [unlinked('x1')])).toMatchObject({ code: 'REFUSED_POSITION_MISMATCH' });
    expect(decideRelink(request, { ...target, accountId: 'b' }, [unlinked('x1')])).toMatchObject({ code: 'REFUSED_POSITION_MISMATCH' });
    expect(decideRelink(request, { ...target, ownerId: 'v' }, [unlinked('x1')])).toMatchObject({ code: 'REFUSED_OWNER_MISMATCH' });
    expect(decideRelink(request, { ...target, open: false }, [unlinked('x1', false, true)])).toMatchObject({ code: 'REFUSED_POSITION_NOT_OPEN' });
  });

  it('refuses the whole request when one execution is applied to another position, carried or not', () => {
    expect(decideRelink(request, target, [unlinked('x1', false, true), linked('x2', 'p9')])).toMatchObject({ code: 'REFUSED_LINKED_ELSEWHERE', detail: expect.stringContaining('p9') });
  });

  it('links any trade to a netting position, only its own trade to a hedging position', () => {
    expect(decideRelink(request, target, [unlinked('x1', false, true, 't2')])).toMatchObject({ kind: 'LINK' });
    expect(decideRelink(request, { ...target, hedgingTradeId: 't1' }, [unlinked('x1', false, true, 't1')])).toMatchObject({ kind: 'LINK' });
    expect(decideRelink(request, { ...target, hedgingTradeId: 't1' }, [unlinked('x1', false, true, 't1'), unlinked('x2', true, false, 't2')])).toMatchObject({
      code: 'REFUSED_POSITION_MISMATCH',
      detail: expect.stringContaining('x2'),
    });
  });

  it('refuses an execution neither held nor carried', () => {
    expect(decideRelink(request, target, [unlinked('x1', false, true), unlinked('x2', false, false)])).toMatchObject({ code: 'REFUSED_FILL_UNKNOWN', detail: expect.stringContaining('x2') });
  });
});
