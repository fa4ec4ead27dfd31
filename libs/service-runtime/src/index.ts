export const placeholder = 'libs/service-runtime';
