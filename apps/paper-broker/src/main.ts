export const placeholder = 'apps/paper-broker';
