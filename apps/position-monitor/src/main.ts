export const placeholder = 'apps/position-monitor';
