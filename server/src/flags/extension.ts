import { detectFlags } from '@pulse/shared/flags/detectors';
import {
  type FlagChange,
  type NewFlag,
  type ReconcilableFlag,
  reconcileFlags,
  summariseReconciled,
} from '@pulse/shared/flags/lifecycle';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import type { ScoringExtension } from '../scoring/extensions';
import {
  loadScoreChanges,
  mergeHistory,
  pruneScoreChanges,
  type ScorePoint,
  saveScoreChanges,
} from './score-changes';
import { loadFlagSettings, loadUnresolvedFlags, saveFlagChanges } from './store';

const none: readonly ReconcilableFlag[] = [];
const noChanges: readonly ScorePoint[] = [];

/**
 * Flags during recompute: detect, reconcile with the account's unresolved flags, and report the
 * open ones (they feed churn risk and `pulse_open_flags`). Writes are batched until `flush`.
 */
export const flagsExtension: ScoringExtension = {
  name: 'flags',
  async begin(ctx, tenantId, now) {
    const settings = await loadFlagSettings(ctx.db, tenantId);
    const windowDays = settings.health_decline.windowDays;
    await pruneScoreChanges(ctx.db, tenantId, now);
    // Per chunk (see `prepare`): an account's entries are dropped once it is evaluated.
    const unresolved = new Map<string, ReconcilableFlag[]>();
    const scoreChanges = new Map<string, ScorePoint[]>();
    let opened: NewFlag[] = [];
    let changed: FlagChange[] = [];
    let moved: { accountId: string; score: number; changedAt: Date }[] = [];
    return {
      async prepare(db, accountIds) {
        const [flags, changes] = await Promise.all([
          loadUnresolvedFlags(db, tenantId, accountIds),
          loadScoreChanges(db, tenantId, now, windowDays, accountIds),
        ]);
        for (const [accountId, list] of flags) unresolved.set(accountId, list);
        for (const [accountId, points] of changes) scoreChanges.set(accountId, points);
      },
      evaluate({ snapshot, health, history }) {
        const accountId = snapshot.account.id;
        const current = unresolved.get(accountId) ?? none;
        const past = mergeHistory(history, scoreChanges.get(accountId) ?? noChanges);
        unresolved.delete(accountId);
        scoreChanges.delete(accountId);
        if (health.score !== null && health.score !== (past[0]?.score ?? null)) {
          moved.push({ accountId, score: health.score, changedAt: now });
        }
        const detections = detectFlags(
          { snapshot, health: { score: health.score, tier: health.tier }, history: past, now },
          settings,
        );
        const result = reconcileFlags(accountId, current, detections, settings, now);
        for (const flag of result.opened) opened.push(flag);
        for (const change of result.changed) changed.push(change);
        return { openFlags: summariseReconciled(current, result) };
      },
      async flush(db: Kysely<Database>) {
        const toOpen = opened;
        const toChange = changed;
        const toLog = moved;
        opened = [];
        changed = [];
        moved = [];
        await saveFlagChanges(db, tenantId, toOpen, toChange);
        await saveScoreChanges(db, tenantId, toLog);
      },
    };
  },
};
