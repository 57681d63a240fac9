import type { Account } from '@pulse/shared';
import type { AlertRule } from '@pulse/shared/alerts/rules';
import type { Workflow } from '@pulse/shared/workflows/definition';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import type { ScoringExtension } from '../scoring/extensions';
import { listDefinitions } from './definitions-store';
import {
  baselineOf,
  evaluateAccount,
  factsOf,
  loadObservations,
  loadProductLines,
  loadStoredScores,
  productLinesOf,
  usageOf,
} from './evaluation';
import { recordEvaluations } from './record';

interface Pending {
  account: Account;
  productLines: string[];
  usage: Record<string, number>;
}

/**
 * Alerts and workflows during recompute. `evaluate` only notes each account's facts and usage; the
 * work happens in `flush`, which the pipeline calls after the chunk's scores are written: the stored
 * score (with churn risk and open flags, which extensions cannot see during evaluate) is compared
 * with the account's last observation, and alerts, workflow runs and outbox rows are written together.
 */
export const alertsExtension: ScoringExtension = {
  name: 'alerts-workflows',
  async begin(ctx, tenantId, now) {
    const rules: AlertRule[] = (
      await listDefinitions(ctx.db, 'alert_rules', tenantId, { enabledOnly: true })
    ).map((stored) => stored.value);
    const workflows: Workflow[] = (
      await listDefinitions(ctx.db, 'workflows', tenantId, { enabledOnly: true })
    ).map((stored) => stored.value);
    const lines = await loadProductLines(ctx.db, tenantId);
    let pending: Pending[] = [];
    return {
      evaluate({ snapshot, signals }) {
        pending.push({
          account: snapshot.account,
          productLines: productLinesOf(snapshot, lines),
          usage: usageOf(signals),
        });
        return {};
      },
      async flush(db: Kysely<Database>) {
        const chunk = pending;
        pending = [];
        const ids = chunk.map((entry) => entry.account.id);
        const [scores, observations] = await Promise.all([
          loadStoredScores(db, tenantId, ids),
          loadObservations(db, tenantId, ids),
        ]);
        const evaluations = chunk.flatMap((entry) => {
          const stored = scores.get(entry.account.id);
          if (!stored) return [];
          return [
            evaluateAccount({
              facts: factsOf(entry.account, entry.productLines, stored.arr),
              previous: baselineOf(observations.get(entry.account.id)),
              stored,
              customerSince: entry.account.customerSince,
              usage: entry.usage,
              rules,
              workflows,
              now,
            }),
          ];
        });
        await recordEvaluations(db, tenantId, evaluations, rules, now);
      },
    };
  },
};
