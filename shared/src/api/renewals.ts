import { z } from 'zod';

import { RenewalQuery, renewalBands } from '../renewals/renewals';
import { endpoint } from './contract';

export const RenewalItem = z.object({
  subscriptionId: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  productId: z.string(),
  productName: z.string(),
  mrr: z.number(),
  renewalDate: z.string(),
  daysLeft: z.number().int(),
  band: z.enum(renewalBands),
  autoRenew: z.boolean(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  tier: z.string().nullable(),
});

export const RenewalList = z.object({
  renewals: z.array(RenewalItem),
  totals: z.object({ count: z.number().int(), mrr: z.number() }),
});
export type RenewalList = z.infer<typeof RenewalList>;

const RenewalQueryStrict = RenewalQuery.strict();

export const listRenewals = endpoint({
  method: 'get',
  path: '/api/v1/renewals',
  query: RenewalQueryStrict,
  response: RenewalList,
});

/** The same listing as RFC 4180 CSV (text/csv), formula-safe for spreadsheets. */
export const exportRenewalsCsv = endpoint({
  method: 'get',
  path: '/api/v1/renewals.csv',
  query: RenewalQueryStrict,
  response: z.string(),
});
