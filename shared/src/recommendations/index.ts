export * from './evaluate';
export * from './examples';
export * from './rules';
export * from './signals';
