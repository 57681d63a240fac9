import { evaluateAlerts } from '@pulse/shared/alerts/evaluate';
import { carryForward, type Observation } from '@pulse/shared/alerts/observation';
import { type AlertRule, AlertRuleInput } from '@pulse/shared/alerts/rules';
import type { AccountFacts } from '@pulse/shared/workflows/conditions';
import { matchesConditions } from '@pulse/shared/workflows/conditions';
import { type Workflow, type WorkflowCondition, WorkflowInput } from '@pulse/shared/workflows/definition';
import { planWorkflows } from '@pulse/shared/workflows/plan';
import { renewalPrepSteps, workflowTemplates } from '@pulse/shared/workflows/templates';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const now = new Date('2026-11-02T09:00:00Z');

function observation(overrides: Partial<Observation> = {}): Observation {
  return {
    score: 60,
    tier: 'healthy',
    churnRisk: 20,
    flagTypes: [],
    daysToRenewal: null,
    customerDays: 400,
    usage: {},
    ...overrides,
  };
}

function rule(definition: unknown, id = 'r1'): AlertRule {
  return { ...AlertRuleInput.parse(definition), id };
}

const below40 = rule({
  name: 'Below 40',
  severity: 'warning',
  when: { metric: 'health_score', condition: 'crosses_below', threshold: 40 },
});

/** Feeds scores through evaluate + carryForward as the pipeline does; returns the indexes that fired. */
function firings(scores: (number | null)[], rules: AlertRule[] = [below40]): number[] {
  let previous: Observation | null = null;
  const fired: number[] = [];
  scores.forEach((score, index) => {
    const current = observation({ score });
    if (evaluateAlerts(previous, current, rules, 'Acme').length > 0) fired.push(index);
    previous = carryForward(previous, current);
  });
  return fired;
}

const facts: AccountFacts = {
  accountId: 'a1',
  name: 'Acme',
  ownerId: 'owner-1',
  ownerName: 'Olivia',
  region: 'EMEA',
  industry: 'Software',
  productLines: ['Platform', 'Analytics'],
  csOptOut: false,
  arr: 120_000,
  attributes: { segment: 'enterprise', seats: 250 },
};

describe('alert crossings', () => {
  it('fires once when the score crosses below and stays there through hourly re-scores', () => {
    expect(firings([60, 35, 34, 33, 30, 31, 29, 35, 38])).toEqual([1]);
  });

  it('re-arms only after going back across the threshold', () => {
    expect(firings([60, 35, 30, 45, 39, 41, 40, 39])).toEqual([1, 4, 7]);
  });

  it('treats exactly the threshold as not below', () => {
    expect(firings([40, 40, 39.9])).toEqual([2]);
  });

  it('does not fire on the first scoring, nor when a score comes back after a gap on the same side', () => {
    expect(firings([20, null, 25])).toEqual([]);
    expect(firings([50, null, 30])).toEqual([2]);
  });

  it('never fires more often than the score actually crosses (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 60 }), (scores) => {
        let crossings = 0;
        for (let index = 1; index < scores.length; index++)
          if (scores[index - 1]! >= 40 && scores[index]! < 40) crossings++;
        expect(firings(scores).length).toBe(crossings);
      }),
    );
  });

  it('fires tier changes into the named tier, flags when newly raised, churn risk crossing above', () => {
    const rules = [
      rule(
        {
          name: 'Critical tier',
          severity: 'critical',
          when: { metric: 'tier', condition: 'changes_to', tier: 'critical' },
        },
        'tier',
      ),
      rule(
        {
          name: 'Champion left',
          severity: 'critical',
          when: { metric: 'flag', condition: 'raised', flagType: 'champion_left' },
        },
        'flag',
      ),
      rule(
        {
          name: 'Churn above 70',
          severity: 'warning',
          when: { metric: 'churn_risk', condition: 'crosses_above', threshold: 70 },
        },
        'churn',
      ),
    ];
    const before = observation({ tier: 'at_risk', flagTypes: ['usage_decline'], churnRisk: 65 });
    const after = observation({
      tier: 'critical',
      flagTypes: ['champion_left', 'usage_decline'],
      churnRisk: 72,
    });
    expect(evaluateAlerts(before, after, rules, 'Acme').map((alert) => alert.ruleId)).toEqual([
      'tier',
      'flag',
      'churn',
    ]);
    expect(evaluateAlerts(after, after, rules, 'Acme')).toEqual([]);
    const disabled = rules.map((item) => ({ ...item, enabled: false }));
    expect(evaluateAlerts(before, after, disabled, 'Acme')).toEqual([]);
  });

  it('rejects bad rules naming the field', () => {
    const result = AlertRuleInput.safeParse({
      name: '',
      severity: 'fatal',
      when: { metric: 'health_score', condition: 'crosses_below', threshold: 140 },
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'severity', 'when.threshold']));
  });
});

describe('workflow conditions', () => {
  const metrics = { tier: 'at_risk', score: 45, churnRisk: 50 };
  it('combines fields with all / any / not, including product lines and account attributes', () => {
    const condition: WorkflowCondition = {
      all: [
        {
          any: [
            { field: 'region', op: 'eq', value: 'emea' },
            { field: 'region', op: 'eq', value: 'NA' },
          ],
        },
        { field: 'productLine', op: 'in', value: ['Analytics'] },
        { field: 'attributes.seats', op: 'gte', value: 200 },
        { not: { field: 'tier', op: 'eq', value: 'healthy' } },
      ],
    };
    expect(matchesConditions(condition, facts, metrics)).toBe(true);
    expect(matchesConditions(condition, { ...facts, attributes: { seats: 20 } }, metrics)).toBe(false);
    expect(matchesConditions(condition, facts, { ...metrics, tier: 'healthy' })).toBe(false);
    expect(matchesConditions(condition, { ...facts, region: 'APAC' }, metrics)).toBe(false);
  });

  it('rejects malformed condition trees with the offending path', () => {
    const parsed = WorkflowInput.safeParse({
      name: 'x',
      trigger: { type: 'tier_change' },
      conditions: { all: [{ field: 'favouriteColour', op: 'eq', value: 'red' }] },
      actions: [{ type: 'create_task', subject: 'Call' }],
    });
    expect(parsed.success).toBe(false);
  });
});

function workflow(definition: unknown, id = 'wf1'): Workflow {
  return { ...WorkflowInput.parse(definition), id };
}

describe('workflow planning', () => {
  it('runs the renewal prep step of each milestone passed, 90/75/60/45/30/14/7 days out', () => {
    const template = workflowTemplates.find((candidate) => candidate.key === 'renewal_prep')!;
    const renewal = workflow({
      ...template.build({ messagingWebhookUrl: 'https://mail.example.com/hook' }),
      enabled: true,
    });
    expect(renewalPrepSteps.map((step) => step.daysBefore)).toEqual([90, 75, 60, 45, 30, 14, 7]);
    const fired: string[] = [];
    let previous: Observation | null = null;
    for (let days = 100; days >= 0; days--) {
      const current = observation({ daysToRenewal: days });
      for (const plan of planWorkflows({ workflows: [renewal], previous, current, facts, alerts: [], now }))
        fired.push(`${plan.trigger.milestone}:${plan.actions.map((action) => action.type).join('+')}`);
      previous = current;
    }
    expect(fired).toEqual([
      '90:create_task',
      '75:create_task+customer_message',
      '60:create_task',
      '45:create_task',
      '30:create_task',
      '14:create_task',
      '7:create_task',
    ]);
  });

  it('keeps customer-facing actions from opted-out accounts but still runs internal ones', () => {
    const nudge = workflow({
      name: 'Nudge',
      trigger: { type: 'usage_milestone', metric: 'loginsLast30Days', direction: 'drops_below', value: 5 },
      actions: [
        {
          type: 'customer_message',
          url: 'https://mail.example.com/hook',
          secret: 'x'.repeat(20),
          subject: 'Hi',
          message: 'Come back',
        },
        {
          type: 'webhook',
          url: 'https://crm.example.com/hook',
          secret: 'x'.repeat(20),
          customerFacing: true,
        },
        { type: 'create_task', subject: 'Call {{account}}' },
      ],
    });
    const previous = observation({ usage: { loginsLast30Days: 12 } });
    const current = observation({ usage: { loginsLast30Days: 3 } });
    const [optedOut] = planWorkflows({
      workflows: [nudge],
      previous,
      current,
      facts: { ...facts, csOptOut: true },
      alerts: [],
      now,
    });
    expect(optedOut!.actions.map((action) => [action.type, action.skipped])).toEqual([
      ['customer_message', 'cs_opt_out'],
      ['webhook', 'cs_opt_out'],
      ['create_task', null],
    ]);
    expect(optedOut!.actions[2]!.delivery).toMatchObject({
      kind: 'crm_task',
      task: { subject: 'Call Acme', ownerId: 'owner-1' },
    });
    const [normal] = planWorkflows({ workflows: [nudge], previous, current, facts, alerts: [], now });
    expect(normal!.actions.every((action) => action.skipped === null && action.delivery !== null)).toBe(true);
  });

  it("escalates to the owner's manager, score changes by at least N, alert-fired triggers", () => {
    const flows = [
      workflow(
        {
          name: 'Drop',
          trigger: { type: 'score_change', minChange: 10, direction: 'down' },
          actions: [{ type: 'escalate', subject: 'Escalate {{account}}', managers: { 'owner-1': 'boss-1' } }],
        },
        'drop',
      ),
      workflow(
        {
          name: 'On alert',
          trigger: { type: 'alert_fired', severity: 'critical' },
          actions: [{ type: 'set_crm_property', property: 'pulse_escalated', value: 'yes' }],
        },
        'alert',
      ),
    ];
    const alert = {
      ruleId: 'r1',
      ruleName: 'Critical',
      severity: 'critical' as const,
      metric: 'health_score' as const,
      previousValue: 50,
      currentValue: 38,
      message: 'down',
    };
    const plans = planWorkflows({
      workflows: flows,
      previous: observation({ score: 50 }),
      current: observation({ score: 38 }),
      facts,
      alerts: [alert],
      now,
    });
    expect(plans.map((plan) => plan.workflowId)).toEqual(['drop', 'alert']);
    expect(plans[0]!.actions[0]!.delivery).toMatchObject({
      kind: 'crm_task',
      task: { ownerId: 'boss-1', priority: 'high' },
    });
    expect(plans[1]!.actions[0]!.delivery).toEqual({
      kind: 'crm_property',
      update: { accountId: 'a1', values: { pulse_escalated: 'yes' } },
    });
    // A 9-point drop is below the trigger's 10.
    expect(
      planWorkflows({
        workflows: [flows[0]!],
        previous: observation({ score: 50 }),
        current: observation({ score: 41 }),
        facts,
        alerts: [],
        now,
      }),
    ).toEqual([]);
  });

  it('every built-in template builds a valid workflow', () => {
    for (const template of workflowTemplates) {
      expect(WorkflowInput.safeParse(template.build({})).success, template.key).toBe(true);
      expect(
        WorkflowInput.safeParse(
          template.build({
            messagingWebhookUrl: 'https://m.example.com',
            slackWebhookUrl: 'https://hooks.slack.com/x',
          }),
        ).success,
      ).toBe(true);
    }
  });
});
