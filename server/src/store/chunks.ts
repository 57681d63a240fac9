import { sql } from 'kysely';

import { arrayLiteral } from './bulk';

/** Which rows a snapshot chunk reads: an explicit id list, or the id range of a keyset page. */
export type ChunkSelector = { ids: readonly string[] } | { from: string; to: string };

/**
 * The `account_id` condition for a chunk. A range page also matches children of deleted accounts
 * that sort inside it; callers drop rows whose account is not in the chunk.
 */
export function accountFilter(selector: ChunkSelector) {
  return 'ids' in selector
    ? sql`account_id = any(${arrayLiteral(selector.ids, 'text')}::text[])`
    : sql`account_id between ${selector.from} and ${selector.to}`;
}
