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

describe('portfolio options', () => {
  it('does not depend on the batch size', () => {
    const inBatchesOf = (size: number) => {
      const merged = { accounts: [] as unknown[], invoices: [] as unknown[], usage: [] as unknown[] };
      for (const batch of portfolioBatches({ ...baseOptions, accounts: 120 }, size)) {
        merged.accounts.push(...batch.accounts);
        merged.invoices.push(...batch.invoices);
        merged.usage.push(...batch.usage);
      }
      return JSON.stringify(merged);
    };
    expect(inBatchesOf(7)).toBe(inBatchesOf(1000));
  });

  it('produces an account’s records independently of how many accounts are requested', () => {
    const small = generatePortfolio({ ...baseOptions, accounts: 10 });
    const large = generatePortfolio({ ...baseOptions, accounts: 50 });
    expect(large.accounts.slice(0, 10)).toEqual(small.accounts);
    expect(large.deals.filter((deal) => small.accounts.some((a) => a.id === deal.accountId))).toEqual(
      small.deals,
    );
  });

  it('defaults to 18 months of daily usage', () => {
    const { usageDays: _omitted, ...withoutUsageDays } = baseOptions;
    const portfolio = generatePortfolio({ ...withoutUsageDays, accounts: 5 });
    const days = new Set(portfolio.usage.map((row) => row.day));
    expect(days.size).toBe(540);
    expect([...days].sort().at(-1)).toBe('2026-11-22');
  });

  it('rejects bad options with an error naming each field', () => {
    expect(() => generatePortfolio({ ...baseOptions, seed: 1.5 })).toThrow(/seed/);
    expect(() => generatePortfolio({ ...baseOptions, accounts: -1 })).toThrow(/accounts/);
    expect(() => generatePortfolio({ ...baseOptions, tenantId: '' })).toThrow(/tenantId/);
    expect(() => generatePortfolio({ ...baseOptions, now: new Date('not a date') })).toThrow(/now/);
    expect(() => generatePortfolio({ ...baseOptions, usageDays: -3 })).toThrow(/usageDays/);
    expect(() => [...portfolioBatches(baseOptions, 0)]).toThrow(/batchSize/);
    expect(() => generatePortfolio({ ...baseOptions, accounts: 200_000, usageDays: 540 })).toThrow(
      /portfolioBatches/,
    );
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
