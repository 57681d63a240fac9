import { describe, expect, it } from 'vitest';

import { parseCsv, toCsv } from '../csv/csv';
import type { Account } from '../model';
import { account, now, product, subscription } from '../recommendations/test-fixtures';
import { calendarDaysBetween, daysUntil } from './calendar';
import {
  queryRenewals,
  RenewalQuery,
  type RenewalRow,
  renewalBand,
  renewalCsvHeader,
  renewalCsvRow,
  renewalRows,
} from './renewals';

describe('days left and band', () => {
  it.each([
    ['2026-06-15', 0, 'red'],
    ['2026-06-14', -1, 'red'],
    ['2026-05-01', -45, 'red'],
    ['2026-07-14', 29, 'red'],
    ['2026-07-15', 30, 'amber'],
    ['2026-09-12', 89, 'amber'],
    ['2026-09-13', 90, 'green'],
    ['2027-06-15', 365, 'green'],
  ])('renewal on %s is %i days away (%s)', (date, days, band) => {
    expect(daysUntil(date, now)).toBe(days);
    expect(renewalBand(days)).toBe(band);
  });

  it('counts UTC calendar days, whatever the time of day', () => {
    expect(daysUntil('2026-06-16', new Date('2026-06-15T23:59:59Z'))).toBe(1);
    expect(daysUntil('2026-06-16', new Date('2026-06-15T00:00:00Z'))).toBe(1);
    expect(calendarDaysBetween('2026-02-28', '2026-03-01')).toBe(1);
  });
});

const accounts = new Map<string, Pick<Account, 'id' | 'name' | 'ownerId' | 'ownerName' | 'ownerEmail'>>([
  [
    'acc-1',
    account({ id: 'acc-1', name: 'Acme', ownerId: 'o-1', ownerName: 'Olivia', ownerEmail: 'olivia@x.com' }),
  ],
  [
    'acc-2',
    account({ id: 'acc-2', name: 'beta corp', ownerId: 'o-2', ownerName: 'Bob', ownerEmail: 'bob@x.com' }),
  ],
  ['acc-3', account({ id: 'acc-3', name: 'Zeta', ownerId: null, ownerName: null, ownerEmail: null })],
]);
const products = new Map([
  ['core', product('core', 'Core Platform')],
  ['support', product('support', 'Premium Support')],
]);
const tiers = new Map<string, string | null>([
  ['acc-1', 'healthy'],
  ['acc-2', 'at_risk'],
]);
const subscriptions = [
  subscription('core', {
    id: 's1',
    accountId: 'acc-1',
    mrr: 1000,
    renewalDate: '2026-07-01',
    autoRenew: true,
  }),
  subscription('support', {
    id: 's2',
    accountId: 'acc-1',
    mrr: 300,
    renewalDate: '2026-12-01',
    autoRenew: false,
  }),
  subscription('core', { id: 's3', accountId: 'acc-2', mrr: 2500, renewalDate: '2026-06-10' }),
  subscription('core', { id: 's4', accountId: 'acc-3', mrr: 500, renewalDate: '2026-08-20' }),
  subscription('core', { id: 's5', accountId: 'acc-3', renewalDate: '2026-07-01', status: 'cancelled' }),
  subscription('core', { id: 's6', accountId: 'acc-3', renewalDate: '2026-07-01', status: 'trial' }),
  subscription('core', { id: 's7', accountId: 'acc-2', renewalDate: null }),
  subscription('core', { id: 's8', accountId: 'acc-unknown', renewalDate: '2026-07-01' }),
];
const rows = renewalRows({ subscriptions, accounts, products, tiers }, now);
const ids = (list: RenewalRow[]) => list.map((row) => row.subscriptionId);

describe('renewalRows', () => {
  it('lists active subscriptions with a renewal date, with account, product, owner and tier', () => {
    expect(ids(rows).sort()).toEqual(['s1', 's2', 's3', 's4']);
    expect(rows.find((row) => row.subscriptionId === 's3')).toEqual({
      subscriptionId: 's3',
      accountId: 'acc-2',
      accountName: 'beta corp',
      productId: 'core',
      productName: 'Core Platform',
      mrr: 2500,
      renewalDate: '2026-06-10',
      daysLeft: -5,
      band: 'red',
      autoRenew: true,
      ownerId: 'o-2',
      ownerName: 'Bob',
      tier: 'at_risk',
    });
  });

  it('lists nothing for an account with no subscriptions', () => {
    expect(renewalRows({ subscriptions: [], accounts, products, tiers }, now)).toEqual([]);
  });
});

describe('queryRenewals', () => {
  it.each<[string, Partial<RenewalQuery>, string[]]>([
    ['default: soonest first, overdue at the top', {}, ['s3', 's1', 's4', 's2']],
    ['within 30 days keeps overdue ones', { within: 30 }, ['s3', 's1']],
    ['within 90 days', { within: 90 }, ['s3', 's1', 's4']],
    ['within 180 days', { within: 180 }, ['s3', 's1', 's4', 's2']],
    ['owner by id', { owner: 'o-1' }, ['s1', 's2']],
    ['owner by name, case-insensitive', { owner: 'BOB' }, ['s3']],
    ['owner by email', { owner: 'olivia@x.com' }, ['s1', 's2']],
    ['tier', { tier: 'at_risk' }, ['s3']],
    ['sort by MRR descending', { sort: 'mrr', order: 'desc' }, ['s3', 's1', 's4', 's2']],
    ['sort by account (case-insensitive)', { sort: 'account' }, ['s1', 's2', 's3', 's4']],
    ['sort by product', { sort: 'product', order: 'desc' }, ['s2', 's3', 's1', 's4']],
    ['sort by band, ties by date', { sort: 'band', order: 'desc' }, ['s2', 's4', 's3', 's1']],
    ['sort by auto-renew', { sort: 'autoRenew' }, ['s2', 's3', 's1', 's4']],
    ['sort by owner: blanks last ascending', { sort: 'owner' }, ['s3', 's1', 's2', 's4']],
    ['sort by owner: blanks last descending', { sort: 'owner', order: 'desc' }, ['s1', 's2', 's3', 's4']],
    ['sort by tier: unscored last', { sort: 'tier', order: 'desc' }, ['s1', 's2', 's3', 's4']],
    ['sort by days left descending', { sort: 'daysLeft', order: 'desc' }, ['s2', 's4', 's1', 's3']],
  ])('%s', (_name, query, expected) => {
    expect(ids(queryRenewals(rows, query, accounts))).toEqual(expected);
  });

  it('rejects a window other than 30/60/90/180 and an unknown sort column, naming the field', () => {
    const result = RenewalQuery.safeParse({ within: '45', sort: 'colour' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['sort', 'within']);
    expect(RenewalQuery.parse({ within: '90' })).toEqual({ within: 90, sort: 'renewalDate', order: 'asc' });
  });
});

describe('CSV export', () => {
  it('round-trips an account name with commas, quotes, a newline and a leading =', () => {
    const hostile = renewalRows(
      {
        subscriptions: [subscription('core', { id: 's9', accountId: 'acc-9', renewalDate: '2026-07-01' })],
        accounts: new Map([
          [
            'acc-9',
            account({
              id: 'acc-9',
              name: '=HYPERLINK("http://x"), "Inc"\nLtd',
              ownerId: 'o',
              ownerName: '@owner',
              ownerEmail: null,
            }),
          ],
        ]),
        products,
        tiers: new Map(),
      },
      now,
    );
    const parsed = parseCsv(toCsv(renewalCsvHeader, hostile.map(renewalCsvRow)));
    expect(parsed[0]).toEqual([...renewalCsvHeader]);
    expect(parsed[1]).toEqual([
      '\'=HYPERLINK("http://x"), "Inc"\nLtd',
      'acc-9',
      'Core Platform',
      '1000',
      '2026-07-01',
      '16',
      'red',
      'yes',
      "'@owner",
      '',
    ]);
  });
});

describe('calendar', () => {
  it('reads instants with an offset on their UTC day', () => {
    expect(daysUntil('2026-06-16T01:00:00+02:00', now)).toBe(0);
    expect(daysUntil('2026-06-16T01:00:00.000Z', now)).toBe(1);
  });
});
