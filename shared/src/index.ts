export * from './model';
export * from './properties';
export * from './usage';
