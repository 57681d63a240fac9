import { summariseUsage } from '../health/usage-summary';
import { type AccountSnapshot, emptySnapshot, type UsageSnapshot } from '../model';
import type { DemoPortfolioOptions } from './options';
import { portfolioBatches } from './portfolio';

/**
 * A generated portfolio as the engine sees it: each account with its child records and its usage
 * summarised the way the store does, built batch by batch (benchmarks and golden tests).
 */
export function portfolioSnapshots(options: DemoPortfolioOptions, batchSize = 1000): AccountSnapshot[] {
  const snapshots: AccountSnapshot[] = [];
  for (const batch of portfolioBatches(options, batchSize)) {
    const byId = new Map<string, AccountSnapshot>();
    const usage = new Map<string, UsageSnapshot[]>();
    for (const account of batch.accounts) {
      const snapshot = emptySnapshot(account);
      byId.set(account.id, snapshot);
      snapshots.push(snapshot);
    }
    for (const record of batch.contacts) byId.get(record.accountId)?.contacts.push(record);
    for (const record of batch.deals) byId.get(record.accountId)?.deals.push(record);
    for (const record of batch.tickets) byId.get(record.accountId)?.tickets.push(record);
    for (const record of batch.engagements) byId.get(record.accountId)?.engagements.push(record);
    for (const record of batch.subscriptions) byId.get(record.accountId)?.subscriptions.push(record);
    for (const record of batch.invoices) byId.get(record.accountId)?.invoices.push(record);
    for (const row of batch.usage) {
      const rows = usage.get(row.accountId);
      if (rows) rows.push(row);
      else usage.set(row.accountId, [row]);
    }
    for (const [accountId, rows] of usage) {
      const snapshot = byId.get(accountId);
      if (snapshot) snapshot.usage = summariseUsage(rows, options.now);
    }
  }
  return snapshots;
}
