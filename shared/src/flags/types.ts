import type { AccountSnapshot } from '../model';

export const flagTypes = [
  'no_recent_login',
  'usage_decline',
  'health_decline',
  'integration_failures',
  'negative_sentiment',
  'ticket_spike_then_silence',
  'champion_left',
  'seats_removed',
  'renewal_at_risk',
  'onboarding_no_login',
  'onboarding_low_activation',
] as const;
export type FlagType = (typeof flagTypes)[number];

export const flagSeverities = ['info', 'warning', 'critical'] as const;
export type FlagSeverity = (typeof flagSeverities)[number];

export const severityRank: Record<FlagSeverity, number> = { info: 0, warning: 1, critical: 2 };

export type FlagDetailValue = string | number | boolean | null;

/** A detector's finding: the condition holds now, this badly. */
export interface FlagDetection {
  type: FlagType;
  severity: FlagSeverity;
  /**
   * How bad it is, in the detector's own unit (days without login, % decline, points fallen...).
   * Bigger is worse; an acknowledged flag re-opens when this grows by the detector's reopenStep.
   */
  magnitude: number;
  /** One line a CSM reads: "No login for 42 days". */
  title: string;
  recommendedAction: string;
  details: Record<string, FlagDetailValue>;
}

/** What detectors read: the snapshot, the current health and the previous scorings. */
export interface FlagInput {
  snapshot: AccountSnapshot;
  health: { score: number | null; tier: string | null };
  /** Previous scorings, newest first (not including the current one). */
  history: readonly { score: number | null; computedAt: string }[];
  now: Date;
}
