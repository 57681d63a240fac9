import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../../context';
import type { DatabaseHandle } from '../../db/connection';
import { createTestDatabase, databaseKinds } from '../../db/testing';
import { parseEnv } from '../../env';
import { runDemoDataCommand } from './demo-data';
import { runScoreCommand } from './score';

const now = new Date('2026-11-20T12:00:00.000Z');

function capture() {
  const lines: string[] = [];
  const progress: string[] = [];
  return {
    lines,
    progress,
    output: {
      out: (line: string) => lines.push(line),
      progressStream: { isTTY: false, write: (text: string) => progress.push(text) },
    },
  };
}

describe.each(databaseKinds)('pulse demo-data and pulse score on %s', (kind) => {
  let handle: DatabaseHandle;
  let ctx: AppContext;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    ctx = { db: handle.db, dbKind: handle.kind, env: parseEnv({}), now: () => now };
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('refuses to guess when there is no tenant yet', async () => {
    await expect(runScoreCommand(ctx, {}, capture().output)).rejects.toThrow(/pulse demo-data/);
  });

  it('loads a demo portfolio, then prints a summary by tier with counts, shares and ARR', async () => {
    const demo = capture();
    await runDemoDataCommand(ctx, { accounts: 30, seed: 42, usageDays: 60, tenant: 'cli' }, demo.output);
    expect(demo.lines[0]).toMatch(/^Loaded 30 accounts into demo:cli/);
    expect(demo.progress.at(-1)).toMatch(/Generating: 100% 30\/30 accounts/);

    const scored = capture();
    await runScoreCommand(ctx, {}, scored.output);
    const text = scored.lines.join('\n');
    expect(scored.lines[0]).toMatch(/^Scored 30 accounts of demo:cli/);
    for (const tier of ['Healthy', 'At Risk', 'Critical']) {
      expect(text).toMatch(new RegExp(`${tier}\\s+\\d+\\s+\\d+\\.\\d%\\s+[\\d,]+`));
    }
    expect(text).toMatch(/Total\s+30\s+100\.0%/);
    expect(text).toMatch(/Low coverage: \d+ account/);
    expect(scored.progress.at(-1)).toMatch(/Scoring: 100% 30\/30 accounts/);
  });

  it('explains one account factor by factor with churn risk, CLTV and upsell', async () => {
    const explained = capture();
    await runScoreCommand(ctx, { account: 'acc-000002' }, explained.output);
    const text = explained.lines.join('\n');
    expect(text).toMatch(/^.+ \(acc-000002\)/);
    expect(text).toMatch(/Health [\d.]+ — (Healthy|At Risk|Critical), data coverage \d+/);
    expect(text).toMatch(/Payment health \[payment\] — /);
    expect(text).toMatch(/as of /);
    expect(text).toMatch(/What changed since the last score:/);
    expect(text).toMatch(/Churn risk: [\d.]+ — /);
    expect(text).toMatch(/CLTV: [\d,]+ — ARR/);
    expect(text).toMatch(/Upsell score: [\d.]+ — /);
  });

  it('names the tenants when asked for one that does not exist, and rejects an unknown account', async () => {
    await expect(runScoreCommand(ctx, { tenant: 'demo:nope' }, capture().output)).rejects.toThrow(
      /no tenant "demo:nope"; tenants: demo:cli/,
    );
    await expect(runScoreCommand(ctx, { account: 'missing' }, capture().output)).rejects.toThrow(
      /no account "missing"/,
    );
  });
});
