import { defaultHealthConfig, healthPresets } from '@pulse/shared/health/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../db/connection';
import { createTestDatabase, databaseKinds } from '../db/testing';
import { listAudit } from './audit';
import { ensureTenant } from './records';
import { purgeScoreHistory, subtractMonths } from './retention';
import { getSetting, listSettingHistory, SettingValidationError, saveSetting } from './settings';

describe.each(databaseKinds)('settings on %s', (kind) => {
  let handle: DatabaseHandle;
  let tenantId: string;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    tenantId = await ensureTenant(handle.db, { crm: 'demo', externalId: 'settings', name: 'Settings' });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('reads defaults before anything is saved', async () => {
    expect(await getSetting(handle.db, tenantId, 'health_config')).toEqual(defaultHealthConfig);
    expect(await getSetting(handle.db, tenantId, 'retention_months')).toBe(24);
    expect(await getSetting(handle.db, tenantId, 'gross_margin')).toBe(0.8);
  });

  it('keeps every version with who saved it and audits before and after', async () => {
    const first = await saveSetting(
      handle.db,
      tenantId,
      'health_config',
      healthPresets.five_dimension,
      'ada',
    );
    const second = await saveSetting(handle.db, tenantId, 'health_config', healthPresets.default, 'grace');
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(await getSetting(handle.db, tenantId, 'health_config')).toEqual(healthPresets.default);

    const history = await listSettingHistory(handle.db, tenantId, 'health_config');
    expect(history.map((version) => [version.version, version.changedBy])).toEqual([
      [2, 'grace'],
      [1, 'ada'],
    ]);
    expect((history[1]!.value as { preset: string }).preset).toBe('five_dimension');

    const audit = await listAudit(handle.db, tenantId, { entityType: 'setting', entityId: 'health_config' });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor: 'grace', action: 'settings.update' });
    expect((audit[0]!.before as { preset: string }).preset).toBe('five_dimension');
    expect((audit[0]!.after as { preset: string }).preset).toBe('default');
    expect(audit[1]!.before).toBeNull();
  });

  it('rejects weights that do not total 100 with a field error and saves nothing', async () => {
    const before = await listSettingHistory(handle.db, tenantId, 'health_config');
    const broken = structuredClone(healthPresets.default) as { factors: { weight: number }[] };
    broken.factors[0]!.weight += 5;
    const error = await saveSetting(handle.db, tenantId, 'health_config', broken, 'mallory').catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SettingValidationError);
    expect((error as SettingValidationError).fieldErrors).toContainEqual({
      path: 'factors',
      message: expect.stringContaining('must total exactly 100'),
    });
    expect(await listSettingHistory(handle.db, tenantId, 'health_config')).toEqual(before);
    expect(await listAudit(handle.db, tenantId, { actor: 'mallory' })).toEqual([]);
  });

  it('validates the other settings by field', async () => {
    await expect(saveSetting(handle.db, tenantId, 'retention_months', 0, 'ada')).rejects.toThrow(
      /at least 1 month/,
    );
    await expect(saveSetting(handle.db, tenantId, 'gross_margin', 1.5, 'ada')).rejects.toThrow(
      /between 0 and 1/,
    );
    const error = await saveSetting(
      handle.db,
      tenantId,
      'opportunity_defaults',
      { pipeline: '' },
      'ada',
    ).catch((caught: unknown) => caught);
    if (!(error instanceof SettingValidationError)) throw new Error('expected a validation error');
    expect(error.fieldErrors.map((field) => field.path).sort()).toEqual(['pipeline', 'stage']);
    await saveSetting(
      handle.db,
      tenantId,
      'opportunity_defaults',
      { pipeline: 'sales', stage: 'qualified' },
      'ada',
    );
    expect(await getSetting(handle.db, tenantId, 'opportunity_defaults')).toEqual({
      pipeline: 'sales',
      stage: 'qualified',
    });
  });

  it('purges score history older than the retention period and keeps the rest', async () => {
    const now = new Date('2026-11-20T12:00:00.000Z');
    const row = (accountId: string, computedAt: string) => ({
      tenant_id: tenantId,
      account_id: accountId,
      computed_at: computedAt,
      score: 50,
      tier: 'at_risk',
      coverage: 100,
      churn_risk: 30,
      cltv: 1000,
      upsell_score: 20,
      factors: JSON.stringify({}) as never,
    });
    await handle.db
      .insertInto('score_history')
      .values([
        row('a1', '2024-11-19T12:00:00.000Z'),
        row('a1', '2024-11-21T12:00:00.000Z'),
        row('a1', '2026-06-01T00:00:00.000Z'),
      ])
      .execute();
    expect(await purgeScoreHistory(handle.db, tenantId, now)).toEqual({
      deleted: 1,
      cutoff: '2024-11-20T12:00:00.000Z',
    });

    await saveSetting(handle.db, tenantId, 'retention_months', 6, 'ada');
    expect((await purgeScoreHistory(handle.db, tenantId, now)).deleted).toBe(1);
    const left = await handle.db
      .selectFrom('score_history')
      .select('computed_at')
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(left.map((entry) => new Date(entry.computed_at).toISOString())).toEqual([
      '2026-06-01T00:00:00.000Z',
    ]);
  });
});

describe('subtractMonths', () => {
  it('clamps to the end of a shorter month', () => {
    expect(subtractMonths(new Date('2026-03-31T08:00:00.000Z'), 1).toISOString()).toBe(
      '2026-02-28T08:00:00.000Z',
    );
    expect(subtractMonths(new Date('2026-01-15T00:00:00.000Z'), 24).toISOString()).toBe(
      '2024-01-15T00:00:00.000Z',
    );
  });
});
