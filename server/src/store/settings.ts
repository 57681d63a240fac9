import type { FieldError } from '@pulse/shared/api/contract';
import { fieldErrors } from '@pulse/shared/api/contract';
import { defaultFlagSettings, FlagSettings } from '@pulse/shared/flags/settings';
import { defaultHealthConfig, type HealthConfig, validateHealthConfig } from '@pulse/shared/health/index';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';

import type { Database } from '../db/schema';
import { writeAudit } from './audit';

/**
 * Tenant settings. Every save appends a version (who, when) and an audit entry with the value
 * before and after; the newest version is in force and older ones stay readable as history.
 * Each key has a validator and a default, so a tenant that never saved one still reads a value.
 */
export const OpportunityDefaults = z.object({
  pipeline: z.string().trim().min(1, 'Name the pipeline new opportunities go into'),
  stage: z.string().trim().min(1, 'Name the stage new opportunities start in'),
});
export type OpportunityDefaults = z.infer<typeof OpportunityDefaults>;

export interface SettingValues {
  health_config: HealthConfig;
  retention_months: number;
  gross_margin: number;
  opportunity_defaults: OpportunityDefaults;
  /** Churn-signal detector thresholds (shared/src/flags/settings.ts). */
  flags: FlagSettings;
}
export type SettingKey = keyof SettingValues;

type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

interface SettingDefinition<T> {
  defaultValue: T;
  validate(input: unknown): Validation<T>;
}

function fromSchema<T>(schema: z.ZodType<T>): (input: unknown) => Validation<T> {
  return (input) => {
    const parsed = schema.safeParse(input);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, errors: fieldErrors(parsed.error) };
  };
}

export const settingDefinitions: { [K in SettingKey]: SettingDefinition<SettingValues[K]> } = {
  health_config: {
    defaultValue: defaultHealthConfig,
    validate(input) {
      const result = validateHealthConfig(input);
      return result.ok ? { ok: true, value: result.config } : result;
    },
  },
  retention_months: {
    defaultValue: 24,
    validate: fromSchema(
      z
        .number({ error: 'Retention is a whole number of months' })
        .int('Retention is a whole number of months')
        .min(1, 'Keep score history for at least 1 month')
        .max(120, 'Keep score history for at most 120 months'),
    ),
  },
  gross_margin: {
    defaultValue: 0.8,
    validate: fromSchema(
      z
        .number({ error: 'Gross margin is a fraction between 0 and 1, e.g. 0.8' })
        .min(0, 'Gross margin is a fraction between 0 and 1, e.g. 0.8')
        .max(1, 'Gross margin is a fraction between 0 and 1, e.g. 0.8'),
    ),
  },
  opportunity_defaults: {
    defaultValue: { pipeline: 'default', stage: 'appointmentscheduled' },
    validate: fromSchema(OpportunityDefaults),
  },
  flags: { defaultValue: defaultFlagSettings, validate: fromSchema(FlagSettings) },
};

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(settingDefinitions, key);
}

/** A save that failed validation; nothing was written. `fieldErrors` name each offending field. */
export class SettingValidationError extends Error {
  constructor(
    readonly key: string,
    readonly fieldErrors: FieldError[],
  ) {
    super(
      `Invalid ${key}: ${fieldErrors.map((error) => (error.path === '(root)' ? error.message : `${error.path}: ${error.message}`)).join('; ')}`,
    );
    this.name = 'SettingValidationError';
  }
}

export interface SettingVersion<T = unknown> {
  key: string;
  version: number;
  value: T;
  changedBy: string;
  changedAt: string;
}

/** The value in force: the newest saved version, or the default when none was saved. */
export async function getSetting<K extends SettingKey>(
  db: Kysely<Database>,
  tenantId: string,
  key: K,
): Promise<SettingValues[K]> {
  const latest = await getSettingVersion(db, tenantId, key);
  return latest ? latest.value : settingDefinitions[key].defaultValue;
}

/** The newest saved version with who saved it, or null when the tenant never saved this key. */
export async function getSettingVersion<K extends SettingKey>(
  db: Kysely<Database>,
  tenantId: string,
  key: K,
): Promise<SettingVersion<SettingValues[K]> | null> {
  const row = await db
    .selectFrom('settings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  // A stored value is re-read through its validator so defaults added since the save apply.
  const validation = settingDefinitions[key].validate(row.value);
  return {
    ...toVersion(row),
    value: validation.ok ? validation.value : (row.value as SettingValues[K]),
  };
}

/** Validate and save a new version; invalid values throw SettingValidationError and save nothing. */
export async function saveSetting<K extends SettingKey>(
  db: Kysely<Database>,
  tenantId: string,
  key: K,
  value: unknown,
  actor: string,
): Promise<SettingVersion<SettingValues[K]>> {
  if (!isSettingKey(key)) {
    throw new SettingValidationError(String(key), [
      { path: 'key', message: `Unknown setting '${String(key)}'` },
    ]);
  }
  const validation = settingDefinitions[key].validate(value);
  if (!validation.ok) throw new SettingValidationError(key, validation.errors);
  return db.transaction().execute(async (trx) => {
    const before = await getSettingVersion(trx, tenantId, key);
    // The next version is computed in the insert itself; two racing saves collide on the primary
    // key instead of silently sharing a version number.
    const row = await sql<{ version: number; changed_at: Date }>`
      insert into settings (tenant_id, key, version, value, changed_by)
      select ${tenantId}, ${key}, coalesce(max(version), 0) + 1, ${JSON.stringify(validation.value)}::jsonb, ${actor}
      from settings where tenant_id = ${tenantId} and key = ${key}
      returning version, changed_at
    `.execute(trx);
    const saved = row.rows[0]!;
    await writeAudit(trx, {
      tenantId,
      actor,
      action: 'settings.update',
      entityType: 'setting',
      entityId: key,
      before: before?.value ?? null,
      after: validation.value,
    });
    return {
      key,
      version: saved.version,
      value: validation.value,
      changedBy: actor,
      changedAt: new Date(saved.changed_at).toISOString(),
    };
  });
}

/** Every saved version of a key, newest first. */
export async function listSettingHistory(
  db: Kysely<Database>,
  tenantId: string,
  key: SettingKey,
): Promise<SettingVersion[]> {
  const rows = await db
    .selectFrom('settings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toVersion);
}

function toVersion(row: {
  key: string;
  version: number;
  value: unknown;
  changed_by: string;
  changed_at: Date;
}): SettingVersion {
  return {
    key: row.key,
    version: row.version,
    value: row.value,
    changedBy: row.changed_by,
    changedAt: new Date(row.changed_at).toISOString(),
  };
}
