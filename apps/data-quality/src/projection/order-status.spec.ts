import { applyOrderStatus, statusOfFill, statusOfSubmitted } from './order-status';

describe('projected order status', () => {
  it('given a fill applied first, when order.accepted arrives late, then the order stays FILLED', () => {
    const afterFill = applyOrderStatus(null, statusOfFill('FILLED'));
    expect(applyOrderStatus(afterFill, 'ACCEPTED')).toBe('FILLED');
  });

  it('moves SUBMITTED to ACCEPTED to PARTIALLY_FILLED to CANCELED', () => {
    let status = applyOrderStatus(null, statusOfSubmitted('NEW'));
    expect(status).toBe('SUBMITTED');
    status = applyOrderStatus(status, 'ACCEPTED');
    status = applyOrderStatus(status, statusOfFill('PENDING_CANCEL'));
    expect(status).toBe('PARTIALLY_FILLED');
    expect(applyOrderStatus(status, 'CANCELED')).toBe('CANCELED');
  });

  it('keeps the first terminal status when a second terminal one arrives', () => {
    expect(applyOrderStatus('CANCELED', 'FILLED')).toBe('CANCELED');
  });

  it('projects a submission the broker filled at once as FILLED', () => {
    expect(statusOfSubmitted('FILLED')).toBe('FILLED');
  });
});
