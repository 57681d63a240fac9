import type { FlagSettings } from './settings';
import {
  type FlagDetailValue,
  type FlagDetection,
  type FlagSeverity,
  type FlagType,
  severityRank,
} from './types';

/**
 * A flag's life: open -> resolved, or open -> acknowledged ("acknowledged, not actioned") ->
 * resolved. Pure: the store applies the changes these functions return.
 *
 * - While its condition holds, an open flag follows the detector (severity, magnitude, details).
 * - An acknowledged flag stays acknowledged unless its condition worsens: severity rises, or its
 *   magnitude grows by the detector's `reopenStep` past the magnitude it had when acknowledged.
 * - When the condition stops holding, the flag resolves itself (resolved by `system`).
 * - A resolved flag is never re-opened: if the condition holds again, a new flag opens. Resolving by
 *   hand means "fixed"; if the detector still sees the problem at the next scoring, a new flag says so.
 */

export const flagStatuses = ['open', 'acknowledged', 'resolved'] as const;
export type FlagStatus = (typeof flagStatuses)[number];

export const SYSTEM_ACTOR = 'system';

export interface FlagState {
  id: string;
  accountId: string;
  type: FlagType;
  status: FlagStatus;
  severity: FlagSeverity;
  magnitude: number;
  title: string;
  recommendedAction: string;
  details: Record<string, FlagDetailValue>;
  openedAt: string;
  updatedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  /** Severity and magnitude when acknowledged: the baseline "worse" is measured from. */
  acknowledgedSeverity: FlagSeverity | null;
  acknowledgedMagnitude: number | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

export type NewFlag = Omit<FlagState, 'id'>;

/** What reconciliation reads of an unresolved flag (a recompute loads only these columns). */
export type ReconcilableFlag = Pick<
  FlagState,
  | 'id'
  | 'type'
  | 'status'
  | 'severity'
  | 'magnitude'
  | 'title'
  | 'recommendedAction'
  | 'details'
  | 'acknowledgedSeverity'
  | 'acknowledgedMagnitude'
>;

export interface FlagChange {
  id: string;
  changes: Partial<Omit<FlagState, 'id' | 'accountId' | 'type'>>;
}

export interface Reconciliation {
  opened: NewFlag[];
  changed: FlagChange[];
}

export function worsens(
  flag: Pick<FlagState, 'acknowledgedSeverity' | 'acknowledgedMagnitude' | 'severity' | 'magnitude'>,
  detection: Pick<FlagDetection, 'severity' | 'magnitude'>,
  reopenStep: number,
): boolean {
  const baselineSeverity = flag.acknowledgedSeverity ?? flag.severity;
  const baselineMagnitude = flag.acknowledgedMagnitude ?? flag.magnitude;
  return (
    severityRank[detection.severity] > severityRank[baselineSeverity] ||
    detection.magnitude >= baselineMagnitude + reopenStep
  );
}

/**
 * Same entries, in any order: details read back from jsonb come in its key order (shortest key
 * first), not the detector's, and comparing their JSON texts made every open flag look changed.
 */
export function sameDetails(
  stored: Readonly<Record<string, FlagDetailValue>>,
  found: Readonly<Record<string, FlagDetailValue>>,
): boolean {
  let count = 0;
  for (const key in found) {
    if (!Object.hasOwn(stored, key) || stored[key] !== found[key]) return false;
    count++;
  }
  for (const _ in stored) count--;
  return count === 0;
}

function sameFinding(flag: ReconcilableFlag, detection: FlagDetection): boolean {
  return (
    flag.severity === detection.severity &&
    flag.magnitude === detection.magnitude &&
    flag.title === detection.title &&
    flag.recommendedAction === detection.recommendedAction &&
    sameDetails(flag.details, detection.details)
  );
}

/**
 * Reconciles one account's unresolved flags (open or acknowledged) with what the detectors found
 * now. At most one unresolved flag per type exists at a time.
 */
export function reconcileFlags(
  accountId: string,
  unresolved: readonly ReconcilableFlag[],
  detections: readonly FlagDetection[],
  settings: FlagSettings,
  now: Date,
): Reconciliation {
  const at = now.toISOString();
  const opened: NewFlag[] = [];
  const changed: FlagChange[] = [];
  const byType = new Map(
    unresolved.filter((flag) => flag.status !== 'resolved').map((flag) => [flag.type, flag]),
  );
  for (const detection of detections) {
    const existing = byType.get(detection.type);
    byType.delete(detection.type);
    const finding = {
      severity: detection.severity,
      magnitude: detection.magnitude,
      title: detection.title,
      recommendedAction: detection.recommendedAction,
      details: detection.details,
    };
    if (!existing) {
      opened.push({
        accountId,
        type: detection.type,
        status: 'open',
        ...finding,
        openedAt: at,
        updatedAt: at,
        acknowledgedBy: null,
        acknowledgedAt: null,
        acknowledgedSeverity: null,
        acknowledgedMagnitude: null,
        resolvedBy: null,
        resolvedAt: null,
      });
      continue;
    }
    const reopen =
      existing.status === 'acknowledged' && worsens(existing, detection, settings[detection.type].reopenStep);
    if (reopen) {
      changed.push({ id: existing.id, changes: { ...finding, status: 'open', updatedAt: at } });
    } else if (!sameFinding(existing, detection)) {
      changed.push({ id: existing.id, changes: { ...finding, updatedAt: at } });
    }
  }
  for (const cleared of byType.values()) {
    changed.push({
      id: cleared.id,
      changes: { status: 'resolved', resolvedBy: SYSTEM_ACTOR, resolvedAt: at, updatedAt: at },
    });
  }
  return { opened, changed };
}

export type TransitionResult = { ok: true; changes: FlagChange['changes'] } | { ok: false; reason: string };

/** A CSM marks an open flag "acknowledged, not actioned". */
export function acknowledgeFlag(flag: FlagState, actor: string, now: Date): TransitionResult {
  if (flag.status !== 'open')
    return { ok: false, reason: `Flag is ${flag.status}; only an open flag can be acknowledged` };
  const at = now.toISOString();
  return {
    ok: true,
    changes: {
      status: 'acknowledged',
      acknowledgedBy: actor,
      acknowledgedAt: at,
      acknowledgedSeverity: flag.severity,
      acknowledgedMagnitude: flag.magnitude,
      updatedAt: at,
    },
  };
}

/** A CSM resolves an open or acknowledged flag. */
export function resolveFlag(flag: FlagState, actor: string, now: Date): TransitionResult {
  if (flag.status === 'resolved') return { ok: false, reason: 'Flag is already resolved' };
  const at = now.toISOString();
  return { ok: true, changes: { status: 'resolved', resolvedBy: actor, resolvedAt: at, updatedAt: at } };
}

export function applyChanges<F extends ReconcilableFlag>(flag: F, changes: FlagChange['changes']): F {
  return { ...flag, ...changes };
}

/** What the score and the CRM see: open flags only (acknowledged ones were judged not to need action). */
export function summariseOpenFlags(flags: readonly Pick<FlagState, 'status' | 'severity' | 'type'>[]): {
  count: number;
  critical: number;
  types: string[];
} {
  const open = flags.filter((flag) => flag.status === 'open');
  return {
    count: open.length,
    critical: open.filter((flag) => flag.severity === 'critical').length,
    types: [...new Set(open.map((flag) => flag.type))].sort(),
  };
}
