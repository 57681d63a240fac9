/**
 * HubSpot's documented request limits the sandbox enforces.
 * https://developers.hubspot.com/docs/api/crm/understanding-the-crm (objects, batch)
 * https://developers.hubspot.com/docs/api/crm/associations (v4 batch read)
 */
export const hubSpotLimits = {
  /** List endpoints cap `limit` at 100 (larger values are answered with 100). */
  listMaxPageSize: 100,
  listDefaultPageSize: 10,
  /** Batch read/create/update/archive take at most 100 inputs. */
  batchMaxInputs: 100,
  /** Associations v4 batch read takes at most 1,000 inputs. */
  associationBatchMaxInputs: 1000,
  /** Owners list page size cap. */
  ownersMaxPageSize: 500,
} as const;
