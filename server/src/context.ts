import type { Kysely } from 'kysely';

import type { DatabaseKind } from './db/connection';
import type { Database } from './db/schema';
import type { Env } from './env';

/** What every server module receives: no module reads globals, the clock or the environment itself. */
export interface AppContext {
  db: Kysely<Database>;
  dbKind: DatabaseKind;
  env: Env;
  now: () => Date;
}
