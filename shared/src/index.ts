export * from './demo/index';
export * from './health/index';
export * from './model';
export * from './properties';
export * from './usage';
