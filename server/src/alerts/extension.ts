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
  productLinesOf,
  sameObservation,
  scoredFactsOf,
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
 * score (with churn risk and open flags, which extensions cannot see during evaluate; handed over
 * in memory, not read back) is compared with the account's last observation, and alerts, workflow
 * runs and outbox rows are written together.
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
    // By account: on PostgreSQL the next chunk is evaluated while this one is still being written.
    const pending = new Map<string, Pending>();
    return {
      evaluate({ snapshot, signals }) {
        pending.set(snapshot.account.id, {
          account: snapshot.account,
          productLines: productLinesOf(snapshot, lines),
          usage: usageOf(signals),
        });
        return {};
      },
      async flush(db: Kysely<Database>, scored) {
        const chunk = scored.flatMap((result) => {
          const entry = pending.get(result.accountId);
          if (!entry) return [];
          pending.delete(result.accountId);
          return [{ entry, stored: scoredFactsOf(result) }];
        });
        const observations = await loadObservations(
          db,
          tenantId,
          chunk.map(({ entry }) => entry.account.id),
        );
        const evaluations = chunk.map(({ entry, stored }) => {
          return evaluateAccount({
            facts: factsOf(entry.account, entry.productLines, stored.arr),
            previous: baselineOf(observations.get(entry.account.id)),
            stored,
            customerSince: entry.account.customerSince,
            usage: entry.usage,
            rules,
            workflows,
            now,
          });
        });
        // Rewriting {previous, current} with the same values changes nothing, the next baseline
        // and what a dry run replays included; an unchanged re-score reaches that after two runs.
        const unchanged = new Set(
          evaluations
            .filter((evaluation) => {
              const stored = observations.get(evaluation.accountId);
              return (
                stored !== undefined &&
                evaluation.previous !== null &&
                sameObservation(stored.current, evaluation.current) &&
                sameObservation(stored.previous ?? undefined, evaluation.previous)
              );
            })
            .map((evaluation) => evaluation.accountId),
        );
        await recordEvaluations(db, tenantId, evaluations, rules, now, unchanged);
      },
    };
  },
};
