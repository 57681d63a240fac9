import { z } from 'zod';

import type { Account, Product } from '../model';

/**
 * How Create Opportunity pre-fills the deal (HubSpot) / opportunity (Salesforce). The server fills
 * pipeline and stage from the tenant's `opportunity_defaults` setting; they are CRM ids (HubSpot
 * pipeline/stage ids, Salesforce StageName), null meaning the CRM's default.
 */
export const OpportunitySettings = z
  .object({
    pipeline: z.string().min(1).nullable().default(null),
    stage: z.string().min(1).nullable().default(null),
    /** Expected close date, this many days after the click. */
    closeInDays: z.number().int().min(1).max(730).default(30),
  })
  .strict();
export type OpportunitySettings = z.infer<typeof OpportunitySettings>;

export const defaultOpportunitySettings: OpportunitySettings = OpportunitySettings.parse({});

export interface OpportunityDraft {
  accountId: string;
  productId: string;
  productName: string;
  name: string;
  /** A year of the product's list price: monthly price x 12. */
  amount: number;
  ownerId: string | null;
  pipeline: string | null;
  stage: string | null;
  closeDate: string;
}

export function opportunityName(accountName: string, productName: string): string {
  return `${accountName} — ${productName} (Pulse)`;
}

export function opportunityDraft(
  account: Pick<Account, 'id' | 'name' | 'ownerId'>,
  product: Pick<Product, 'id' | 'name' | 'monthlyPrice'>,
  settings: OpportunitySettings,
  now: Date,
): OpportunityDraft {
  const close = new Date(now.getTime() + settings.closeInDays * 86_400_000);
  return {
    accountId: account.id,
    productId: product.id,
    productName: product.name,
    name: opportunityName(account.name, product.name),
    amount: Math.round(product.monthlyPrice * 12 * 100) / 100,
    ownerId: account.ownerId,
    pipeline: settings.pipeline,
    stage: settings.stage,
    closeDate: close.toISOString().slice(0, 10),
  };
}
