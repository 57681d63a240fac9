import { describe, expect, it } from 'vitest';

import {
  acknowledgeFlag,
  applyChanges,
  type FlagState,
  reconcileFlags,
  resolveFlag,
  SYSTEM_ACTOR,
  summariseOpenFlags,
  summariseReconciled,
} from './lifecycle';
import { defaultFlagSettings } from './settings';
import type { FlagDetailValue, FlagDetection } from './types';

const t0 = new Date('2026-06-01T00:00:00Z');
const later = (days: number) => new Date(t0.getTime() + days * 86_400_000);

function detection(magnitude: number, severity: FlagDetection['severity'] = 'warning'): FlagDetection {
  return {
    type: 'no_recent_login',
    severity,
    magnitude,
    title: `No login for ${magnitude} days`,
    recommendedAction: 'Reach out',
    details: { daysSinceLogin: magnitude },
  };
}

/** Runs reconciliation as the store would: apply changes, give new flags ids. */
function step(flags: FlagState[], detections: FlagDetection[], at: Date): FlagState[] {
  const unresolved = flags.filter((flag) => flag.status !== 'resolved');
  const result = reconcileFlags('acc-1', unresolved, detections, defaultFlagSettings, at);
  const updated = flags.map((flag) => {
    const change = result.changed.find((candidate) => candidate.id === flag.id);
    return change ? applyChanges(flag, change.changes) : flag;
  });
  return [
    ...updated,
    ...result.opened.map((flag, index) => ({ ...flag, id: `f${flags.length + index + 1}` })),
  ];
}

function act(flags: FlagState[], id: string, action: typeof acknowledgeFlag, actor: string, at: Date) {
  return flags.map((flag) => {
    if (flag.id !== id) return flag;
    const result = action(flag, actor, at);
    if (!result.ok) throw new Error(result.reason);
    return applyChanges(flag, result.changes);
  });
}

describe('flag lifecycle', () => {
  it('opens a flag when a condition first holds and updates it while it stays open', () => {
    let flags = step([], [detection(30)], t0);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ status: 'open', magnitude: 30, openedAt: t0.toISOString() });
    flags = step(flags, [detection(35)], later(5));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ status: 'open', magnitude: 35, title: 'No login for 35 days' });
  });

  it('changes nothing when the finding is the same', () => {
    const flags = step([], [detection(30)], t0);
    expect(reconcileFlags('acc-1', flags, [detection(30)], defaultFlagSettings, later(1))).toEqual({
      opened: [],
      changed: [],
    });
  });

  it('changes nothing when the stored details come back in another key order (jsonb)', () => {
    const found: FlagDetection = {
      ...detection(30),
      details: { daysSinceLogin: 30, lastLoginDay: '2026-05-02', seats: null },
    };
    const [flag] = step([], [found], t0);
    const stored = { ...flag!, details: { seats: null, lastLoginDay: '2026-05-02', daysSinceLogin: 30 } };
    expect(reconcileFlags('acc-1', [stored], [found], defaultFlagSettings, later(1)).changed).toEqual([]);
    const variants: Record<string, FlagDetailValue>[] = [
      { daysSinceLogin: 31, lastLoginDay: '2026-05-02', seats: null },
      { daysSinceLogin: 30, lastLoginDay: '2026-05-02' },
      { daysSinceLogin: 30, lastLoginDay: '2026-05-02', seats: null, extra: 1 },
      { daysSinceLogin: 30, lastLoginDay: '2026-05-02', seats: 0 },
    ];
    for (const details of variants) {
      const changed = reconcileFlags(
        'acc-1',
        [{ ...flag!, details }],
        [found],
        defaultFlagSettings,
        later(1),
      ).changed;
      expect(changed).toEqual([
        { id: flag!.id, changes: expect.objectContaining({ details: found.details }) },
      ]);
    }
  });

  it('keeps an acknowledged flag acknowledged while the condition is no worse', () => {
    let flags = step([], [detection(30)], t0);
    flags = act(flags, 'f1', acknowledgeFlag, 'csm@example.com', later(1));
    expect(flags[0]).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'csm@example.com',
      acknowledgedAt: later(1).toISOString(),
      acknowledgedMagnitude: 30,
    });
    // 29 more days without login: below the 30-day re-open step.
    flags = step(flags, [detection(59)], later(29));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ status: 'acknowledged', magnitude: 59 });
  });

  it('re-opens an acknowledged flag when its magnitude worsens by the re-open step', () => {
    let flags = step([], [detection(30)], t0);
    flags = act(flags, 'f1', acknowledgeFlag, 'csm@example.com', later(1));
    flags = step(flags, [detection(60)], later(30));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ status: 'open', magnitude: 60, acknowledgedBy: 'csm@example.com' });
  });

  it('re-opens an acknowledged flag when its severity rises, even by a small magnitude', () => {
    let flags = step([], [detection(30)], t0);
    flags = act(flags, 'f1', acknowledgeFlag, 'csm', later(1));
    flags = step(flags, [detection(31, 'critical')], later(2));
    expect(flags[0]?.status).toBe('open');
  });

  it('resolves by itself (by system) when the condition clears, then opens a new flag if it returns', () => {
    let flags = step([], [detection(30)], t0);
    flags = step(flags, [], later(1));
    expect(flags[0]).toMatchObject({
      status: 'resolved',
      resolvedBy: SYSTEM_ACTOR,
      resolvedAt: later(1).toISOString(),
    });
    flags = step(flags, [detection(30)], later(40));
    expect(flags.map((flag) => [flag.id, flag.status])).toEqual([
      ['f1', 'resolved'],
      ['f2', 'open'],
    ]);
  });

  it('records who resolved a flag and opens a new one if the condition still holds', () => {
    let flags = step([], [detection(30)], t0);
    flags = act(flags, 'f1', resolveFlag, 'csm@example.com', later(1));
    expect(flags[0]).toMatchObject({ status: 'resolved', resolvedBy: 'csm@example.com' });
    flags = step(flags, [detection(31)], later(2));
    expect(flags.map((flag) => flag.status)).toEqual(['resolved', 'open']);
  });

  it('an acknowledged flag can be resolved; a resolved one cannot be acknowledged or resolved again', () => {
    let flags = step([], [detection(30)], t0);
    flags = act(flags, 'f1', acknowledgeFlag, 'a', later(1));
    expect(acknowledgeFlag(flags[0]!, 'a', later(1))).toEqual({
      ok: false,
      reason: 'Flag is acknowledged; only an open flag can be acknowledged',
    });
    flags = act(flags, 'f1', resolveFlag, 'b', later(2));
    expect(resolveFlag(flags[0]!, 'b', later(3)).ok).toBe(false);
    expect(acknowledgeFlag(flags[0]!, 'b', later(3)).ok).toBe(false);
  });

  it('counts only open flags for the score and the CRM', () => {
    let flags = step([], [detection(30, 'critical')], t0);
    expect(summariseOpenFlags(flags)).toEqual({ count: 1, critical: 1, types: ['no_recent_login'] });
    flags = act(flags, 'f1', acknowledgeFlag, 'a', later(1));
    expect(summariseOpenFlags(flags)).toEqual({ count: 0, critical: 0, types: [] });
  });

  it('summarises a reconciliation as the flags it leaves: re-opened, resolved and new ones', () => {
    const other = (type: FlagDetection['type'], severity: FlagDetection['severity']): FlagDetection => ({
      ...detection(3, severity),
      type,
    });
    let flags = step(
      [],
      [detection(30), other('champion_left', 'critical'), other('usage_decline', 'info')],
      t0,
    );
    flags = act(flags, 'f1', acknowledgeFlag, 'a', later(1));
    // Login worsens past the re-open step (critical now), the champion flag clears, a new one opens.
    const found = [
      detection(90, 'critical'),
      other('usage_decline', 'info'),
      other('seats_removed', 'warning'),
    ];
    const result = reconcileFlags('acc-1', flags, found, defaultFlagSettings, later(2));
    const after = step(flags, found, later(2));
    expect(summariseReconciled(flags, result)).toEqual(summariseOpenFlags(after));
    expect(summariseReconciled(flags, result)).toEqual({
      count: 3,
      critical: 1,
      types: ['no_recent_login', 'seats_removed', 'usage_decline'],
    });
  });
});
