export * from './pg';
export * from './kafka';
export * from './topics';
export * from './service-process';
