import { z } from 'zod';

/**
 * What HubSpot's CRM v3/v4 APIs return, as HubSpot names it. Everything is `.nullish()` unless
 * HubSpot always sends it: portals differ, properties can be deleted, and values are strings.
 * https://developers.hubspot.com/docs/api/crm/understanding-the-crm
 */

export const RawProperties = z.record(z.string(), z.string().nullish());

export const RawObject = z.object({
  id: z.string().min(1),
  properties: RawProperties,
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  archived: z.boolean().nullish(),
  archivedAt: z.string().nullish(),
});
export type RawObject = z.infer<typeof RawObject>;

const RawPaging = z
  .object({
    next: z.object({ after: z.string(), link: z.string().nullish() }).nullish(),
  })
  .nullish();

/** A list or search page; results are parsed one by one so one bad record never loses the page. */
export const RawObjectPage = z.object({
  total: z.number().nullish(),
  results: z.array(z.unknown()),
  paging: RawPaging,
});
export type RawObjectPage = z.infer<typeof RawObjectPage>;

export const RawAssociationType = z.object({
  category: z.string().nullish(),
  typeId: z.number().nullish(),
  label: z.string().nullish(),
});

/** POST /crm/v4/associations/{from}/{to}/batch/read */
export const RawAssociationBatch = z.object({
  status: z.string().nullish(),
  results: z.array(
    z.object({
      from: z.object({ id: z.string() }),
      to: z.array(
        z.object({
          toObjectId: z.union([z.number(), z.string()]).transform(String),
          associationTypes: z.array(RawAssociationType).nullish(),
        }),
      ),
      paging: RawPaging,
    }),
  ),
  errors: z.array(z.unknown()).nullish(),
  numErrors: z.number().nullish(),
});
export type RawAssociationBatch = z.infer<typeof RawAssociationBatch>;

export const RawOwner = z.object({
  id: z.string(),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  archived: z.boolean().nullish(),
});
export const RawOwnerPage = z.object({ results: z.array(RawOwner), paging: RawPaging });

/** GET /crm/v3/properties/{objectType}/{name} and the list form. */
export const RawProperty = z.object({
  name: z.string(),
  label: z.string().nullish(),
  type: z.string().nullish(),
  fieldType: z.string().nullish(),
  groupName: z.string().nullish(),
  options: z
    .array(
      z.object({
        label: z.string(),
        value: z.string(),
        displayOrder: z.number().nullish(),
        hidden: z.boolean().nullish(),
      }),
    )
    .nullish(),
});
export type RawProperty = z.infer<typeof RawProperty>;
export const RawPropertyList = z.object({ results: z.array(RawProperty) });
export const RawPropertyGroup = z.object({ name: z.string(), label: z.string().nullish() });
export const RawPropertyGroupList = z.object({ results: z.array(RawPropertyGroup) });

/** Batch create/update answers 200/201 (all done) or 207 (some failed, listed in `errors`). */
export const RawBatchResult = z.object({
  status: z.string().nullish(),
  results: z.array(z.object({ id: z.string() }).loose()).nullish(),
  errors: z
    .array(
      z
        .object({
          message: z.string().nullish(),
          category: z.string().nullish(),
          context: z.record(z.string(), z.array(z.string())).nullish(),
        })
        .loose(),
    )
    .nullish(),
});

/** HubSpot's error body. https://developers.hubspot.com/docs/api/error-handling */
export const RawErrorBody = z
  .object({
    status: z.string().nullish(),
    message: z.string().nullish(),
    category: z.string().nullish(),
    subCategory: z.string().nullish(),
    policyName: z.string().nullish(),
    errorType: z.string().nullish(),
    correlationId: z.string().nullish(),
    context: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
export type RawErrorBody = z.infer<typeof RawErrorBody>;

/** POST /oauth/v1/token */
export const RawTokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string().nullish(),
  hub_id: z.number().nullish(),
  scopes: z.array(z.string()).nullish(),
});
export type RawTokenResponse = z.infer<typeof RawTokenResponse>;

/** GET /oauth/v1/access-tokens/{token}: which portal a token belongs to. */
export const RawTokenInfo = z.object({
  hub_id: z.number(),
  hub_domain: z.string().nullish(),
  scopes: z.array(z.string()).nullish(),
  expires_in: z.number().nullish(),
});

/** GET /account-info/v3/details (private-app tokens). */
export const RawAccountInfo = z.object({
  portalId: z.number(),
  accountType: z.string().nullish(),
  uiDomain: z.string().nullish(),
});
