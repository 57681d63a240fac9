import { describe, expect, it } from 'vitest';

import type { AccountSnapshot } from '../model';
import {
  account,
  contact,
  now,
  snapshot,
  subscription,
  ticket,
  usage,
  usageWindow,
} from '../recommendations/test-fixtures';
import { detectFlags, detectors } from './detectors';
import { defaultFlagSettings, FlagSettings } from './settings';
import type { FlagInput, FlagSeverity, FlagType } from './types';

const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const dayAgo = (days: number) => daysAgo(days).slice(0, 10);
const dayAhead = (days: number) => dayAgo(-days);

function input(overrides: Partial<FlagInput> & { accountSnapshot?: AccountSnapshot } = {}): FlagInput {
  return {
    snapshot: overrides.accountSnapshot ?? snapshot(),
    health: overrides.health ?? { score: 75, tier: 'healthy' },
    history: overrides.history ?? [],
    now,
  };
}

type Case = [name: string, input: FlagInput, expected: null | { severity: FlagSeverity; magnitude: number }];

function runCases(type: FlagType, cases: Case[]) {
  it.each(cases)('%s', (_name, flagInput, expected) => {
    const detection = (
      detectors[type] as (i: FlagInput, s: unknown) => ReturnType<(typeof detectors)['champion_left']>
    )(flagInput, defaultFlagSettings[type]);
    if (expected === null) {
      expect(detection).toBeNull();
    } else {
      expect(detection).toMatchObject({ type, ...expected });
      expect(detection?.title.length).toBeGreaterThan(0);
      expect(detection?.recommendedAction.length).toBeGreaterThan(0);
    }
  });
}

const withUsage = (overrides: Parameters<typeof usage>[0]) =>
  input({ accountSnapshot: snapshot({ usage: usage(overrides) }) });

describe('no_recent_login', () => {
  runCases('no_recent_login', [
    ['no usage data: no flag', input(), null],
    ['logged in yesterday', withUsage({ lastLoginDay: dayAgo(1) }), null],
    ['29 days', withUsage({ lastLoginDay: dayAgo(29) }), null],
    ['exactly 30 days', withUsage({ lastLoginDay: dayAgo(30) }), { severity: 'warning', magnitude: 30 }],
    ['60 days is critical', withUsage({ lastLoginDay: dayAgo(60) }), { severity: 'critical', magnitude: 60 }],
    [
      'never logged in since reporting began 40 days ago',
      withUsage({ lastLoginDay: null, firstDay: dayAgo(40) }),
      { severity: 'warning', magnitude: 40 },
    ],
    [
      'never logged in, reporting began 10 days ago',
      withUsage({ lastLoginDay: null, firstDay: dayAgo(10) }),
      null,
    ],
  ]);
});

describe('usage_decline', () => {
  const decline = (previous: number, current: number, days = 30) =>
    withUsage({
      previous: usageWindow({ avgActiveUsers: previous, days }),
      current: usageWindow({ avgActiveUsers: current }),
    });
  runCases('usage_decline', [
    ['no usage', input(), null],
    ['flat', decline(40, 40), null],
    ['growing', decline(40, 60), null],
    ['down exactly 30%', decline(100, 70), null],
    ['down 31%', decline(100, 69), { severity: 'warning', magnitude: 31 }],
    ['down 50% is critical', decline(100, 50), { severity: 'critical', magnitude: 50 }],
    ['previous window too short', decline(100, 10, 3), null],
    ['previous window had no users', decline(0, 0), null],
    ['no previous window', withUsage({ previous: null }), null],
  ]);
});

describe('health_decline', () => {
  const scored = (current: number | null, ...previous: (number | null)[]) =>
    input({
      health: { score: current, tier: 'at_risk' },
      history: previous.map((score, index) => ({ score, computedAt: daysAgo(index + 1) })),
    });
  runCases('health_decline', [
    ['no history', scored(60), null],
    ['one fall of 8 points only', scored(60, 68, 68), null],
    ['two falls totalling 6', scored(60, 63, 66), { severity: 'warning', magnitude: 6 }],
    ['two falls totalling 4', scored(60, 62, 64), null],
    ['fall then rise', scored(60, 66, 62), null],
    ['rise then fall', scored(60, 55, 70), null],
    [
      'unchanged re-scorings between falls are skipped',
      scored(60, 63, 63, 63, 67),
      { severity: 'warning', magnitude: 7 },
    ],
    ['two falls totalling 20 are critical', scored(50, 60, 70), { severity: 'critical', magnitude: 20 }],
    ['unscored now', scored(null, 60, 70), null],
    ['an unscored previous scoring ends the series', scored(50, 55, null, 70), null],
  ]);

  it('ignores scorings older than the window', () => {
    const old = input({
      health: { score: 50, tier: 'at_risk' },
      history: [
        { score: 55, computedAt: daysAgo(1) },
        { score: 70, computedAt: daysAgo(45) },
      ],
    });
    expect(detectors.health_decline(old, defaultFlagSettings.health_decline)).toBeNull();
  });

  it('with consecutive = 1, one 5-point fall is enough', () => {
    const settings = FlagSettings.parse({ health_decline: { consecutive: 1 } }).health_decline;
    expect(detectors.health_decline(scored(60, 65), settings)?.magnitude).toBe(5);
  });
});

describe('integration_failures', () => {
  const calls = (integrationCalls: number, integrationFailures: number) =>
    withUsage({ current: usageWindow({ integrationCalls, integrationFailures }) });
  runCases('integration_failures', [
    ['no usage', input(), null],
    ['5% failing', calls(100, 5), null],
    ['exactly 20%', calls(100, 20), null],
    ['21%', calls(100, 21), { severity: 'warning', magnitude: 21 }],
    ['60% is critical', calls(100, 60), { severity: 'critical', magnitude: 60 }],
    ['too few calls to judge', calls(10, 9), null],
  ]);
});

describe('negative_sentiment', () => {
  const tickets = (...ages: number[]) =>
    input({
      accountSnapshot: snapshot({
        tickets: ages.map((age) => ticket(daysAgo(age), { sentiment: 'negative' })),
      }),
    });
  runCases('negative_sentiment', [
    ['no tickets', input(), null],
    ['once', tickets(10), null],
    ['twice in 90 days', tickets(10, 80), { severity: 'warning', magnitude: 2 }],
    ['twice, one outside 90 days', tickets(10, 91), null],
    ['four times is critical', tickets(1, 2, 3, 4), { severity: 'critical', magnitude: 4 }],
    [
      'neutral tickets do not count',
      input({
        accountSnapshot: snapshot({
          tickets: [
            ticket(daysAgo(5), { sentiment: 'negative' }),
            ticket(daysAgo(6), { sentiment: 'neutral' }),
          ],
        }),
      }),
      null,
    ],
  ]);
});

describe('ticket_spike_then_silence', () => {
  const tickets = (...ages: number[]) =>
    input({ accountSnapshot: snapshot({ tickets: ages.map((age) => ticket(daysAgo(age))) }) });
  runCases('ticket_spike_then_silence', [
    ['no tickets', input(), null],
    ['spike 60-90 days ago, then silence', tickets(62, 70, 75, 88), { severity: 'warning', magnitude: 4 }],
    ['spike then a recent ticket', tickets(5, 62, 70, 75), null],
    ['only two tickets before the silence', tickets(40, 50), null],
    ['spike too long ago', tickets(100, 110, 120), null],
  ]);
});

describe('champion_left', () => {
  const contacts = (...list: ReturnType<typeof contact>[]) =>
    input({ accountSnapshot: snapshot({ contacts: list }) });
  runCases('champion_left', [
    ['no contacts', input(), null],
    ['champion still there', contacts(contact()), null],
    ['champion left', contacts(contact({ leftCompany: true })), { severity: 'critical', magnitude: 1 }],
    [
      'one champion left, another remains',
      contacts(contact({ leftCompany: true }), contact({ id: 'c2', name: 'Dana' })),
      null,
    ],
    ['a user left', contacts(contact({ role: 'user', leftCompany: true })), null],
  ]);
});

describe('seats_removed', () => {
  runCases('seats_removed', [
    ['no subscriptions or deals', input(), null],
    [
      'contraction won 10 days ago',
      input({
        accountSnapshot: snapshot({
          deals: [
            {
              tenantId: 't',
              id: 'd1',
              accountId: 'acc-1',
              name: 'Downsize',
              amount: -5000,
              stage: 'closedwon',
              closeDate: dayAgo(10),
              type: 'contraction',
              status: 'won',
              productId: null,
              ownerId: null,
              updatedAt: daysAgo(10),
            },
          ],
        }),
      }),
      { severity: 'warning', magnitude: 1 },
    ],
    [
      'subscription with seats cancelled 5 days ago',
      input({
        accountSnapshot: snapshot({
          subscriptions: [
            subscription('seats', { status: 'cancelled', licensedSeats: 10, updatedAt: daysAgo(5) }),
          ],
        }),
      }),
      { severity: 'warning', magnitude: 1 },
    ],
    [
      'cancelled 60 days ago',
      input({
        accountSnapshot: snapshot({
          subscriptions: [
            subscription('seats', { status: 'cancelled', licensedSeats: 10, updatedAt: daysAgo(60) }),
          ],
        }),
      }),
      null,
    ],
  ]);
});

describe('renewal_at_risk', () => {
  const renewing = (
    renewalDate: string | null,
    tier: string | null,
    status: 'active' | 'cancelled' = 'active',
  ) =>
    input({
      accountSnapshot: snapshot({ subscriptions: [subscription('core', { renewalDate, status })] }),
      health: { score: 50, tier },
    });
  runCases('renewal_at_risk', [
    ['no subscriptions', input({ health: { score: 30, tier: 'critical' } }), null],
    ['healthy, renewing soon', renewing(dayAhead(20), 'healthy'), null],
    ['thriving counts as healthy', renewing(dayAhead(20), 'Thriving'), null],
    ['unscored', renewing(dayAhead(20), null), null],
    [
      'at risk, renewal in 60 days',
      renewing(dayAhead(60), 'at_risk'),
      { severity: 'warning', magnitude: 30 },
    ],
    ['at risk, renewal in 90 days', renewing(dayAhead(90), 'at_risk'), { severity: 'warning', magnitude: 0 }],
    ['at risk, renewal in 91 days', renewing(dayAhead(91), 'at_risk'), null],
    ['at risk, renewal today', renewing(dayAhead(0), 'at_risk'), { severity: 'critical', magnitude: 90 }],
    ['at risk, renewal overdue', renewing(dayAgo(5), 'at_risk'), { severity: 'critical', magnitude: 95 }],
    [
      'critical tier, renewal in 80 days',
      renewing(dayAhead(80), 'critical'),
      { severity: 'critical', magnitude: 10 },
    ],
    ['cancelled subscription does not renew', renewing(dayAhead(20), 'critical', 'cancelled'), null],
    ['no renewal date', renewing(null, 'critical'), null],
  ]);
});

describe('onboarding_no_login', () => {
  const onboarding = (ageDays: number, lastLoginDay: string | null, hasUsage = true) =>
    input({
      accountSnapshot: snapshot({
        account: account({ customerSince: dayAgo(ageDays) }),
        usage: hasUsage ? usage({ firstDay: dayAgo(ageDays), lastLoginDay }) : null,
      }),
    });
  runCases('onboarding_no_login', [
    ['day 3, no login yet', onboarding(3, null), null],
    ['day 4, no login', onboarding(4, null), { severity: 'warning', magnitude: 4 }],
    ['day 4, logged in on day 1', onboarding(4, dayAgo(3)), null],
    [
      'day 10, only a login before the contract started',
      onboarding(10, dayAgo(20)),
      { severity: 'warning', magnitude: 10 },
    ],
    ['past onboarding', onboarding(120, null), null],
    ['no usage reported', onboarding(10, null, false), null],
    [
      'customer since unknown',
      input({
        accountSnapshot: snapshot({
          account: account({ customerSince: null }),
          usage: usage({ lastLoginDay: null }),
        }),
      }),
      null,
    ],
  ]);
});

describe('onboarding_low_activation', () => {
  const activation = (ageDays: number, avgActiveUsers: number, seats: number | null = 50) =>
    input({
      accountSnapshot: snapshot({
        account: account({ customerSince: dayAgo(ageDays) }),
        usage: usage({ licensedSeats: seats, current: usageWindow({ avgActiveUsers }) }),
      }),
    });
  runCases('onboarding_low_activation', [
    ['day 29, low activation is still early', activation(29, 5), null],
    ['day 30, 40% active', activation(30, 20), { severity: 'info', magnitude: 10 }],
    ['day 30, 10% active', activation(30, 5), { severity: 'warning', magnitude: 40 }],
    ['day 30, exactly 50%', activation(30, 25), null],
    ['past onboarding', activation(120, 5), null],
    ['seats unknown', activation(40, 5, null), null],
  ]);
});

describe('detectFlags', () => {
  const troubled = input({
    accountSnapshot: snapshot({
      contacts: [contact({ leftCompany: true })],
      usage: usage({ lastLoginDay: dayAgo(45) }),
    }),
  });

  it('returns every holding condition in a fixed order', () => {
    expect(detectFlags(troubled, defaultFlagSettings).map((flag) => flag.type)).toEqual([
      'no_recent_login',
      'champion_left',
    ]);
  });

  it('skips disabled detectors and honours changed thresholds', () => {
    const settings = FlagSettings.parse({ champion_left: { enabled: false }, no_recent_login: { days: 50 } });
    expect(detectFlags(troubled, settings)).toEqual([]);
  });

  it('rejects a bad threshold, naming the field', () => {
    const result = FlagSettings.safeParse({ usage_decline: { percent: 130 } });
    expect(result.error?.issues[0]?.path).toEqual(['usage_decline', 'percent']);
  });

  it('raises nothing for a quiet account with no data', () => {
    expect(detectFlags(input(), defaultFlagSettings)).toEqual([]);
  });
});
