export const placeholder = 'apps/data-quality';
