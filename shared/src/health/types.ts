import type { AccountSnapshot } from '../model';

/** A raw value behind a factor, shown to the user beside the factor's score. */
export interface SignalValue {
  key: string;
  label: string;
  value: number | string | boolean | null;
  unit?: string;
}

export interface FactorResult {
  key: string;
  label: string;
  /** Configured integer weight (the model's weights total 100). */
  weight: number;
  /** 0-100, or null when the factor has no data (excluded, never scored 0). */
  value: number | null;
  /** Weight after renormalising over factors with data (0 when excluded); totals 100. */
  effectiveWeight: number;
  /** Points contributed to the score: value x effectiveWeight / 100. */
  points: number;
  signals: SignalValue[];
  /** One line a CSM can read: "2 invoices overdue, avg 18 days late". */
  explanation: string;
  /** Newest signal time behind this factor (ISO), null without data. */
  asOf: string | null;
}

export interface Driver {
  factorKey: string;
  label: string;
  /** Change in points contributed since the previous score. */
  pointsChange: number;
  explanation: string;
}

export interface HealthResult {
  /** 0-100 (one decimal), null when no factor has data. */
  score: number | null;
  /** Tier key and label from the config's tiers; null when unscored. */
  tier: string | null;
  tierLabel: string | null;
  /** Share of configured weight backed by data, 0-100. */
  coverage: number;
  lowCoverage: boolean;
  factors: FactorResult[];
  /** Biggest movers since the previous score, largest first. */
  drivers: { up: Driver[]; down: Driver[] };
  computedAt: string;
}

/** What the engine needs of the previous scoring to name drivers. */
export interface PreviousScore {
  score: number | null;
  tier: string | null;
  computedAt: string;
  factors: Record<string, { value: number | null; points: number }>;
}

export type { AccountSnapshot };
