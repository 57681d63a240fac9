/**
 * The public contract: the CRM properties Pulse writes back (PRODUCT.md, "Public contract").
 * HubSpot company properties live in the `pulse` group; Salesforce Account fields carry the same
 * names in Salesforce's custom-field form. Renaming one is a breaking change for every customer
 * workflow that triggers on it.
 */

export const HUBSPOT_PROPERTY_GROUP = 'pulse';

export const pulsePropertyNames = [
  'pulse_health_score',
  'pulse_health_tier',
  'pulse_health_trend_30d',
  'pulse_data_coverage',
  'pulse_churn_risk',
  'pulse_cltv',
  'pulse_upsell_score',
  'pulse_top_recommendation',
  'pulse_open_flags',
  'pulse_next_renewal_date',
  'pulse_scored_at',
] as const;
export type PulsePropertyName = (typeof pulsePropertyNames)[number];

export type PropertyType = 'number' | 'enumeration' | 'string' | 'date' | 'datetime';

export interface PulsePropertyDefinition {
  name: string;
  label: string;
  description: string;
  type: PropertyType;
}

export const pulsePropertyDefinitions: Record<PulsePropertyName, Omit<PulsePropertyDefinition, 'name'>> = {
  pulse_health_score: {
    label: 'Pulse health score',
    type: 'number',
    description: 'Weighted 0-100 health score',
  },
  pulse_health_tier: {
    label: 'Pulse health tier',
    type: 'enumeration',
    description: 'Tier of the health score',
  },
  pulse_health_trend_30d: {
    label: 'Pulse health trend (30 days)',
    type: 'number',
    description: 'Change of the health score over the last 30 days, in points',
  },
  pulse_data_coverage: {
    label: 'Pulse data coverage',
    type: 'number',
    description: 'Share of the model weight (0-100%) backed by data',
  },
  pulse_churn_risk: { label: 'Pulse churn risk', type: 'number', description: 'Churn risk 0-100' },
  pulse_cltv: { label: 'Pulse CLTV', type: 'number', description: 'Customer lifetime value' },
  pulse_upsell_score: { label: 'Pulse upsell score', type: 'number', description: 'Upsell propensity 0-100' },
  pulse_top_recommendation: {
    label: 'Pulse top recommendation',
    type: 'string',
    description: 'Best product recommendation',
  },
  pulse_open_flags: { label: 'Pulse open flags', type: 'number', description: 'Open churn-signal flags' },
  pulse_next_renewal_date: {
    label: 'Pulse next renewal date',
    type: 'date',
    description: 'Next subscription renewal',
  },
  pulse_scored_at: { label: 'Pulse scored at', type: 'datetime', description: 'When Pulse last scored' },
};

/** `pulse_factor_<key>`: one property per health factor (0-100). */
export function factorPropertyName(factorKey: string): string {
  return `pulse_factor_${factorKey}`;
}

/** `pulse_health_score` -> `Pulse_Health_Score__c` (Salesforce Account custom field API name). */
export function salesforceFieldName(propertyName: string): string {
  const words = propertyName.split('_').map((word) => (word ? word[0]!.toUpperCase() + word.slice(1) : word));
  return `${words.join('_')}__c`;
}
