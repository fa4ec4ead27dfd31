export const placeholder = 'libs/broker';
