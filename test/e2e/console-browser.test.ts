import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildConsoleForTest, CHROMIUM_PATH, chromiumAvailable, launchChromium } from './browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, type ConsoleHarness, startConsoleHarness } from './harness';

/**
 * The console in a real browser (Debian's Chromium through playwright-core) against a running
 * server with 200 scored demo accounts on PostgreSQL.
 */
describe('web console in Chromium', () => {
  let harness: ConsoleHarness;
  let browser: Browser;
  let admin: Client;

  beforeAll(async () => {
    if (!chromiumAvailable())
      throw new Error(`Chromium is required at ${CHROMIUM_PATH}: apt-get install -y chromium`);
    await buildConsoleForTest();
    harness = await startConsoleHarness('postgres', 200);
    browser = await launchChromium();
    admin = new Client(harness.server.url);
    await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  async function signedInPage(email: string, password: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(harness.server.url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Portfolio' }).waitFor();
    return page;
  }

  it('signs in and shows the portfolio dashboard', async () => {
    const page = await signedInPage(ADMIN_EMAIL, ADMIN_PASSWORD);
    await expect(page.getByText('200 accounts', { exact: false }).first().isVisible()).resolves.toBe(true);
    const chart = page.getByRole('img', { name: /Accounts per health tier/ });
    await expect(chart.isVisible()).resolves.toBe(true);
    const tierTable = page.getByRole('table').filter({ hasText: 'Tier' }).first();
    const rows = await tierTable.locator('tbody tr').allInnerTexts();
    const total = rows.reduce((sum, row) => sum + Number(row.split('\t')[1]!.replace(/,/g, '')), 0);
    expect(total).toBe(200);
    await page.context().close();
  });

  it('blocks saving weights at 95 and saves and rescores at 100', async () => {
    const page = await signedInPage(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Settings' }).click();
    const save = page.getByRole('button', { name: 'Save health model' });
    await page.getByLabel('Payment health weight', { exact: true }).fill('20');
    await expect(page.getByTestId('weights-total').textContent()).resolves.toBe('95%');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('must total exactly 100%');
    await expect(save.isDisabled()).resolves.toBe(true);

    const before = await harness.server.context.db
      .selectFrom('account_scores')
      .select(['computed_at'])
      .where('tenant_id', '=', harness.tenantId)
      .executeTakeFirstOrThrow();
    await page.getByLabel('Engagement weight', { exact: true }).fill('25');
    await expect(page.getByTestId('weights-total').textContent()).resolves.toBe('100%');
    await expect(save.isEnabled()).resolves.toBe(true);
    await save.click();
    await page.getByText('Saved. 200 accounts rescored.').waitFor();

    const scores = await harness.server.context.db
      .selectFrom('account_scores')
      .select(['result', 'computed_at'])
      .where('tenant_id', '=', harness.tenantId)
      .execute();
    expect(scores).toHaveLength(200);
    for (const score of scores) {
      const factors = (JSON.parse(score.result) as { health: { factors: { key: string; weight: number }[] } })
        .health.factors;
      expect(factors.find((factor) => factor.key === 'payment')?.weight).toBe(20);
      expect(factors.find((factor) => factor.key === 'engagement')?.weight).toBe(25);
      expect(new Date(score.computed_at).getTime()).toBeGreaterThan(new Date(before.computed_at).getTime());
    }
    await page.reload();
    await expect(page.getByLabel('Payment health weight', { exact: true }).inputValue()).resolves.toBe('20');
    await page.context().close();
  });

  it('adds a recommendation rule and shows it on an account', async () => {
    const products = await admin.request('GET', '/api/v1/products');
    const product = products.body.products.at(-1) as { id: string; name: string };
    const page = await signedInPage(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`${harness.server.url}/settings?tab=recommendations`);
    const ruleRows = page.getByRole('rowheader', { name: product.name, exact: true });
    await page.getByRole('heading', { name: 'Recommendation rules' }).waitFor();
    const rulesBefore = await ruleRows.count();
    await page.getByRole('button', { name: 'Add recommendation' }).click();
    const form = page.getByRole('form', { name: 'Recommendation rule' });
    await form
      .locator('label', { hasText: /^Product/ })
      .locator('select')
      .first()
      .selectOption({ label: product.name });
    await form.getByLabel('Base score (0–100)').fill('95');
    await form.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText(`Added the rule for ${product.name}`).waitFor();
    await ruleRows.nth(rulesBefore).waitFor();
    await expect(ruleRows.count()).resolves.toBe(rulesBefore + 1);

    // The first account (by name) the new rule reaches: one that does not have the product yet.
    const accounts = await admin.request('GET', '/api/v1/console/accounts?pageSize=50');
    let target: { id: string; name: string } | null = null;
    for (const account of accounts.body.accounts as { id: string; name: string }[]) {
      const recommendations = await admin.request('GET', `/api/v1/accounts/${account.id}/recommendations`);
      if (
        recommendations.body.recommendations.some(
          (item: { productId: string }) => item.productId === product.id,
        )
      ) {
        target = account;
        break;
      }
    }
    expect(target).not.toBeNull();
    await page.goto(`${harness.server.url}/accounts`);
    await page.getByLabel('Search').fill(target!.name);
    await page.getByRole('link', { name: target!.name, exact: true }).click();
    const panel = page.locator('section.panel', {
      has: page.getByRole('heading', { name: 'Top recommendations' }),
    });
    await panel.getByText(product.name, { exact: true }).waitFor();
    await expect(panel.getByRole('button', { name: 'Create Opportunity' }).count()).resolves.toBeGreaterThan(
      0,
    );
    await page.context().close();
  });

  it('filters upcoming renewals and downloads the same rows as CSV', async () => {
    const page = await signedInPage(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`${harness.server.url}/settings?tab=renewals`);
    await page.getByText(/renewals · /).waitFor();
    const count = async () =>
      Number(((await page.getByText(/renewals · /).textContent()) ?? '').split(' ')[0]!.replace(/,/g, ''));
    const within90 = await count();
    await page.getByLabel('Days').selectOption('30');
    await page.waitForURL(/within=30/);
    await page.waitForFunction((previous) => {
      const text = [...document.querySelectorAll('p')].find((p) =>
        p.textContent?.includes('renewals · '),
      )?.textContent;
      return text !== undefined && !text.startsWith(`${previous} `);
    }, within90);
    const within30 = await count();
    expect(within30).toBeLessThan(within90);
    const daysLeft = await page.locator('td.days').allInnerTexts();
    expect(daysLeft).toHaveLength(within30);
    for (const days of daysLeft) {
      if (!days.includes('overdue')) expect(Number(days)).toBeLessThanOrEqual(30);
    }

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^renewals.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toMatch(/account/i);
    expect(csv).toHaveLength(within30 + 1);
    await page.context().close();
  });

  it('gives a read-only user a disabled settings form, and the server refuses the save', async () => {
    const created = await admin.request('POST', '/api/v1/users', {
      email: 'viewer@pulse.test',
      password: 'viewer-password',
      role: 'read_only',
    });
    expect(created.status).toBe(200);
    const page = await signedInPage('viewer@pulse.test', 'viewer-password');
    await expect(page.getByRole('link', { name: 'Accounts' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('only admins can change them').waitFor();
    await expect(page.getByRole('button', { name: 'Save health model' }).isDisabled()).resolves.toBe(true);
    await expect(page.getByLabel('Payment health weight', { exact: true }).isDisabled()).resolves.toBe(true);

    const status = await page.evaluate(async () => {
      const me = await (await fetch('/api/v1/auth/me')).json();
      const health = await (await fetch('/api/v1/settings/health')).json();
      const response = await fetch('/api/v1/settings/health', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify(health.config),
      });
      return response.status;
    });
    expect(status).toBe(403);
    await page.context().close();
  });
});
