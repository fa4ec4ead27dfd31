import { decideRelink, type ExecutionStanding, type RelinkTarget } from './relink';

const request = { accountId: 'a', ownerId: 'u', symbol: 'AAPL', positionId: 'p1', executionIds: ['x1', 'x2'] };
const target: RelinkTarget = { accountId: 'a', ownerId: 'u', symbol: 'AAPL', open: true };
const unlinked = (executionId: string, known = true): ExecutionStanding => ({ executionId, linkedTo: [], known });

describe('relink decision', () => {
  it('links the unlinked, known executions to the matching open position', () => {
    expect(decideRelink(request, target, [unlinked('x1'), { executionId: 'x2', linkedTo: ['p1'], known: true }])).toEqual({ kind: 'LINK', executionIds: ['x1'] });
  });

  it('does nothing for a re-sent request', () => {
    expect(decideRelink(request, target, [{ executionId: 'x1', linkedTo: ['p1'], known: true }])).toEqual({ kind: 'ALREADY_LINKED' });
  });

  it('refuses an unknown, mismatched, other-owner or closed position', () => {
    expect(decideRelink(request, null, [unlinked('x1')])).toMatchObject({ code: 'REFUSED_UNKNOWN_POSITION' });
    expect(decideRelink(request, { ...target, symbol: 'MSFT' }, [unlinked('x1')])).toMatchObject({ code: 'REFUSED_POSITION_MISMATCH' });
    expect(decideRelink(request, { ...target, accountId: 'b' }, [unlinked('x1')])).toMatchObject({ code: 'REFUSED_POSITION_MISMATCH' });
    expect(decideRelink(request, { ...target, ownerId: 'v' }, [unlinked('x1')])).toMatchObject({ code: 'REFUSED_OWNER_MISMATCH' });
    expect(decideRelink(request, { ...target, open: false }, [unlinked('x1')])).toMatchObject({ code: 'REFUSED_POSITION_NOT_OPEN' });
  });

  it('refuses an execution linked elsewhere or never received', () => {
    expect(decideRelink(request, target, [unlinked('x1'), { executionId: 'x2', linkedTo: ['p9'], known: true }])).toMatchObject({ code: 'REFUSED_LINKED_ELSEWHERE' });
    expect(decideRelink(request, target, [unlinked('x1', false)])).toMatchObject({ code: 'REFUSED_FILL_UNKNOWN' });
  });
});
