/** Display formats, one place: numbers in en-US, money without cents, dates as YYYY-MM-DD. */

export function money(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
}

export function compactMoney(value: number): string {
  return value.toLocaleString('en-US', {
    style: 'currency',
    currency: 'USD',
    notation: 'compact',
    maximumFractionDigits: 1,
  });
}

export function number(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function signed(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${value > 0 ? '+' : ''}${number(value, 1)}`;
}

export function day(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : '—';
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return (
    new Date(value).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) +
    ' UTC'
  );
}

export function tierClass(tier: string | null | undefined): string {
  return `tier tier-${tier ?? 'unscored'}`;
}
