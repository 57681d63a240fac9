import { z } from 'zod';

import type { Account, Product, Subscription } from '../model';
import { daysUntil } from './calendar';

/** Seed 000, "Upcoming Renewals": one row per subscription renewal across every account. */

export const renewalBands = ['red', 'amber', 'green'] as const;
export type RenewalBand = (typeof renewalBands)[number];

export interface RenewalRow {
  subscriptionId: string;
  accountId: string;
  accountName: string;
  productId: string;
  productName: string;
  mrr: number;
  renewalDate: string;
  /** Calendar days (UTC) until the renewal date: 0 today, negative when overdue. */
  daysLeft: number;
  band: RenewalBand;
  autoRenew: boolean;
  ownerId: string | null;
  ownerName: string | null;
  /** The account's health tier key, null when unscored. */
  tier: string | null;
}

/** Red under 30 days (or overdue), amber under 90, green otherwise. */
export function renewalBand(daysLeft: number): RenewalBand {
  if (daysLeft < 30) return 'red';
  if (daysLeft < 90) return 'amber';
  return 'green';
}

export const renewalWindows = [30, 60, 90, 180] as const;
export const renewalSortColumns = [
  'account',
  'product',
  'mrr',
  'renewalDate',
  'daysLeft',
  'band',
  'autoRenew',
  'owner',
  'tier',
] as const;
export type RenewalSortColumn = (typeof renewalSortColumns)[number];

export const RenewalQuery = z.object({
  /** Renewals due within this many days; overdue renewals are always included. */
  within: z.coerce
    .number()
    .refine((value) => (renewalWindows as readonly number[]).includes(value), 'must be 30, 60, 90 or 180')
    .optional(),
  /** Owner id, name or email (exact, case-insensitive). */
  owner: z.string().trim().min(1).optional(),
  tier: z.string().trim().min(1).optional(),
  sort: z.enum(renewalSortColumns).default('renewalDate'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type RenewalQuery = z.infer<typeof RenewalQuery>;

export type RenewalSubscription = Pick<
  Subscription,
  'id' | 'accountId' | 'productId' | 'mrr' | 'renewalDate' | 'autoRenew' | 'status'
>;

export interface RenewalSource {
  subscriptions: readonly RenewalSubscription[];
  accounts: ReadonlyMap<string, Pick<Account, 'id' | 'name' | 'ownerId' | 'ownerName' | 'ownerEmail'>>;
  products: ReadonlyMap<string, Pick<Product, 'id' | 'name'>>;
  tiers: ReadonlyMap<string, string | null>;
}

/**
 * Rows for every active subscription with a renewal date. Trials convert rather than renew and
 * cancelled/expired subscriptions will not renew, so only `active` ones are listed.
 */
export function renewalRows(source: RenewalSource, now: Date): RenewalRow[] {
  const rows: RenewalRow[] = [];
  for (const subscription of source.subscriptions) {
    if (subscription.status !== 'active' || subscription.renewalDate === null) continue;
    const account = source.accounts.get(subscription.accountId);
    if (!account) continue;
    const daysLeft = daysUntil(subscription.renewalDate, now);
    rows.push({
      subscriptionId: subscription.id,
      accountId: account.id,
      accountName: account.name,
      productId: subscription.productId,
      productName: source.products.get(subscription.productId)?.name ?? subscription.productId,
      mrr: subscription.mrr,
      renewalDate: subscription.renewalDate,
      daysLeft,
      band: renewalBand(daysLeft),
      autoRenew: subscription.autoRenew,
      ownerId: account.ownerId,
      ownerName: account.ownerName,
      tier: source.tiers.get(account.id) ?? null,
    });
  }
  return rows;
}

const bandOrder: Record<RenewalBand, number> = { red: 0, amber: 1, green: 2 };

const sortKeys: Record<RenewalSortColumn, (row: RenewalRow) => string | number | null> = {
  account: (row) => row.accountName,
  product: (row) => row.productName,
  mrr: (row) => row.mrr,
  renewalDate: (row) => row.daysLeft,
  daysLeft: (row) => row.daysLeft,
  band: (row) => bandOrder[row.band],
  autoRenew: (row) => Number(row.autoRenew),
  owner: (row) => row.ownerName ?? row.ownerId,
  tier: (row) => row.tier,
};

// One collator for every comparison (`localeCompare` with options builds one per call).
const textOrder = new Intl.Collator('en', { sensitivity: 'base' });

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return textOrder.compare(String(a), String(b));
}

function matchesOwner(
  row: RenewalRow,
  owner: string,
  accounts: RenewalSource['accounts'] | undefined,
): boolean {
  const wanted = owner.toLowerCase();
  const email = accounts?.get(row.accountId)?.ownerEmail ?? null;
  return [row.ownerId, row.ownerName, email].some((value) => value?.toLowerCase() === wanted);
}

/**
 * Filters then sorts. Ties on the sort column fall back to renewal date, account name and
 * subscription id, so a listing is stable between requests.
 */
export function queryRenewals(
  rows: readonly RenewalRow[],
  query: Partial<RenewalQuery>,
  accounts?: RenewalSource['accounts'],
): RenewalRow[] {
  const within = query.within;
  const owner = query.owner;
  const tier = query.tier?.toLowerCase();
  const filtered = rows.filter(
    (row) =>
      (within === undefined || row.daysLeft <= within) &&
      (owner === undefined || matchesOwner(row, owner, accounts)) &&
      (tier === undefined || row.tier?.toLowerCase() === tier),
  );
  const key = sortKeys[query.sort ?? 'renewalDate'];
  const direction = query.order === 'desc' ? -1 : 1;
  const primary = (a: RenewalRow, b: RenewalRow) => {
    const left = key(a);
    const right = key(b);
    // Missing values (no owner, unscored) sort last in either order, so blanks never crowd the top.
    if (left === null || right === null) return left === right ? 0 : left === null ? 1 : -1;
    return direction * compareValues(left, right);
  };
  return filtered.sort(
    (a, b) =>
      primary(a, b) ||
      a.daysLeft - b.daysLeft ||
      compareValues(a.accountName, b.accountName) ||
      (a.subscriptionId < b.subscriptionId ? -1 : a.subscriptionId > b.subscriptionId ? 1 : 0),
  );
}

export const renewalCsvHeader = [
  'Account',
  'Account ID',
  'Product',
  'MRR',
  'Renewal date',
  'Days left',
  'Band',
  'Auto-renew',
  'Owner',
  'Tier',
] as const;

export function renewalCsvRow(row: RenewalRow): (string | number | boolean | null)[] {
  return [
    row.accountName,
    row.accountId,
    row.productName,
    row.mrr,
    row.renewalDate,
    row.daysLeft,
    row.band,
    row.autoRenew ? 'yes' : 'no',
    row.ownerName ?? row.ownerId,
    row.tier,
  ];
}
