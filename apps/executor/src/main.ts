export const placeholder = 'apps/executor';
