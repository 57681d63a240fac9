import type { Product } from '@pulse/shared';

import { type CreateOpportunityInput, type CreateTaskInput, CrmError } from '../adapter';
import type { QueryResult, SalesforceClient } from './client';
import { PULSE_PRODUCT_FIELD } from './constants';
import { dealTypeValues, taskPriorityValues } from './picklists';
import { RawPricebookEntry, RawProduct } from './raw-schemas';
import { buildSoql } from './soql';

/**
 * Products, Create Opportunity (an Opportunity plus its OpportunityLineItem from the standard price
 * book) and CS tasks. Create Opportunity is idempotent per (account, product) while an opportunity
 * Pulse created for it is open: a second click returns the first one.
 */

export async function queryAll(client: SalesforceClient, soql: string): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  let page: QueryResult = await client.query(soql);
  records.push(...page.records);
  while (page.nextRecordsUrl) {
    page = await client.queryMore(page.nextRecordsUrl.replace(/^https?:\/\/[^/]+/, ''));
    records.push(...page.records);
  }
  return records;
}

export function recordUrl(instanceUrl: string, object: string, id: string): string {
  return `${instanceUrl.replace(/\/$/, '')}/lightning/r/${object}/${id}/view`;
}

export class SalesforceSales {
  private standardPricebookId: Promise<string | null> | null = null;
  /** In-flight creations by (account, product), so a double click cannot race into two. */
  private readonly creating = new Map<string, Promise<{ id: string; url: string | null }>>();

  constructor(
    private readonly client: SalesforceClient,
    private readonly instanceUrl: () => string,
  ) {}

  private pricebook(): Promise<string | null> {
    this.standardPricebookId ??= this.client
      .query(
        buildSoql({
          select: ['Id'],
          from: 'Pricebook2',
          where: [{ field: 'IsStandard', operator: '=', value: true }],
          limit: 1,
        }),
      )
      .then((result) => (typeof result.records[0]?.Id === 'string' ? result.records[0].Id : null))
      .catch((error) => {
        this.standardPricebookId = null;
        throw error;
      });
    return this.standardPricebookId;
  }

  async listProducts(): Promise<Omit<Product, 'tenantId'>[]> {
    const pricebookId = await this.pricebook();
    const products = await queryAll(
      this.client,
      buildSoql({ select: ['Id', 'Name', 'Family', 'IsActive'], from: 'Product2' }),
    );
    const prices = new Map<string, number>();
    if (pricebookId) {
      const entries = await queryAll(
        this.client,
        buildSoql({
          select: ['Product2Id', 'UnitPrice'],
          from: 'PricebookEntry',
          where: [{ field: 'Pricebook2Id', operator: '=', value: pricebookId }],
        }),
      );
      for (const raw of entries) {
        const entry = RawPricebookEntry.safeParse(raw);
        if (entry.success && entry.data.UnitPrice != null)
          prices.set(entry.data.Product2Id, entry.data.UnitPrice);
      }
    }
    return products.flatMap((raw) => {
      const product = RawProduct.safeParse(raw);
      if (!product.success) return [];
      return [
        {
          id: product.data.Id,
          name: product.data.Name ?? product.data.Id,
          productLine: product.data.Family ?? null,
          monthlyPrice: Math.max(0, prices.get(product.data.Id) ?? 0),
          active: product.data.IsActive ?? false,
        },
      ];
    });
  }

  async findOpenOpportunity(accountId: string, productId: string) {
    const result = await this.client.query(
      buildSoql({
        select: ['Id'],
        from: 'Opportunity',
        where: [
          { field: 'AccountId', operator: '=', value: accountId },
          { field: PULSE_PRODUCT_FIELD, operator: '=', value: productId },
          { field: 'IsClosed', operator: '=', value: false },
        ],
        limit: 1,
      }),
    );
    const id = result.records[0]?.Id;
    return typeof id === 'string' ? { id, url: recordUrl(this.instanceUrl(), 'Opportunity', id) } : null;
  }

  createOpportunity(input: CreateOpportunityInput): Promise<{ id: string; url: string | null }> {
    const key = `${input.accountId}\u0000${input.productId}`;
    const inFlight = this.creating.get(key);
    if (inFlight) return inFlight;
    const creation = this.createOnce(input).finally(() => this.creating.delete(key));
    this.creating.set(key, creation);
    return creation;
  }

  private async createOnce(input: CreateOpportunityInput) {
    const existing = await this.findOpenOpportunity(input.accountId, input.productId);
    if (existing) return existing;
    const pricebookId = await this.pricebook();
    const entry = pricebookId
      ? (
          await this.client.query(
            buildSoql({
              select: ['Id'],
              from: 'PricebookEntry',
              where: [
                { field: 'Pricebook2Id', operator: '=', value: pricebookId },
                { field: 'Product2Id', operator: '=', value: input.productId },
                { field: 'IsActive', operator: '=', value: true },
              ],
              limit: 1,
            }),
          )
        ).records[0]
      : undefined;
    const { id } = await this.client.create('Opportunity', {
      AccountId: input.accountId,
      Name: input.name,
      Amount: input.amount,
      StageName: input.stage ?? 'Prospecting',
      CloseDate: input.closeDate,
      Type: dealTypeValues.expansion,
      [PULSE_PRODUCT_FIELD]: input.productId,
      ...(input.ownerId ? { OwnerId: input.ownerId } : {}),
      ...(entry ? { Pricebook2Id: pricebookId } : {}),
    });
    if (entry && typeof entry.Id === 'string') {
      await this.client.create('OpportunityLineItem', {
        OpportunityId: id,
        PricebookEntryId: entry.Id,
        Quantity: 1,
        UnitPrice: input.amount,
      });
    }
    return { id, url: recordUrl(this.instanceUrl(), 'Opportunity', id) };
  }

  async createTask(input: CreateTaskInput): Promise<{ id: string }> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.dueDate)) {
      throw new CrmError(
        'INVALID',
        `createTask: dueDate must be YYYY-MM-DD, got ${JSON.stringify(input.dueDate)}`,
      );
    }
    return this.client.create('Task', {
      WhatId: input.accountId,
      Subject: input.subject.slice(0, 255),
      Description: input.body,
      ActivityDate: input.dueDate,
      Priority: taskPriorityValues[input.priority],
      Status: 'Not Started',
      ...(input.ownerId ? { OwnerId: input.ownerId } : {}),
    });
  }
}
