export const placeholder = 'apps/order-monitor';
