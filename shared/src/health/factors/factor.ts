import type { AccountSignals } from '../signals';
import type { SignalValue } from '../types';

/** What a factor makes of an account's signals; the engine adds weight and points. */
export interface FactorEvaluation {
  /** 0-100. */
  value: number;
  signals: SignalValue[];
  explanation: string;
  asOf: string | null;
}

/** A built-in factor: a pure function from signals to a 0-100 value, or null without data. */
export interface FactorDefinition {
  key: string;
  label: string;
  /** One sentence for the settings page: what the factor measures. */
  description: string;
  evaluate(signals: AccountSignals): FactorEvaluation | null;
}

/**
 * A weighted mean over the parts of a factor that have data: a part without data drops out and
 * the others' weights are renormalised, the same rule the score applies to factors.
 */
export class PartialScores {
  private total = 0;
  private weight = 0;

  add(score: number, weight: number): void {
    this.total += score * weight;
    this.weight += weight;
  }

  get empty(): boolean {
    return this.weight === 0;
  }

  value(): number {
    return this.total / this.weight;
  }
}
