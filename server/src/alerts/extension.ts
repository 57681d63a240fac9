import type { Account } from '@pulse/shared';
import type { ScoredFacts } from '@pulse/shared/alerts/observation';
import type { AlertRule } from '@pulse/shared/alerts/rules';
import type { Workflow } from '@pulse/shared/workflows/definition';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import type { ScoringExtension } from '../scoring/extensions';
import { listDefinitions } from './definitions-store';
import {
  type AccountEvaluation,
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
        const chunk: { entry: Pending; stored: ScoredFacts }[] = [];
        for (const result of scored) {
          const entry = pending.get(result.accountId);
          if (!entry) continue;
          pending.delete(result.accountId);
          chunk.push({ entry, stored: scoredFactsOf(result) });
        }
        const observations = await loadObservations(
          db,
          tenantId,
          chunk.map(({ entry }) => entry.account.id),
        );
        // Rewriting {previous, current} with the same values changes nothing, the next baseline
        // and what a dry run replays included; an unchanged re-score reaches that after two runs.
        const evaluations: AccountEvaluation[] = [];
        const unchanged = new Set<string>();
        for (const { entry, stored } of chunk) {
          const observation = observations.get(entry.account.id);
          const evaluation = evaluateAccount({
            facts: factsOf(entry.account, entry.productLines, stored.arr),
            previous: baselineOf(observation),
            stored,
            customerSince: entry.account.customerSince,
            usage: entry.usage,
            rules,
            workflows,
            now,
          });
          evaluations.push(evaluation);
          if (
            observation !== undefined &&
            evaluation.previous !== null &&
            sameObservation(observation.current, evaluation.current) &&
            sameObservation(observation.previous ?? undefined, evaluation.previous)
          ) {
            unchanged.add(evaluation.accountId);
          }
        }
        await recordEvaluations(db, tenantId, evaluations, rules, now, unchanged);
      },
    };
  },
};
