import { randomUUID } from 'node:crypto';
import { alertDeliveries } from '@pulse/shared/alerts/deliveries';
import type { AlertRule } from '@pulse/shared/alerts/rules';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import { enqueue, type OutboxItem } from '../outbox/store';
import { type BulkColumn, bulkInsert } from '../store/bulk';
import type { AccountEvaluation } from './evaluation';
import './tables';

/**
 * Writes what one chunk's evaluation produced, in ONE transaction: new alerts (or another occurrence
 * of an alert still open), workflow runs, their outbox messages, and each account's observation for
 * the next comparison (an hourly re-score that changes nothing rewrites none: the next baseline is
 * the same either way). Either all of it is stored or none, so a crash never leaves an alert without
 * its notifications or sends a notification twice for one crossing.
 */
export async function recordEvaluations(
  db: Kysely<Database>,
  tenantId: string,
  evaluations: AccountEvaluation[],
  rules: readonly AlertRule[],
  now: Date,
  /** Accounts whose stored observation already equals the current one: not rewritten. */
  unchanged: ReadonlySet<string> = new Set(),
): Promise<void> {
  if (evaluations.length === 0) return;
  const at = now.toISOString();
  const ruleById = new Map(rules.map((rule) => [rule.id, rule]));
  await db.transaction().execute(async (trx) => {
    const fired = evaluations.filter((evaluation) => evaluation.alerts.length > 0);
    const unresolved = fired.length
      ? await trx
          .selectFrom('alerts')
          .select(['id', 'rule_id', 'account_id'])
          .where('tenant_id', '=', tenantId)
          .where('status', '<>', 'resolved')
          .where(
            'account_id',
            'in',
            fired.map((evaluation) => evaluation.accountId),
          )
          .execute()
      : [];
    const openByKey = new Map(unresolved.map((row) => [`${row.rule_id}:${row.account_id}`, row.id]));
    const outbox: OutboxItem[] = [];

    for (const evaluation of fired) {
      for (const alert of evaluation.alerts) {
        const open = openByKey.get(`${alert.ruleId}:${evaluation.accountId}`);
        if (open) {
          // Deduplicated: the alert is still being handled, so it counts another occurrence, no new routing.
          await trx
            .updateTable('alerts')
            .set((eb) => ({
              occurrences: eb('occurrences', '+', 1),
              last_fired_at: now,
              message: alert.message,
              current_value: JSON.stringify(alert.currentValue),
            }))
            .where('id', '=', open)
            .execute();
          continue;
        }
        const id = `alert-${randomUUID()}`;
        const dedupeKey = `${alert.ruleId}:${evaluation.accountId}:${at}`;
        await trx
          .insertInto('alerts')
          .values({
            id,
            tenant_id: tenantId,
            rule_id: alert.ruleId,
            account_id: evaluation.accountId,
            owner_id: evaluation.facts.ownerId,
            severity: alert.severity,
            metric: alert.metric,
            message: alert.message,
            previous_value: JSON.stringify(alert.previousValue),
            current_value: JSON.stringify(alert.currentValue),
            status: 'open',
            occurrences: 1,
            dedupe_key: dedupeKey,
            fired_at: now,
            last_fired_at: now,
          })
          .execute();
        const rule = ruleById.get(alert.ruleId);
        if (!rule) continue;
        for (const { routeIndex, delivery } of alertDeliveries(alert, rule, evaluation.facts, id, now)) {
          outbox.push({
            idempotencyKey: `alert:${dedupeKey}:route:${routeIndex}`,
            sourceType: 'alert',
            sourceId: id,
            accountId: evaluation.accountId,
            delivery,
          });
        }
      }
    }

    const runs = evaluations.flatMap((evaluation) => evaluation.runs);
    if (runs.length > 0) {
      const rows = runs.map((run) => ({
        id: `run-${randomUUID()}`,
        tenant_id: tenantId,
        workflow_id: run.workflowId,
        account_id: run.accountId,
        trigger_key: run.trigger.key,
        trigger: JSON.stringify(run.trigger),
        actions: JSON.stringify(run.actions.map(({ delivery: _delivery, ...action }) => action)),
        ran_at: now,
      }));
      await trx.insertInto('workflow_runs').values(rows).execute();
      runs.forEach((run, index) => {
        for (const action of run.actions) {
          if (!action.delivery) continue;
          outbox.push({
            idempotencyKey: `workflow:${run.workflowId}:${run.accountId}:${run.trigger.key}:${at}:action:${action.actionIndex}`,
            sourceType: 'workflow',
            sourceId: rows[index]!.id,
            accountId: run.accountId,
            delivery: action.delivery,
          });
        }
      });
    }
    await enqueue(trx, tenantId, outbox, now);

    await saveObservations(trx, tenantId, evaluations, unchanged, now);
  });
}

const observationColumns: BulkColumn[] = [
  { name: 'tenant_id', type: 'text' },
  { name: 'account_id', type: 'text' },
  { name: 'previous', type: 'jsonb' },
  { name: 'current', type: 'jsonb' },
  { name: 'observed_at', type: 'timestamptz' },
];

/** Each evaluated account's observation for the next comparison, as column arrays in one statement. */
async function saveObservations(
  db: Kysely<Database>,
  tenantId: string,
  evaluations: readonly AccountEvaluation[],
  unchanged: ReadonlySet<string>,
  now: Date,
): Promise<void> {
  const accountIds: string[] = [];
  const previous: (string | null)[] = [];
  const current: string[] = [];
  for (const evaluation of evaluations) {
    if (unchanged.has(evaluation.accountId)) continue;
    accountIds.push(evaluation.accountId);
    previous.push(evaluation.previous === null ? null : JSON.stringify(evaluation.previous));
    current.push(JSON.stringify(evaluation.current));
  }
  const count = accountIds.length;
  await bulkInsert(
    db,
    'alert_observations',
    observationColumns,
    [
      new Array<string>(count).fill(tenantId),
      accountIds,
      previous,
      current,
      new Array<Date>(count).fill(now),
    ],
    { conflict: ['tenant_id', 'account_id'] },
  );
}
