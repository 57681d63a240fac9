import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { buildConsoleForTest, chromiumAvailable, launchChromium } from '../test/e2e/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startConsoleHarness } from '../test/e2e/harness';

/**
 * `npm run screenshots`: a PNG of every console page, from a real server with 200 demo accounts,
 * into docs/screenshots/ (linked from the README).
 */

const outDir = join(process.cwd(), 'docs', 'screenshots');

async function main(): Promise<void> {
  if (!chromiumAvailable())
    throw new Error('Chromium not found at /usr/bin/chromium: apt-get install -y chromium');
  mkdirSync(outDir, { recursive: true });
  console.log('Building the console and starting a server with 200 demo accounts…');
  await buildConsoleForTest();
  const harness = await startConsoleHarness('pglite', 200);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const shot = async (name: string) => {
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
      console.log(`  docs/screenshots/${name}.png`);
    };
    const base = harness.server.url;

    await page.goto(base);
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await shot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Portfolio' }).waitFor();
    await shot('dashboard');

    await page.goto(`${base}/accounts?sort=score&order=asc`);
    await page.getByRole('table').waitFor();
    await shot('accounts');

    await page.getByRole('table').getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Factors' }).waitFor();
    await page.getByRole('heading', { name: /Product usage/ }).waitFor();
    await shot('account-360');

    const tabs = [
      ['health', 'settings-health', 'Live distribution preview'],
      ['recommendations', 'settings-recommendations', 'Recommendation rules'],
      ['renewals', 'settings-renewals', 'Upcoming renewals'],
      ['data', 'settings-data-retention', 'Data retention'],
      ['crm', 'settings-crm-connections', 'CRM connection'],
      ['api-keys', 'settings-api-keys', 'Usage API keys'],
      ['users', 'settings-users', 'Users'],
    ] as const;
    for (const [tab, name, heading] of tabs) {
      await page.goto(`${base}/settings?tab=${tab}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await shot(name);
    }

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(base);
    await page.getByRole('heading', { name: 'Portfolio' }).waitFor();
    await shot('dashboard-mobile');
  } finally {
    await browser.close();
    await harness.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
