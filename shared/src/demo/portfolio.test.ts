import { describe, expect, it } from 'vitest';

import { recordKinds, recordSchemas, UsageSnapshot } from '../model';
import { generatePortfolio, portfolioBatches, productCatalogue } from './index';

const now = new Date('2026-11-22T12:00:00.000Z');
const baseOptions = { seed: 42, accounts: 200, tenantId: 'tenant-demo', now, usageDays: 60 };

describe('generatePortfolio', () => {
  it('produces byte-identical output for the same seed and different output for another seed', () => {
    const first = JSON.stringify(generatePortfolio(baseOptions));
    const second = JSON.stringify(generatePortfolio(baseOptions));
    const other = JSON.stringify(generatePortfolio({ ...baseOptions, seed: 43 }));
    expect(second).toBe(first);
    expect(other).not.toBe(first);
  });

  it('emits records that all pass their canonical schemas', () => {
    const portfolio = generatePortfolio(baseOptions);
    for (const kind of recordKinds) {
      expect(portfolio[kind].length, kind).toBeGreaterThan(0);
      for (const record of portfolio[kind]) {
        const result = recordSchemas[kind].safeParse(record);
        expect(result.success, `${kind} ${JSON.stringify(record)} ${result.error?.message}`).toBe(true);
      }
    }
    expect(portfolio.usage.length).toBeGreaterThan(0);
    for (const snapshot of portfolio.usage) {
      const result = UsageSnapshot.safeParse(snapshot);
      expect(result.success, `usage ${JSON.stringify(snapshot)} ${result.error?.message}`).toBe(true);
    }
  });

  it('averages at least 10 child records per account, excluding usage', () => {
    const portfolio = generatePortfolio(baseOptions);
    const children = recordKinds
      .filter((kind) => kind !== 'accounts')
      .reduce((sum, kind) => sum + portfolio[kind].length, 0);
    expect(children / portfolio.accounts.length).toBeGreaterThanOrEqual(10);
  });
});

describe('portfolioBatches', () => {
  it('covers exactly the requested accounts, whatever the batch size', () => {
    const batches = [...portfolioBatches({ ...baseOptions, accounts: 250 }, 100)];
    expect(batches.map((batch) => batch.accounts.length)).toEqual([100, 100, 50]);
    const ids = batches.flatMap((batch) => batch.accounts.map((account) => account.id));
    expect(new Set(ids).size).toBe(250);
    expect(ids[0]).toBe('acc-000001');
    expect(ids[249]).toBe('acc-000250');
  });
});

describe('productCatalogue', () => {
  it('lists priced products for the tenant', () => {
    const products = productCatalogue('tenant-demo');
    expect(products.map((product) => product.name)).toContain('Core Platform');
    expect(products.every((product) => product.tenantId === 'tenant-demo' && product.monthlyPrice >= 0)).toBe(
      true,
    );
  });
});
