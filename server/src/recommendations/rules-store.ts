import { randomUUID } from 'node:crypto';
import type { Product } from '@pulse/shared';
import { exampleRulesFor } from '@pulse/shared/recommendations/examples';
import type { RecommendationRule, RecommendationRuleInput } from '@pulse/shared/recommendations/rules';
import type { Kysely, Selectable } from 'kysely';

import type { Database } from '../db/schema';
import { writeAudit } from '../store/audit';
import type { RecommendationRulesTable } from './tables';

function toRule(row: Selectable<RecommendationRulesTable>): RecommendationRule {
  return {
    id: row.id,
    productId: row.product_id,
    prerequisites: row.prerequisites,
    exclusions: row.exclusions,
    minEmployees: row.min_employees,
    maxEmployees: row.max_employees,
    industries: row.industries,
    baseScore: row.base_score,
    active: row.active,
    signals: row.signals,
  };
}

function toColumns(rule: RecommendationRuleInput) {
  return {
    product_id: rule.productId,
    prerequisites: JSON.stringify(rule.prerequisites),
    exclusions: JSON.stringify(rule.exclusions),
    min_employees: rule.minEmployees,
    max_employees: rule.maxEmployees,
    industries: JSON.stringify(rule.industries),
    base_score: rule.baseScore,
    active: rule.active,
    signals: JSON.stringify(rule.signals),
  };
}

export async function loadCatalogue(db: Kysely<Database>, tenantId: string): Promise<Product[]> {
  const rows = await db
    .selectFrom('products')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    productLine: row.product_line,
    monthlyPrice: row.monthly_price,
    active: row.active,
  }));
}

export async function listRules(
  db: Kysely<Database>,
  tenantId: string,
  options: { activeOnly?: boolean } = {},
): Promise<RecommendationRule[]> {
  let query = db.selectFrom('recommendation_rules').selectAll().where('tenant_id', '=', tenantId);
  if (options.activeOnly) query = query.where('active', '=', true);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map(toRule);
}

export async function getRule(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<RecommendationRule | null> {
  const row = await db
    .selectFrom('recommendation_rules')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toRule(row) : null;
}

export async function createRule(
  db: Kysely<Database>,
  tenantId: string,
  rule: RecommendationRuleInput,
  actor: string,
  now: Date,
): Promise<RecommendationRule> {
  const id = `rule-${randomUUID()}`;
  return db.transaction().execute(async (transaction) => {
    const row = await transaction
      .insertInto('recommendation_rules')
      .values({ tenant_id: tenantId, id, ...toColumns(rule), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const created = toRule(row);
    await writeAudit(transaction, {
      tenantId,
      actor,
      action: 'recommendation_rule.create',
      entityType: 'recommendation_rule',
      entityId: id,
      after: created,
    });
    return created;
  });
}

export async function updateRule(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  rule: RecommendationRuleInput,
  actor: string,
  now: Date,
): Promise<RecommendationRule | null> {
  return db.transaction().execute(async (transaction) => {
    const before = await getRule(transaction, tenantId, id);
    if (!before) return null;
    const row = await transaction
      .updateTable('recommendation_rules')
      .set({ ...toColumns(rule), updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toRule(row);
    await writeAudit(transaction, {
      tenantId,
      actor,
      action: 'recommendation_rule.update',
      entityType: 'recommendation_rule',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export async function deleteRule(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  actor: string,
): Promise<boolean> {
  return db.transaction().execute(async (transaction) => {
    const before = await getRule(transaction, tenantId, id);
    if (!before) return false;
    await transaction
      .deleteFrom('recommendation_rules')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    await writeAudit(transaction, {
      tenantId,
      actor,
      action: 'recommendation_rule.delete',
      entityType: 'recommendation_rule',
      entityId: id,
      before,
    });
    return true;
  });
}

/**
 * Gives a tenant the example rules once, as soon as it has a catalogue: only the examples whose
 * products the catalogue sells. Deleting them later does not bring them back.
 */
export async function ensureExampleRules(
  db: Kysely<Database>,
  tenantId: string,
  catalogue: readonly Product[],
  now: Date,
): Promise<number> {
  if (catalogue.length === 0) return 0;
  const already = await db
    .selectFrom('recommendation_rule_seeds')
    .select('tenant_id')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (already) return 0;
  return db.transaction().execute(async (transaction) => {
    const claimed = await transaction
      .insertInto('recommendation_rule_seeds')
      .values({ tenant_id: tenantId, seeded_at: now })
      .onConflict((conflict) => conflict.column('tenant_id').doNothing())
      .returning('tenant_id')
      .executeTakeFirst();
    if (!claimed) return 0;
    const examples = exampleRulesFor(catalogue);
    for (const [index, rule] of examples.entries()) {
      // Staggered creation times keep the examples in their written order in the rule list.
      const createdAt = new Date(now.getTime() + index);
      await transaction
        .insertInto('recommendation_rules')
        .values({
          tenant_id: tenantId,
          id: `rule-${randomUUID()}`,
          ...toColumns(rule),
          created_at: createdAt,
          updated_at: createdAt,
        })
        .execute();
    }
    return examples.length;
  });
}
