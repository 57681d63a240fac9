import type { NewFlag } from '@pulse/shared/flags/lifecycle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../db/connection';
import { createTestDatabase, databaseKinds } from '../db/testing';
import { ensureTenant } from '../store/records';
import { loadScoreChanges, saveScoreChanges } from './score-changes';
import { listFlags, loadUnresolvedFlags, saveFlagChanges } from './store';

/** What a recompute writes for flags and score changes, read back as the next recompute and the API see it. */
describe.each(databaseKinds)('flag and score-change writes on %s', (kind) => {
  let handle: DatabaseHandle;
  let tenantId: string;
  const at = '2026-03-02T10:00:00.000Z';

  function newFlag(accountId: string, overrides: Partial<NewFlag> = {}): NewFlag {
    return {
      accountId,
      type: 'no_recent_login',
      status: 'open',
      severity: 'warning',
      magnitude: 42.5,
      title: 'No login for 42 days',
      recommendedAction: 'Reach out: "anything we can help with?", {braces} and \\ backslash',
      details: { daysSinceLogin: 42, lastLoginDay: null, note: 'quote " and ☃' },
      openedAt: at,
      updatedAt: at,
      acknowledgedBy: null,
      acknowledgedAt: null,
      acknowledgedSeverity: null,
      acknowledgedMagnitude: null,
      resolvedBy: null,
      resolvedAt: null,
      ...overrides,
    };
  }

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    tenantId = await ensureTenant(handle.db, {
      crm: 'hubspot',
      externalId: 'flag-writes',
      name: 'Flag writes',
    });
  });
  afterAll(async () => {
    await handle.close();
  });

  it('stores opened flags with every field, and skips one whose account already has that flag unresolved', async () => {
    const acknowledged = newFlag('acc-2', {
      type: 'champion_left',
      status: 'acknowledged',
      severity: 'critical',
      magnitude: 1,
      acknowledgedBy: 'csm@example.com',
      acknowledgedAt: '2026-03-02T11:30:00.000Z',
      acknowledgedSeverity: 'critical',
      acknowledgedMagnitude: 1,
    });
    await saveFlagChanges(handle.db, tenantId, [newFlag('acc-1'), acknowledged], []);
    // A concurrent run opened the same flag first: the second insert is a no-op, the other one lands.
    await saveFlagChanges(
      handle.db,
      tenantId,
      [newFlag('acc-1', { magnitude: 99, title: 'second' }), newFlag('acc-3')],
      [],
    );

    const flags = await listFlags(handle.db, tenantId);
    const byAccount = new Map(flags.map((flag) => [flag.accountId, flag]));
    expect(flags).toHaveLength(3);
    expect(byAccount.get('acc-1')).toMatchObject(newFlag('acc-1'));
    expect(byAccount.get('acc-2')).toMatchObject(acknowledged);
    expect(byAccount.get('acc-3')).toMatchObject(newFlag('acc-3'));
    expect(new Set(flags.map((flag) => flag.id)).size).toBe(3);

    const unresolved = await loadUnresolvedFlags(handle.db, tenantId, ['acc-1', 'acc-2', 'acc-9']);
    expect([...unresolved.keys()].sort()).toEqual(['acc-1', 'acc-2']);
    expect(unresolved.get('acc-2')).toEqual([
      {
        id: byAccount.get('acc-2')!.id,
        type: 'champion_left',
        status: 'acknowledged',
        severity: 'critical',
        magnitude: 1,
        title: acknowledged.title,
        recommendedAction: acknowledged.recommendedAction,
        details: acknowledged.details,
        acknowledgedSeverity: 'critical',
        acknowledgedMagnitude: 1,
      },
    ]);
  });

  it('logs score changes once per instant and reads each account newest first', async () => {
    const first = new Date('2026-03-01T10:00:00.000Z');
    const second = new Date('2026-03-02T10:00:00.000Z');
    await saveScoreChanges(handle.db, tenantId, [
      { accountId: 'acc-1', score: 61.3, changedAt: first },
      { accountId: 'acc-2', score: 40, changedAt: first },
    ]);
    // A re-run with the same clock keeps the change already logged at that instant.
    await saveScoreChanges(handle.db, tenantId, [
      { accountId: 'acc-1', score: 99, changedAt: first },
      { accountId: 'acc-1', score: 55.5, changedAt: second },
    ]);
    const changes = await loadScoreChanges(handle.db, tenantId, new Date('2026-03-03T00:00:00Z'), 30, [
      'acc-1',
      'acc-2',
    ]);
    expect(changes.get('acc-1')).toEqual([
      { score: 55.5, computedAt: second.toISOString() },
      { score: 61.3, computedAt: first.toISOString() },
    ]);
    expect(changes.get('acc-2')).toEqual([{ score: 40, computedAt: first.toISOString() }]);
  });
});
