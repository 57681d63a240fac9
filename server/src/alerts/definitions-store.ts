import { randomBytes, randomUUID } from 'node:crypto';
import type { AlertRule, AlertRuleDefinition } from '@pulse/shared/alerts/rules';
import type { Workflow, WorkflowDefinition } from '@pulse/shared/workflows/definition';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import { writeAudit } from '../store/audit';
import './tables';

/**
 * Alert rules and workflows: stored definitions with an id, a name and an enabled switch. Every
 * change writes an audit entry (who, before, after). Webhook signing secrets are generated here when
 * the admin gives none, kept across edits of the same URL, and never returned by the API.
 */

export type DefinitionTable = 'alert_rules' | 'workflows';
type Table = DefinitionTable;
type Definition<T extends Table> = T extends 'alert_rules' ? AlertRuleDefinition : WorkflowDefinition;
type Stored<T extends Table> = T extends 'alert_rules' ? AlertRule : Workflow;

const entityTypes: Record<Table, string> = { alert_rules: 'alert_rule', workflows: 'workflow' };

export interface StoredDefinition<T extends Table> {
  value: Stored<T>;
  templateKey: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Routed {
  url?: string;
  secret?: string;
  type: string;
}

/** Routes/actions that sign with a secret: fill the secret from the previous version or a new one. */
function withSecrets<T extends Table>(
  table: T,
  next: Definition<T>,
  previous: Definition<T> | null,
): Definition<T> {
  const list = (definition: Definition<T>): Routed[] =>
    table === 'alert_rules'
      ? (definition as AlertRuleDefinition).routes
      : (definition as WorkflowDefinition).actions;
  const before = previous ? list(previous) : [];
  const filled = list(next).map((item) => {
    if (!('url' in item) || !['webhook', 'customer_message'].includes(item.type) || item.secret) return item;
    const kept = before.find((old) => old.type === item.type && old.url === item.url && old.secret)?.secret;
    return { ...item, secret: kept ?? `whsec_${randomBytes(24).toString('hex')}` };
  });
  return (
    table === 'alert_rules' ? { ...next, routes: filled } : { ...next, actions: filled }
  ) as Definition<T>;
}

/** What the API shows: secrets replaced by a flag. */
export function redactSecrets<V extends { routes?: Routed[]; actions?: Routed[] }>(value: V): V {
  const redact = (items: Routed[] | undefined) =>
    items?.map(({ secret, ...rest }) => (secret === undefined ? rest : { ...rest, hasSecret: true }));
  const result: V = { ...value };
  if (value.routes) (result as { routes?: unknown }).routes = redact(value.routes);
  if (value.actions) (result as { actions?: unknown }).actions = redact(value.actions);
  return result;
}

interface DefinitionRow {
  id: string;
  name: string;
  enabled: boolean;
  definition: unknown;
  created_at: Date | string;
  updated_at: Date | string;
  template_key?: string | null;
}

function toStored<T extends Table>(row: DefinitionRow): StoredDefinition<T> {
  const definition = (
    typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition
  ) as Definition<T>;
  return {
    value: { ...definition, id: row.id, name: row.name, enabled: row.enabled } as Stored<T>,
    templateKey: row.template_key ?? null,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function listDefinitions<T extends Table>(
  db: Kysely<Database>,
  table: T,
  tenantId: string,
  options: { enabledOnly?: boolean } = {},
): Promise<StoredDefinition<T>[]> {
  let query = db
    .selectFrom(table as 'alert_rules')
    .selectAll()
    .where('tenant_id', '=', tenantId);
  if (options.enabledOnly) query = query.where('enabled', '=', true);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => toStored<T>(row as DefinitionRow));
}

export async function getDefinition<T extends Table>(
  db: Kysely<Database>,
  table: T,
  tenantId: string,
  id: string,
): Promise<StoredDefinition<T> | null> {
  const row = await db
    .selectFrom(table as 'alert_rules')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toStored<T>(row as DefinitionRow) : null;
}

function strip<T extends Table>(value: Stored<T>): Definition<T> {
  const { id: _id, ...definition } = value;
  return definition as unknown as Definition<T>;
}

export async function createDefinition<T extends Table>(
  db: Kysely<Database>,
  table: T,
  tenantId: string,
  input: Definition<T>,
  actor: string,
  now: Date,
  templateKey: string | null = null,
): Promise<StoredDefinition<T>> {
  const id = `${table === 'alert_rules' ? 'rule' : 'wf'}-${randomUUID()}`;
  const definition = withSecrets(table, input, null);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto(table as Table)
      .values({
        tenant_id: tenantId,
        id,
        name: definition.name,
        enabled: definition.enabled,
        definition: JSON.stringify(definition),
        created_at: now,
        updated_at: now,
        ...(table === 'workflows' ? { template_key: templateKey } : {}),
      })
      .execute();
    await writeAudit(
      trx,
      {
        tenantId,
        actor,
        action: `${entityTypes[table]}.created`,
        entityType: entityTypes[table],
        entityId: id,
        after: redactSecrets(definition as never),
      },
      now,
    );
  });
  return (await getDefinition(db, table, tenantId, id))!;
}

/** Replaces a definition (or only switches it on/off); null when there is no such id. */
export async function updateDefinition<T extends Table>(
  db: Kysely<Database>,
  table: T,
  tenantId: string,
  id: string,
  change: { definition: Definition<T> } | { enabled: boolean },
  actor: string,
  now: Date,
): Promise<StoredDefinition<T> | null> {
  return db.transaction().execute(async (trx) => {
    const existing = await getDefinition(trx, table, tenantId, id);
    if (!existing) return null;
    const before = strip<T>(existing.value);
    const after: Definition<T> =
      'definition' in change
        ? withSecrets(table, change.definition, before)
        : ({ ...before, enabled: change.enabled } as Definition<T>);
    await trx
      .updateTable(table as Table)
      .set({ name: after.name, enabled: after.enabled, definition: JSON.stringify(after), updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    const action = 'definition' in change ? 'updated' : change.enabled ? 'enabled' : 'disabled';
    await writeAudit(
      trx,
      {
        tenantId,
        actor,
        action: `${entityTypes[table]}.${action}`,
        entityType: entityTypes[table],
        entityId: id,
        before: redactSecrets(before as never),
        after: redactSecrets(after as never),
      },
      now,
    );
    return getDefinition(trx, table, tenantId, id);
  });
}

export async function deleteDefinition(
  db: Kysely<Database>,
  table: Table,
  tenantId: string,
  id: string,
  actor: string,
  now: Date,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await getDefinition(trx, table, tenantId, id);
    if (!existing) return false;
    await trx.deleteFrom(table).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    await writeAudit(
      trx,
      {
        tenantId,
        actor,
        action: `${entityTypes[table]}.deleted`,
        entityType: entityTypes[table],
        entityId: id,
        before: redactSecrets(strip(existing.value) as never),
      },
      now,
    );
    return true;
  });
}
