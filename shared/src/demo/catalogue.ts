import type { Product } from '../model';

/** Stable product ids, referenced by subscriptions, deals and recommendation rules. */
export const demoProductIds = {
  corePlatform: 'prod-core-platform',
  analytics: 'prod-analytics',
  premiumSupport: 'prod-premium-support',
  apiAccess: 'prod-api-access',
  extraSeats: 'prod-extra-seats',
  training: 'prod-training',
  dataConnectors: 'prod-data-connectors',
  legacyReporting: 'prod-legacy-reporting',
} as const;

const catalogueEntries: readonly Omit<Product, 'tenantId'>[] = [
  {
    id: demoProductIds.corePlatform,
    name: 'Core Platform',
    productLine: 'Platform',
    monthlyPrice: 1200,
    active: true,
  },
  {
    id: demoProductIds.analytics,
    name: 'Analytics Add-on',
    productLine: 'Analytics',
    monthlyPrice: 450,
    active: true,
  },
  {
    id: demoProductIds.premiumSupport,
    name: 'Premium Support',
    productLine: 'Services',
    monthlyPrice: 300,
    active: true,
  },
  {
    id: demoProductIds.apiAccess,
    name: 'API Access',
    productLine: 'Platform',
    monthlyPrice: 250,
    active: true,
  },
  {
    id: demoProductIds.extraSeats,
    name: 'Extra Seats (10-pack)',
    productLine: 'Platform',
    monthlyPrice: 200,
    active: true,
  },
  {
    id: demoProductIds.training,
    name: 'Training & Enablement',
    productLine: 'Services',
    monthlyPrice: 150,
    active: true,
  },
  {
    id: demoProductIds.dataConnectors,
    name: 'Data Connectors',
    productLine: 'Integrations',
    monthlyPrice: 350,
    active: true,
  },
  // Retired product: kept so catalogues show an inactive entry, never sold to demo accounts.
  {
    id: demoProductIds.legacyReporting,
    name: 'Legacy Reporting',
    productLine: 'Analytics',
    monthlyPrice: 100,
    active: false,
  },
];

/** A typical SaaS catalogue with monthly list prices (tenant currency) and product lines. */
export function productCatalogue(tenantId: string): Product[] {
  return catalogueEntries.map((entry) => ({ tenantId, ...entry }));
}

export function demoProductPrice(productId: string): number {
  const entry = catalogueEntries.find((candidate) => candidate.id === productId);
  if (!entry) throw new Error(`Unknown demo product id: ${productId}`);
  return entry.monthlyPrice;
}

export function demoProductName(productId: string): string {
  const entry = catalogueEntries.find((candidate) => candidate.id === productId);
  if (!entry) throw new Error(`Unknown demo product id: ${productId}`);
  return entry.name;
}
