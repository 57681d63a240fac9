import type { PropertyDefinition } from './property-registry';

/**
 * Normalises one written property value the way HubSpot stores it (numbers and booleans as strings,
 * date-times as ms-precision ISO instants, dates as YYYY-MM-DD), or says why it is invalid with
 * HubSpot's error code for it.
 */

export interface PropertyValueError {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

export type NormalisedValue = { ok: true; value: string | null } | { ok: false; error: PropertyValueError };

const invalid = (name: string, error: string, message: string): NormalisedValue => ({
  ok: false,
  error: { isValid: false, message, error, name },
});

function parseInstant(raw: string): number | null {
  if (/^-?\d+$/.test(raw)) return Number(raw);
  const parsed = Date.parse(raw);
  return Number.isNaN(parsed) ? null : parsed;
}

export function normaliseValue(property: PropertyDefinition, value: unknown): NormalisedValue {
  const name = property.name;
  if (value === null || value === undefined || value === '') return { ok: true, value: null };
  if (typeof value === 'object')
    return invalid(name, 'INVALID_TYPE', `${JSON.stringify(value)} is not a valid value`);
  const raw = String(value).trim();
  switch (property.type) {
    case 'number': {
      const number = Number(raw);
      if (raw === '' || !Number.isFinite(number)) {
        return invalid(name, 'INVALID_FLOAT', `${raw} was not a valid number.`);
      }
      return { ok: true, value: raw };
    }
    case 'bool': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') {
        return invalid(name, 'INVALID_BOOLEAN', `${raw} was not a valid boolean (true or false).`);
      }
      return { ok: true, value: lower };
    }
    case 'datetime': {
      const instant = parseInstant(raw);
      if (instant === null) return invalid(name, 'INVALID_DATE', `${raw} was not a valid date-time.`);
      return { ok: true, value: new Date(instant).toISOString() };
    }
    case 'date': {
      if (/^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw))) return { ok: true, value: raw };
      const instant = parseInstant(raw);
      if (instant === null || instant % 86_400_000 !== 0) {
        return invalid(
          name,
          'INVALID_DATE',
          `${raw} is not a valid date: use YYYY-MM-DD or a UTC midnight in ms.`,
        );
      }
      return { ok: true, value: new Date(instant).toISOString().slice(0, 10) };
    }
    case 'enumeration': {
      if (property.options.length === 0) return { ok: true, value: raw };
      const allowed = new Set(property.options.map((option) => option.value));
      const unknown = raw.split(';').filter((part) => !allowed.has(part));
      if (unknown.length > 0) {
        return invalid(
          name,
          'INVALID_OPTION',
          `${unknown.join(';')} was not one of the allowed options: [${[...allowed].join(', ')}]`,
        );
      }
      return { ok: true, value: raw };
    }
    default:
      return { ok: true, value: raw };
  }
}

/** Numeric view of a stored value for search comparisons: numbers, instants and dates compare as ms. */
export function comparableNumber(property: PropertyDefinition | undefined, value: string): number | null {
  if (property?.type === 'datetime' || property?.type === 'date') return parseInstant(value);
  const number = Number(value);
  return value.trim() !== '' && Number.isFinite(number) ? number : null;
}
