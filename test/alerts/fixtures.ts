import type { Account, Subscription } from '@pulse/shared';

import type { AppContext } from '../../server/src/context';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { parseEnv } from '../../server/src/env';
import { recomputeTenant } from '../../server/src/scoring/recompute';
import { ensureTenant, upsertRecords } from '../../server/src/store/records';
import { saveSetting } from '../../server/src/store/settings';

/**
 * A tenant whose health score is whatever the test says: one custom factor reads the account's
 * `health_input` property through a 0→0, 100→100 curve, so setting the property to 35 scores 35.
 */
export const scoreByPropertyConfig = {
  preset: 'custom',
  factors: [
    {
      key: 'health_input',
      label: 'Health input',
      enabled: true,
      weight: 100,
      custom: {
        kind: 'numeric',
        source: 'attribute',
        name: 'health_input',
        direction: 'higher_is_better',
        points: [
          { value: 0, score: 0 },
          { value: 100, score: 100 },
        ],
      },
    },
  ],
  tiers: [
    { key: 'healthy', label: 'Healthy', min: 70 },
    { key: 'at_risk', label: 'At Risk', min: 40 },
    { key: 'critical', label: 'Critical', min: 0 },
  ],
  lowCoverageThreshold: 0,
};

export const start = new Date('2026-11-02T09:00:00.000Z');
export const hoursLater = (hours: number) => new Date(start.getTime() + hours * 3_600_000);
export const daysLater = (days: number) => new Date(start.getTime() + days * 86_400_000);

export interface AccountSpec {
  id: string;
  score: number;
  ownerId?: string;
  region?: string;
  csOptOut?: boolean;
  customerSince?: string;
  renewalDate?: string;
}

export function account(tenantId: string, spec: AccountSpec, updatedAt: Date): Account {
  return {
    tenantId,
    id: spec.id,
    name: `Account ${spec.id}`,
    domain: null,
    industry: null,
    employees: null,
    annualRevenue: null,
    previousAnnualRevenue: null,
    ownerId: spec.ownerId ?? 'owner-1',
    ownerName: 'Olivia Owner',
    ownerEmail: null,
    region: spec.region ?? 'EMEA',
    customerSince: spec.customerSince ?? '2024-01-01',
    csOptOut: spec.csOptOut ?? false,
    attributes: { health_input: spec.score },
    updatedAt: updatedAt.toISOString(),
  };
}

function subscription(tenantId: string, spec: AccountSpec, updatedAt: Date): Subscription {
  return {
    tenantId,
    id: `sub-${spec.id}`,
    accountId: spec.id,
    productId: 'prod-core',
    mrr: 1000,
    startDate: '2024-01-01',
    renewalDate: spec.renewalDate ?? null,
    autoRenew: false,
    status: 'active',
    licensedSeats: null,
    updatedAt: updatedAt.toISOString(),
  };
}

export interface ScoringTenant {
  tenantId: string;
  context: AppContext;
  /** Writes the accounts as given and re-scores the tenant at `now` (in chunks of `chunkSize`). */
  score(accounts: AccountSpec[], now: Date, chunkSize?: number): Promise<void>;
}

export async function scoringTenant(
  handle: DatabaseHandle,
  name: string,
  clock: { now: Date } = { now: start },
): Promise<ScoringTenant> {
  const tenantId = await ensureTenant(handle.db, { crm: 'demo', externalId: name, name });
  await saveSetting(handle.db, tenantId, 'health_config', scoreByPropertyConfig, 'test-admin');
  await handle.db
    .insertInto('products')
    .values({
      tenant_id: tenantId,
      id: 'prod-core',
      name: 'Core',
      product_line: 'Platform',
      monthly_price: 1000,
      active: true,
    })
    .execute();
  const context: AppContext = { db: handle.db, dbKind: handle.kind, env: parseEnv({}), now: () => clock.now };
  return {
    tenantId,
    context,
    async score(accounts, now, chunkSize) {
      clock.now = now;
      await upsertRecords(
        handle.db,
        'accounts',
        accounts.map((spec) => account(tenantId, spec, now)),
        now,
      );
      await upsertRecords(
        handle.db,
        'subscriptions',
        accounts.map((spec) => subscription(tenantId, spec, now)),
        now,
      );
      const result = await recomputeTenant(context, tenantId, { now, ...(chunkSize ? { chunkSize } : {}) });
      if ('skipped' in result) throw new Error('recompute was locked out');
    },
  };
}
