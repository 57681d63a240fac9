import { describe, expect, it } from 'vitest';

import { detectFlags } from '../flags/detectors';
import { defaultFlagSettings } from '../flags/settings';
import { flagTypes } from '../flags/types';
import { defaultHealthConfig, scoreSnapshot, summariseUsage } from '../health/index';
import type { AccountSnapshot } from '../model';
import { type DemoPortfolio, generatePortfolio } from './index';
import { demoCompanyName } from './profile';

const now = new Date('2026-11-22T12:00:00.000Z');
const nowMs = now.getTime();
const dayMs = 86_400_000;
const portfolio = generatePortfolio({ seed: 7, accounts: 600, tenantId: 'tenant-demo', now, usageDays: 540 });

function groupByAccount<T extends { accountId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.accountId);
    if (group) group.push(row);
    else groups.set(row.accountId, [row]);
  }
  return groups;
}

function snapshots(source: DemoPortfolio): AccountSnapshot[] {
  const contacts = groupByAccount(source.contacts);
  const deals = groupByAccount(source.deals);
  const tickets = groupByAccount(source.tickets);
  const engagements = groupByAccount(source.engagements);
  const subscriptions = groupByAccount(source.subscriptions);
  const invoices = groupByAccount(source.invoices);
  const usage = groupByAccount(source.usage);
  return source.accounts.map((account) => ({
    account,
    contacts: contacts.get(account.id) ?? [],
    deals: deals.get(account.id) ?? [],
    tickets: tickets.get(account.id) ?? [],
    engagements: engagements.get(account.id) ?? [],
    subscriptions: subscriptions.get(account.id) ?? [],
    invoices: invoices.get(account.id) ?? [],
    usage: summariseUsage(usage.get(account.id) ?? [], now),
  }));
}

const daysFromNow = (isoDate: string) => Math.round((Date.parse(isoDate) - Date.parse('2026-11-22')) / dayMs);
const share = (count: number) => count / portfolio.accounts.length;

describe('demo portfolio shape', () => {
  it('scores as a realistic mix of Healthy, At Risk and Critical under the default health model', () => {
    const tiers = { healthy: 0, at_risk: 0, critical: 0 } as Record<string, number>;
    let partialCoverage = 0;
    for (const snapshot of snapshots(portfolio)) {
      const result = scoreSnapshot(snapshot, defaultHealthConfig, { now });
      if (result.tier !== null) tiers[result.tier] = (tiers[result.tier] ?? 0) + 1;
      if (result.coverage < 100) partialCoverage++;
    }
    // Target roughly 55 / 30 / 15; bounds leave room for curve tweaks in the engine.
    expect(share(tiers.healthy!)).toBeGreaterThan(0.45);
    expect(share(tiers.healthy!)).toBeLessThan(0.7);
    expect(share(tiers.at_risk!)).toBeGreaterThan(0.18);
    expect(share(tiers.at_risk!)).toBeLessThan(0.4);
    expect(share(tiers.critical!)).toBeGreaterThan(0.07);
    expect(share(tiers.critical!)).toBeLessThan(0.25);
    expect(partialCoverage).toBeGreaterThan(0);
  });

  it('raises every churn-signal flag that needs no scoring history somewhere in the portfolio', () => {
    const raised = new Set<string>();
    for (const snapshot of snapshots(portfolio)) {
      const health = scoreSnapshot(snapshot, defaultHealthConfig, { now });
      const input = { snapshot, health: { score: health.score, tier: health.tier }, history: [], now };
      for (const flag of detectFlags(input, defaultFlagSettings)) raised.add(flag.type);
    }
    const expected = flagTypes.filter((type) => type !== 'health_decline');
    expect([...raised].sort()).toEqual([...expected].sort());
  });

  it('includes the situations CSMs act on', () => {
    const renewals = portfolio.subscriptions.filter((s) => s.status === 'active' && s.renewalDate !== null);
    expect(renewals.some((s) => daysFromNow(s.renewalDate!) < 0)).toBe(true);
    expect(renewals.some((s) => daysFromNow(s.renewalDate!) >= 0 && daysFromNow(s.renewalDate!) <= 30)).toBe(
      true,
    );
    expect(renewals.some((s) => daysFromNow(s.renewalDate!) > 270)).toBe(true);
    expect(renewals.some((s) => s.autoRenew) && renewals.some((s) => !s.autoRenew)).toBe(true);
    expect(portfolio.subscriptions.some((s) => s.status === 'cancelled')).toBe(true);
    expect(portfolio.subscriptions.some((s) => s.status === 'expired')).toBe(true);
    expect(portfolio.subscriptions.some((s) => s.status === 'trial')).toBe(true);

    expect(portfolio.invoices.some((invoice) => invoice.status === 'overdue')).toBe(true);
    expect(portfolio.invoices.filter((invoice) => invoice.status === 'paid').length).toBeGreaterThan(
      portfolio.invoices.length / 2,
    );
    expect(portfolio.contacts.some((contact) => contact.role === 'champion' && contact.leftCompany)).toBe(
      true,
    );
    expect(portfolio.contacts.some((contact) => contact.role === 'exec_sponsor')).toBe(true);
    expect(portfolio.engagements.some((engagement) => engagement.isQbr)).toBe(true);
    expect(portfolio.tickets.some((ticket) => ticket.escalated && ticket.status !== 'closed')).toBe(true);
    expect(portfolio.tickets.some((ticket) => ticket.sentiment === 'negative')).toBe(true);
    for (const type of ['new', 'renewal', 'expansion', 'contraction'] as const) {
      expect(
        portfolio.deals.some((deal) => deal.type === type && deal.status === 'won'),
        type,
      ).toBe(true);
    }
    expect(portfolio.deals.some((deal) => deal.status === 'open')).toBe(true);
    expect(portfolio.deals.some((deal) => deal.status === 'lost')).toBe(true);

    expect(portfolio.accounts.some((account) => account.csOptOut)).toBe(true);
    expect(portfolio.accounts.some((account) => daysFromNow(account.customerSince!) > -30)).toBe(true);
    const owners = new Set(portfolio.accounts.map((account) => account.ownerId));
    expect(owners.size).toBeGreaterThanOrEqual(8);
  });

  it('leaves some accounts without usage or invoices, so coverage gaps show up', () => {
    const withUsage = new Set(portfolio.usage.map((row) => row.accountId));
    const withInvoices = new Set(portfolio.invoices.map((invoice) => invoice.accountId));
    const withoutUsage = portfolio.accounts.filter((account) => !withUsage.has(account.id)).length;
    const withoutInvoices = portfolio.accounts.filter((account) => !withInvoices.has(account.id)).length;
    expect(share(withoutUsage)).toBeGreaterThan(0.01);
    expect(share(withoutUsage)).toBeLessThan(0.15);
    expect(share(withoutInvoices)).toBeGreaterThan(0.01);
    expect(share(withoutInvoices)).toBeLessThan(0.15);
  });

  it('shows usage growth, sharp declines, integration trouble and holiday dips', () => {
    const summaries = snapshots(portfolio)
      .map((snapshot) => snapshot.usage)
      .filter((usage) => usage?.current && usage.previous);
    const trend = (usage: (typeof summaries)[number]) =>
      usage!.current!.avgActiveUsers / Math.max(0.01, usage!.previous!.avgActiveUsers) - 1;
    expect(summaries.some((usage) => trend(usage) < -0.3)).toBe(true);
    expect(summaries.some((usage) => trend(usage) > 0.1)).toBe(true);
    expect(
      summaries.some((usage) => usage!.current!.integrationFailures > 0.2 * usage!.current!.integrationCalls),
    ).toBe(true);

    const usageByAccount = groupByAccount(portfolio.usage);
    const activeOn = (rows: readonly { day: string; activeUsers: number }[], from: string, to: string) => {
      let total = 0;
      for (const row of rows) if (row.day >= from && row.day <= to) total += row.activeUsers;
      return total;
    };
    // Median per-account ratio between two weeks with the same weekday mix, so customers who joined
    // or churned in between do not blur the dip.
    const medianRatio = (dipFrom: string, dipTo: string, baseFrom: string, baseTo: string) => {
      const ratios: number[] = [];
      for (const rows of usageByAccount.values()) {
        const base = activeOn(rows, baseFrom, baseTo);
        if (base > 20) ratios.push(activeOn(rows, dipFrom, dipTo) / base);
      }
      ratios.sort((left, right) => left - right);
      return ratios[Math.floor(ratios.length / 2)]!;
    };
    expect(medianRatio('2025-12-22', '2025-12-28', '2025-12-01', '2025-12-07')).toBeLessThan(0.7);
    expect(medianRatio('2025-08-04', '2025-08-10', '2025-06-02', '2025-06-08')).toBeLessThan(0.9);
    expect(medianRatio('2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17')).toBeLessThan(0.5);
  });

  it('never dates anything after now and keeps records consistent with their account', () => {
    const late = (iso: string | null) => iso !== null && Date.parse(iso) > nowMs;
    expect(portfolio.accounts.some((account) => late(account.updatedAt))).toBe(false);
    expect(portfolio.engagements.some((engagement) => late(engagement.occurredAt))).toBe(false);
    expect(portfolio.tickets.some((ticket) => late(ticket.openedAt) || late(ticket.closedAt))).toBe(false);
    expect(
      portfolio.invoices.some((invoice) => late(invoice.paidAt) || invoice.issuedAt > '2026-11-22'),
    ).toBe(false);
    expect(portfolio.usage.some((row) => row.day > '2026-11-22')).toBe(false);

    const contactIds = new Set(portfolio.contacts.map((contact) => contact.id));
    const accountIds = new Set(portfolio.accounts.map((account) => account.id));
    expect(portfolio.engagements.every((e) => e.contactId === null || contactIds.has(e.contactId))).toBe(
      true,
    );
    expect(portfolio.deals.every((deal) => accountIds.has(deal.accountId))).toBe(true);
    const emails = portfolio.contacts.flatMap((contact) => (contact.email ? [contact.email] : []));
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('gives every account a distinct domain, also beyond the 252,000 name combinations', () => {
    const domains = new Set<string>();
    for (let index = 1; index <= 300_000; index++) domains.add(demoCompanyName(7, index).domain);
    expect(domains.size).toBe(300_000);
  });
});
