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
// Runs for every account of every recompute: plain loops over the (few) flags, and the timestamp
// and finding objects only built for a flag that is opened or changed.
export function reconcileFlags(
  accountId: string,
  unresolved: readonly ReconcilableFlag[],
  detections: readonly FlagDetection[],
  settings: FlagSettings,
  now: Date,
): Reconciliation {
  const opened: NewFlag[] = [];
  const changed: FlagChange[] = [];
  if (unresolved.length === 0 && detections.length === 0) return { opened, changed };
  let at: string | undefined;
  // One flag per type, in the order types first appear (a later flag of a type replaces an earlier
  // one, as a Map keyed by type would); matched ones are set to undefined.
  const byType: (ReconcilableFlag | undefined)[] = [];
  for (const flag of unresolved) {
    if (flag.status === 'resolved') continue;
    const index = indexOfType(byType, flag.type);
    if (index < 0) byType.push(flag);
    else byType[index] = flag;
  }
  for (const detection of detections) {
    const index = indexOfType(byType, detection.type);
    const existing = index < 0 ? undefined : byType[index];
    if (index >= 0) byType[index] = undefined;
    if (!existing) {
      at ??= now.toISOString();
      opened.push({
        accountId,
        type: detection.type,
        status: 'open',
        ...findingOf(detection),
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
      at ??= now.toISOString();
      changed.push({ id: existing.id, changes: { ...findingOf(detection), status: 'open', updatedAt: at } });
    } else if (!sameFinding(existing, detection)) {
      at ??= now.toISOString();
      changed.push({ id: existing.id, changes: { ...findingOf(detection), updatedAt: at } });
    }
  }
  for (const cleared of byType) {
    if (cleared === undefined) continue;
    at ??= now.toISOString();
    changed.push({
      id: cleared.id,
      changes: { status: 'resolved', resolvedBy: SYSTEM_ACTOR, resolvedAt: at, updatedAt: at },
    });
  }
  return { opened, changed };
}

function indexOfType(flags: readonly (ReconcilableFlag | undefined)[], type: FlagType): number {
  for (let index = 0; index < flags.length; index++) if (flags[index]?.type === type) return index;
  return -1;
}

function findingOf(detection: FlagDetection) {
  return {
    severity: detection.severity,
    magnitude: detection.magnitude,
    title: detection.title,
    recommendedAction: detection.recommendedAction,
    details: detection.details,
  };
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
  const summary = { count: 0, critical: 0, types: [] as string[] };
  for (const flag of flags) countOpen(summary, flag);
  if (summary.types.length > 1) summary.types.sort();
  return summary;
}

/**
 * `summariseOpenFlags` of an account's flags once a reconciliation is applied (its unresolved
 * flags as changed, then the opened ones), without building that list.
 */
export function summariseReconciled(
  unresolved: readonly ReconcilableFlag[],
  result: Reconciliation,
): { count: number; critical: number; types: string[] } {
  const summary = { count: 0, critical: 0, types: [] as string[] };
  for (const flag of unresolved) {
    let status = flag.status;
    let severity = flag.severity;
    for (const change of result.changed) {
      if (change.id !== flag.id) continue;
      // As `applyChanges` spreads them: a field present in the changes replaces the flag's.
      if ('status' in change.changes) status = change.changes.status!;
      if ('severity' in change.changes) severity = change.changes.severity!;
      break;
    }
    countOpen(summary, { status, severity, type: flag.type });
  }
  for (const flag of result.opened) countOpen(summary, flag);
  if (summary.types.length > 1) summary.types.sort();
  return summary;
}

function countOpen(
  summary: { count: number; critical: number; types: string[] },
  flag: Pick<FlagState, 'status' | 'severity' | 'type'>,
): void {
  if (flag.status !== 'open') return;
  summary.count++;
  if (flag.severity === 'critical') summary.critical++;
  if (!summary.types.includes(flag.type)) summary.types.push(flag.type);
}
