import type { Account, Subscription } from '@pulse/shared';
import type { AlertRule } from '@pulse/shared/alerts/rules';
import type { Workflow } from '@pulse/shared/workflows/definition';
import type { WorkflowRunPlan } from '@pulse/shared/workflows/plan';
import type { Kysely } from 'kysely';

import { listDefinitions } from '../alerts/definitions-store';
import {
  evaluateAccount,
  factsOf,
  loadObservations,
  loadProductLines,
  loadStoredScores,
  productLinesOf,
} from '../alerts/evaluation';
import type { Database } from '../db/schema';
import { fromRow } from '../store/records';

/**
 * A dry run of one workflow against current data: each live account's stored score
 * (account_scores) and record (accounts), compared with the observation the last scoring compared
 * against, through the same pure evaluators the recompute uses. It answers "had this workflow been
 * enabled for the latest scoring, which accounts would it have triggered and what would it have
 * done" and writes nothing.
 */
export interface DryRunResult {
  accountsEvaluated: number;
  runs: WorkflowRunPlan[];
}

const PAGE = 1000;

export async function dryRunWorkflow(
  db: Kysely<Database>,
  tenantId: string,
  workflow: Workflow,
  now: Date,
): Promise<DryRunResult> {
  const rules: AlertRule[] = (await listDefinitions(db, 'alert_rules', tenantId, { enabledOnly: true })).map(
    (stored) => stored.value,
  );
  const lines = await loadProductLines(db, tenantId);
  const runs: WorkflowRunPlan[] = [];
  let accountsEvaluated = 0;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('accounts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('deleted_at', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const accounts = rows.map((row) => fromRow('accounts', row as Record<string, unknown>) as Account);
    const ids = accounts.map((account) => account.id);
    const [scores, observations, subscriptions] = await Promise.all([
      loadStoredScores(db, tenantId, ids),
      loadObservations(db, tenantId, ids),
      db
        .selectFrom('subscriptions')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('account_id', 'in', ids)
        .where('deleted_at', 'is', null)
        .execute(),
    ]);
    const subscriptionsByAccount = new Map<string, Subscription[]>();
    for (const row of subscriptions) {
      const subscription = fromRow('subscriptions', row as Record<string, unknown>) as Subscription;
      const list = subscriptionsByAccount.get(subscription.accountId) ?? [];
      list.push(subscription);
      subscriptionsByAccount.set(subscription.accountId, list);
    }
    for (const account of accounts) {
      const stored = scores.get(account.id);
      const observation = observations.get(account.id);
      if (!stored || !observation) continue;
      accountsEvaluated++;
      const productLines = productLinesOf(
        { subscriptions: subscriptionsByAccount.get(account.id) ?? [] },
        lines,
      );
      const evaluation = evaluateAccount({
        facts: factsOf(account, productLines, stored.arr),
        previous: observation.previous,
        stored,
        customerSince: account.customerSince,
        usage: observation.current.usage,
        rules,
        workflows: [workflow],
        now: new Date(Date.parse(stored.computedAt) || now.getTime()),
      });
      runs.push(...evaluation.runs);
    }
  }
  return { accountsEvaluated, runs };
}
