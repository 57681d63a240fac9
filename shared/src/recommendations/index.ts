export * from './evaluate';
export * from './examples';
export * from './opportunity';
export * from './rules';
export * from './signals';
