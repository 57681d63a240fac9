import { z } from 'zod';

/**
 * What SOQL returns for each object Pulse reads, with Salesforce's field names. Everything is
 * `.nullish()`: a field hidden by field-level security or left empty comes back null, and a record
 * is only rejected when the canonical mapping cannot do without the value.
 */

const text = z.string().nullish();
const number = z.number().nullish();
const flag = z.boolean().nullish();
/** Datetimes arrive as `2026-01-02T03:04:05.000+0000`; the mapper normalises them. */
const dateTime = z
  .string()
  .refine(
    (value) => !Number.isNaN(Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))),
    'not a datetime',
  )
  .nullish();
const date = z.iso.date().nullish();

const base = { Id: z.string().min(1), SystemModstamp: z.string().min(1) };
const user = z.object({ Name: text, Email: text }).nullish();

export const RawAccount = z.object({
  ...base,
  Name: text,
  Website: text,
  Industry: text,
  NumberOfEmployees: number,
  AnnualRevenue: number,
  Previous_Annual_Revenue__c: number,
  OwnerId: text,
  Owner: user,
  Region__c: text,
  Customer_Since__c: date,
  CS_Opt_Out__c: flag,
});

export const RawContact = z.object({
  ...base,
  AccountId: text,
  Name: text,
  Email: text,
  CS_Role__c: text,
  Left_Company__c: flag,
  Last_Engaged_At__c: dateTime,
});

export const RawOpportunity = z.object({
  ...base,
  AccountId: text,
  Name: text,
  Amount: number,
  StageName: text,
  CloseDate: date,
  Type: text,
  IsClosed: flag,
  IsWon: flag,
  Pulse_Product_Id__c: text,
  OwnerId: text,
});

export const RawCase = z.object({
  ...base,
  AccountId: text,
  Subject: text,
  Status: text,
  Priority: text,
  IsClosed: flag,
  CreatedDate: dateTime,
  ClosedDate: dateTime,
  IsEscalated: flag,
  Sentiment__c: text,
});

export const RawTask = z.object({
  ...base,
  AccountId: text,
  WhoId: text,
  TaskSubtype: text,
  ActivityDate: date,
  CompletedDateTime: dateTime,
  CreatedDate: dateTime,
});

export const RawEvent = z.object({
  ...base,
  AccountId: text,
  WhoId: text,
  StartDateTime: dateTime,
  Is_QBR__c: flag,
});

export const RawSubscription = z.object({
  ...base,
  Account__c: text,
  Product__c: text,
  MRR__c: number,
  Start_Date__c: date,
  Renewal_Date__c: date,
  Auto_Renew__c: flag,
  Status__c: text,
  Licensed_Seats__c: number,
});

export const RawInvoice = z.object({
  ...base,
  Account__c: text,
  Amount__c: number,
  Issued_On__c: date,
  Due_Date__c: date,
  Paid_At__c: dateTime,
  Status__c: text,
});

export const RawProduct = z.object({ Id: z.string().min(1), Name: text, Family: text, IsActive: flag });
export const RawPricebookEntry = z.object({ Product2Id: z.string().min(1), UnitPrice: number });

export type RawAccount = z.infer<typeof RawAccount>;
export type RawContact = z.infer<typeof RawContact>;
export type RawOpportunity = z.infer<typeof RawOpportunity>;
export type RawCase = z.infer<typeof RawCase>;
export type RawTask = z.infer<typeof RawTask>;
export type RawEvent = z.infer<typeof RawEvent>;
export type RawSubscription = z.infer<typeof RawSubscription>;
export type RawInvoice = z.infer<typeof RawInvoice>;

/** The fields each SOQL query selects: exactly the keys of its raw schema. */
export function selectFields(schema: z.ZodObject): string[] {
  return Object.keys(schema.shape).flatMap((name) =>
    name === 'Owner' ? ['Owner.Name', 'Owner.Email'] : [name],
  );
}
