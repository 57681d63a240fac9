/** Small display helpers shared by the cards and the settings page. Pure: `now` is passed in. */

export type TagVariant = 'default' | 'warning' | 'success' | 'error' | 'info';

/** Tier keys of the built-in presets; custom tiers fall back by position (best first). */
const tierVariants: Record<string, TagVariant> = {
  thriving: 'success',
  healthy: 'success',
  fine: 'info',
  at_risk: 'warning',
  touch: 'warning',
  critical: 'error',
};

export function tierVariant(tier: string | null): TagVariant {
  return tier ? (tierVariants[tier] ?? 'default') : 'default';
}

export function severityVariant(severity: string): TagVariant {
  if (severity === 'critical') return 'error';
  if (severity === 'warning' || severity === 'high') return 'warning';
  return 'info';
}

/** Renewal bands (PRODUCT.md §3): red under 30 days or overdue, amber under 90, green otherwise. */
export function bandVariant(band: string): TagVariant {
  if (band === 'red') return 'error';
  if (band === 'amber') return 'warning';
  return 'success';
}

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().slice(0, 10);
}

export function formatScore(value: number | null): string {
  return value === null ? '—' : String(Math.round(value));
}

export function formatSigned(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return rounded > 0 ? `+${rounded}` : String(rounded);
}

export function formatMoney(value: number): string {
  return `$${Math.round(value).toLocaleString('en-US')}`;
}

export function daysUntil(isoDate: string, now: Date): number {
  const target = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((target - today) / 86_400_000);
}

export function hubspotRecordUrl(portalId: number, objectTypeId: string, objectId: string): string {
  return `https://app.hubspot.com/contacts/${portalId}/record/${objectTypeId}/${objectId}`;
}
