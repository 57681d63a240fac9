import type { Kysely } from 'kysely';
import type { z } from 'zod';

import type { Database } from '../db/schema';

/**
 * Reads the newest version of a tenant setting and parses it; a missing or invalid value gives the
 * defaults (the settings API validates on save, so an invalid stored value is an old shape).
 */
export async function latestSetting<T>(
  db: Kysely<Database>,
  tenantId: string,
  key: string,
  schema: z.ZodType<T>,
): Promise<T> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  const parsed = schema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : schema.parse({});
}
