export { demoProductIds, productCatalogue } from './catalogue';
export { DemoPortfolioOptions } from './options';
export type { DemoPortfolio, DemoPortfolioBatch } from './portfolio';
export { generatePortfolio, portfolioBatches } from './portfolio';
export type { DemoAccountProfile, DemoLifecycle, DemoTier } from './profile';
export { demoAccountProfile } from './profile';
export { portfolioSnapshots } from './snapshots';
export type { DemoOwner } from './vocabulary';
export { demoOwners } from './vocabulary';
