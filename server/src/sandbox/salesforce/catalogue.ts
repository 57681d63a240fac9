import {
  factorPropertyName,
  pulsePropertyDefinitions,
  pulsePropertyNames,
  salesforceFieldName,
} from '@pulse/shared';
import { healthPresets } from '@pulse/shared/health/config';

/**
 * The sandbox org's schema: which sObjects exist, their fields and field types. Describe answers
 * from it, SOQL validates field names against it, and writes type-check against it, so a typo in
 * the connector fails here as it would in a real org.
 */

export type SandboxFieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'email'
  | 'url'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime';

export interface SandboxField {
  name: string;
  type: SandboxFieldType;
  label: string;
  /** System fields (Id, SystemModstamp, IsClosed...) are read-only. */
  updateable: boolean;
  referenceTo?: string;
  /** For `Owner.Name`-style relationship paths. */
  relationshipName?: string;
}

export interface SandboxObject {
  name: string;
  label: string;
  keyPrefix: string;
  custom: boolean;
  fields: SandboxField[];
}

function field(name: string, type: SandboxFieldType, extra: Partial<SandboxField> = {}): SandboxField {
  return { name, type, label: name.replace(/__c$/, '').replace(/_/g, ' '), updateable: true, ...extra };
}
const readOnly = { updateable: false };
const systemFields = [
  field('Id', 'id', readOnly),
  field('CreatedDate', 'datetime', readOnly),
  field('LastModifiedDate', 'datetime', readOnly),
  field('SystemModstamp', 'datetime', readOnly),
  field('IsDeleted', 'boolean', readOnly),
];
const owner = field('OwnerId', 'reference', { referenceTo: 'User', relationshipName: 'Owner' });
function accountLookup(name: string): SandboxField {
  return field(name, 'reference', { referenceTo: 'Account', relationshipName: name.replace(/Id$|__c$/, '') });
}

/** One factor field per factor of every preset model, as the DX package deploys them. */
export const defaultFactorKeys = [
  ...new Set(Object.values(healthPresets).flatMap((preset) => preset.factors.map((factor) => factor.key))),
];

const pulseFieldTypes: Record<string, SandboxFieldType> = {
  number: 'double',
  enumeration: 'picklist',
  string: 'string',
  date: 'date',
  datetime: 'datetime',
};

/** Pulse's output fields on Account, as the DX package in extension/salesforce deploys them. */
export function pulseAccountFields(factorKeys: readonly string[] = defaultFactorKeys): SandboxField[] {
  return [
    ...pulsePropertyNames.map((name) =>
      field(salesforceFieldName(name), pulseFieldTypes[pulsePropertyDefinitions[name].type]!, {
        label: pulsePropertyDefinitions[name].label,
      }),
    ),
    ...factorKeys.map((key) => field(salesforceFieldName(factorPropertyName(key)), 'double')),
  ];
}

export function buildCatalogue(options: { pulseFields: boolean; factorKeys?: readonly string[] }) {
  const objects: SandboxObject[] = [
    {
      name: 'Organization',
      label: 'Organization',
      keyPrefix: '00D',
      custom: false,
      fields: [...systemFields, field('Name', 'string')],
    },
    {
      name: 'User',
      label: 'User',
      keyPrefix: '005',
      custom: false,
      fields: [
        ...systemFields,
        field('Name', 'string'),
        field('Email', 'email'),
        field('Username', 'string'),
      ],
    },
    {
      name: 'Account',
      label: 'Account',
      keyPrefix: '001',
      custom: false,
      fields: [
        ...systemFields,
        field('Name', 'string'),
        field('Website', 'url'),
        field('Industry', 'picklist'),
        field('NumberOfEmployees', 'int'),
        field('AnnualRevenue', 'currency'),
        field('Type', 'picklist'),
        field('Rating', 'picklist'),
        owner,
        field('Previous_Annual_Revenue__c', 'currency'),
        field('Region__c', 'picklist'),
        field('Customer_Since__c', 'date'),
        field('CS_Opt_Out__c', 'boolean'),
        ...(options.pulseFields ? pulseAccountFields(options.factorKeys) : []),
      ],
    },
    {
      name: 'Contact',
      label: 'Contact',
      keyPrefix: '003',
      custom: false,
      fields: [
        ...systemFields,
        accountLookup('AccountId'),
        field('FirstName', 'string'),
        field('LastName', 'string'),
        field('Name', 'string', readOnly),
        field('Email', 'email'),
        field('CS_Role__c', 'picklist'),
        field('Left_Company__c', 'boolean'),
        field('Last_Engaged_At__c', 'datetime'),
      ],
    },
    {
      name: 'Opportunity',
      label: 'Opportunity',
      keyPrefix: '006',
      custom: false,
      fields: [
        ...systemFields,
        accountLookup('AccountId'),
        field('Name', 'string'),
        field('Amount', 'currency'),
        field('StageName', 'picklist'),
        field('CloseDate', 'date'),
        field('Type', 'picklist'),
        field('IsClosed', 'boolean', readOnly),
        field('IsWon', 'boolean', readOnly),
        field('Pricebook2Id', 'reference', { referenceTo: 'Pricebook2' }),
        field('Pulse_Product_Id__c', 'string'),
        owner,
      ],
    },
    {
      name: 'OpportunityLineItem',
      label: 'Opportunity Product',
      keyPrefix: '00k',
      custom: false,
      fields: [
        ...systemFields,
        field('OpportunityId', 'reference', { referenceTo: 'Opportunity' }),
        field('PricebookEntryId', 'reference', { referenceTo: 'PricebookEntry' }),
        field('Product2Id', 'reference', { referenceTo: 'Product2', updateable: false }),
        field('Quantity', 'double'),
        field('UnitPrice', 'currency'),
        field('TotalPrice', 'currency', readOnly),
      ],
    },
    {
      name: 'Product2',
      label: 'Product',
      keyPrefix: '01t',
      custom: false,
      fields: [
        ...systemFields,
        field('Name', 'string'),
        field('Family', 'picklist'),
        field('IsActive', 'boolean'),
      ],
    },
    {
      name: 'Pricebook2',
      label: 'Price Book',
      keyPrefix: '01s',
      custom: false,
      fields: [
        ...systemFields,
        field('Name', 'string'),
        field('IsStandard', 'boolean', readOnly),
        field('IsActive', 'boolean'),
      ],
    },
    {
      name: 'PricebookEntry',
      label: 'Price Book Entry',
      keyPrefix: '01u',
      custom: false,
      fields: [
        ...systemFields,
        field('Pricebook2Id', 'reference', { referenceTo: 'Pricebook2' }),
        field('Product2Id', 'reference', { referenceTo: 'Product2' }),
        field('UnitPrice', 'currency'),
        field('IsActive', 'boolean'),
      ],
    },
    {
      name: 'Case',
      label: 'Case',
      keyPrefix: '500',
      custom: false,
      fields: [
        ...systemFields,
        accountLookup('AccountId'),
        field('Subject', 'string'),
        field('Status', 'picklist'),
        field('Priority', 'picklist'),
        field('IsClosed', 'boolean', readOnly),
        field('ClosedDate', 'datetime', readOnly),
        field('IsEscalated', 'boolean'),
        field('Sentiment__c', 'picklist'),
      ],
    },
    {
      name: 'Task',
      label: 'Task',
      keyPrefix: '00T',
      custom: false,
      fields: [
        ...systemFields,
        field('AccountId', 'reference', { referenceTo: 'Account', updateable: false }),
        field('WhatId', 'reference', { referenceTo: 'Account' }),
        field('WhoId', 'reference', { referenceTo: 'Contact' }),
        field('Subject', 'string'),
        field('Description', 'textarea'),
        field('TaskSubtype', 'picklist'),
        field('Status', 'picklist'),
        field('Priority', 'picklist'),
        field('ActivityDate', 'date'),
        field('CompletedDateTime', 'datetime', readOnly),
        owner,
      ],
    },
    {
      name: 'Event',
      label: 'Event',
      keyPrefix: '00U',
      custom: false,
      fields: [
        ...systemFields,
        field('AccountId', 'reference', { referenceTo: 'Account', updateable: false }),
        field('WhatId', 'reference', { referenceTo: 'Account' }),
        field('WhoId', 'reference', { referenceTo: 'Contact' }),
        field('Subject', 'string'),
        field('StartDateTime', 'datetime'),
        field('EndDateTime', 'datetime'),
        field('Is_QBR__c', 'boolean'),
        owner,
      ],
    },
    {
      name: 'Pulse_Subscription__c',
      label: 'Pulse Subscription',
      keyPrefix: 'a0S',
      custom: true,
      fields: [
        ...systemFields,
        field('Name', 'string'),
        accountLookup('Account__c'),
        field('Product__c', 'reference', { referenceTo: 'Product2' }),
        field('MRR__c', 'currency'),
        field('Start_Date__c', 'date'),
        field('Renewal_Date__c', 'date'),
        field('Auto_Renew__c', 'boolean'),
        field('Status__c', 'picklist'),
        field('Licensed_Seats__c', 'double'),
      ],
    },
    {
      name: 'Pulse_Invoice__c',
      label: 'Pulse Invoice',
      keyPrefix: 'a0I',
      custom: true,
      fields: [
        ...systemFields,
        field('Name', 'string'),
        accountLookup('Account__c'),
        field('Amount__c', 'currency'),
        field('Issued_On__c', 'date'),
        field('Due_Date__c', 'date'),
        field('Paid_At__c', 'datetime'),
        field('Status__c', 'picklist'),
      ],
    },
  ];
  return new Map(objects.map((object) => [object.name, object]));
}

export type SandboxCatalogue = ReturnType<typeof buildCatalogue>;

export function findField(object: SandboxObject, name: string): SandboxField | undefined {
  const lower = name.toLowerCase();
  return object.fields.find((candidate) => candidate.name.toLowerCase() === lower);
}
