import {
  Alert,
  Button,
  Flex,
  Input,
  Link,
  NumberInput,
  Select,
  Tab,
  TableHeader,
  Tabs,
  Tag,
  Text,
  Toggle,
} from '@hubspot/ui-extensions';
import { createRenderer, type RenderedElementNode } from '@hubspot/ui-extensions/testing';
import type { HealthConfig } from '@pulse/shared/health/config';
import { describe, expect, it, vi } from 'vitest';

import { HealthScoreTab } from '../../extension/hubspot/src/app/settings/HealthScoreTab';
import { RecommendationRulesTab } from '../../extension/hubspot/src/app/settings/RecommendationRulesTab';
import { RenewalsTab } from '../../extension/hubspot/src/app/settings/RenewalsTab';
import { SettingsPage } from '../../extension/hubspot/src/app/settings/SettingsPage';
import { createPulseClient } from '../../extension/hubspot/src/app/shared/pulse-client';
import { fakePulse } from './fake-pulse';
import { healthSettings, previewDistribution, renewals, rule } from './settings-fixtures';
import { textOf } from './text-of';

const NOW = () => new Date('2026-11-22T12:00:00Z');

function settingsClient(routes: Parameters<typeof fakePulse>[0]) {
  const pulse = fakePulse(routes);
  return { pulse, client: createPulseClient({ fetch: pulse.fetch, surface: 'settings' }) };
}

async function renderHealthTab(extra: Parameters<typeof fakePulse>[0] = {}) {
  const { pulse, client } = settingsClient({
    'GET /hubspot/settings/health': { body: healthSettings },
    'POST /hubspot/settings/health/preview': { body: previewDistribution },
    'PUT /hubspot/settings/health': ({ body }) => ({
      body: { config: (body as { config: HealthConfig }).config, version: 4, recompute: 'started' },
    }),
    ...extra,
  });
  const renderer = createRenderer('settings');
  renderer.render(<HealthScoreTab client={client} />);
  await renderer.waitFor(() =>
    expect(renderer.maybeFind(NumberInput, { name: 'weight-payment' })).not.toBeNull(),
  );
  const setWeight = (key: string, value: number) =>
    renderer.find(NumberInput, { name: `weight-${key}` }).trigger('onChange', value as never);
  const saveButton = () => renderer.findByTestId(Button, 'save-health');
  return { ...renderer, pulse, setWeight, saveButton };
}

describe('settings page', () => {
  it('has the three tabs of the customer-success settings', () => {
    const { client } = settingsClient({});
    const { render, find, findAll } = createRenderer('settings');
    render(<SettingsPage client={client} now={NOW} />);
    expect(find(Tabs).props.defaultSelected).toBe('health');
    expect(findAll(Tab).map((tab) => tab.props.title)).toEqual([
      'Health score',
      'Product recommendations',
      'Upcoming renewals',
    ]);
  });
});

describe('health score tab', () => {
  it('loads the saved model with a running total of 100% and marks every call as from settings', async () => {
    const { findByTestId, pulse, saveButton } = await renderHealthTab();
    expect(textOf(findByTestId(Text, 'weight-total'))).toBe('Total: 100% of 100%');
    expect(pulse.calls[0]!.query).toEqual({ surface: 'settings' });
    // Nothing changed yet: nothing to save.
    expect(saveButton().props.disabled).toBe(true);
  });

  it('blocks saving at 95% with a message naming the total, and saves at exactly 100%', async () => {
    const { setWeight, saveButton, waitFor, findByTestId, maybeFindByTestId, pulse, mocks } =
      await renderHealthTab();
    setWeight('payment', 20);
    await waitFor(() => expect(textOf(findByTestId(Text, 'weight-total'))).toBe('Total: 95% of 100%'));
    expect(saveButton().props.disabled).toBe(true);
    expect(textOf(findByTestId(Alert, 'draft-problems'))).toContain(
      'The enabled weights total 95%; they must total exactly 100% (add 5 points)',
    );
    saveButton().trigger('onClick');
    expect(pulse.callsTo('PUT', '/hubspot/settings/health')).toHaveLength(0);

    setWeight('engagement', 25);
    await waitFor(() => expect(textOf(findByTestId(Text, 'weight-total'))).toBe('Total: 100% of 100%'));
    expect(maybeFindByTestId(Alert, 'draft-problems')).toBeNull();
    expect(saveButton().props.disabled).toBe(false);
    saveButton().trigger('onClick');
    await vi.waitFor(() => expect(pulse.callsTo('PUT', '/hubspot/settings/health')).toHaveLength(1));
    const sent = pulse.callsTo('PUT', '/hubspot/settings/health')[0]!;
    const weights = Object.fromEntries(
      (sent.body!.config as HealthConfig).factors.map((factor) => [factor.key, factor.weight]),
    );
    expect(weights).toMatchObject({ payment: 20, engagement: 25, usage: 20 });
    expect(sent.query).toEqual({ surface: 'settings' });
    await waitFor(() => expect(mocks.actions.addAlert.callCount).toBe(1));
    expect(mocks.actions.addAlert.calls[0]![0]).toMatchObject({
      type: 'success',
      title: 'Health model saved',
    });
  });

  it('counts only enabled factors: disabling one drops its weight from the total', async () => {
    const { find, findByTestId, waitFor, saveButton } = await renderHealthTab();
    find(Toggle, { name: 'enabled-contract' }).trigger('onChange', false as never);
    await waitFor(() => expect(textOf(findByTestId(Text, 'weight-total'))).toBe('Total: 90% of 100%'));
    expect(saveButton().props.disabled).toBe(true);
  });

  it('previews the tier distribution of a valid draft after the admin stops typing', async () => {
    const { setWeight, waitFor, maybeFindByTestId, findByTestId, pulse } = await renderHealthTab();
    setWeight('payment', 20);
    setWeight('engagement', 22);
    setWeight('engagement', 25);
    await waitFor(() => expect(maybeFindByTestId(Flex, 'preview-distribution')).not.toBeNull(), {
      timeoutInMs: 3000,
    });
    // Debounced: the intermediate drafts (95%, 97%) were never sent, the final one once.
    const previews = pulse.callsTo('POST', '/hubspot/settings/health/preview');
    expect(previews).toHaveLength(1);
    const factors = (previews[0]!.body!.config as HealthConfig).factors;
    expect(factors.find((factor) => factor.key === 'engagement')!.weight).toBe(25);
    expect(textOf(findByTestId(Flex, 'preview-distribution'))).toContain('35%');
  });

  it('does not ask for a preview while the weights do not total 100', async () => {
    const { setWeight, waitFor, findByTestId, pulse } = await renderHealthTab();
    setWeight('payment', 10);
    await waitFor(() => expect(textOf(findByTestId(Text, 'weight-total'))).toBe('Total: 85% of 100%'));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(pulse.callsTo('POST', '/hubspot/settings/health/preview')).toHaveLength(0);
  });

  it('switches to a preset: the five-dimension model with its own tiers', async () => {
    const { find, findAll, waitFor, maybeFind, findByTestId } = await renderHealthTab();
    find(Select, { name: 'preset' }).trigger('onChange', 'five_dimension' as never);
    await waitFor(() => expect(maybeFind(NumberInput, { name: 'weight-outcomes' })).not.toBeNull());
    expect(textOf(findByTestId(Text, 'weight-total'))).toBe('Total: 100% of 100%');
    expect(
      findAll(NumberInput, (node) => String(node.props.name).startsWith('tier-')).map((n) => n.props.name),
    ).toEqual(['tier-thriving', 'tier-healthy', 'tier-at_risk']);
  });

  it('refuses thresholds that do not descend', async () => {
    const { find, waitFor, findByTestId, saveButton } = await renderHealthTab();
    find(NumberInput, { name: 'tier-at_risk' }).trigger('onChange', 75 as never);
    await waitFor(() =>
      expect(textOf(findByTestId(Alert, 'draft-problems'))).toContain(
        'At Risk must start below Healthy (70)',
      ),
    );
    expect(saveButton().props.disabled).toBe(true);
  });

  it("shows the server's reason when a save is refused, and raises a danger alert", async () => {
    const { setWeight, waitFor, saveButton, maybeFind, mocks } = await renderHealthTab({
      'PUT /hubspot/settings/health': {
        status: 403,
        body: { error: { code: 'FORBIDDEN', message: 'Only admins change settings' } },
      },
    });
    setWeight('payment', 20);
    setWeight('engagement', 25);
    await waitFor(() => expect(saveButton().props.disabled).toBe(false));
    saveButton().trigger('onClick');
    await waitFor(() => expect(maybeFind(Alert, { title: 'Not saved' })).not.toBeNull());
    expect(mocks.actions.addAlert.calls[0]![0]).toMatchObject({
      type: 'danger',
      message: 'Only admins change settings',
    });
  });
});

describe('recommendation rules tab', () => {
  function renderRules(extra: Parameters<typeof fakePulse>[0] = {}) {
    const { pulse, client } = settingsClient({
      'GET /hubspot/api/v1/rules': { body: { rules: [rule] } },
      ...extra,
    });
    const renderer = createRenderer('settings');
    renderer.render(<RecommendationRulesTab client={client} />);
    return { ...renderer, pulse };
  }

  it('lists rules with their signals and deactivates one with the toggle', async () => {
    const { waitFor, maybeFindByTestId, findByTestId, getRootNode, pulse, mocks } = renderRules({
      'PUT /hubspot/api/v1/rules/rule-1': ({ body }) => ({ body: { ...rule, ...body } }),
    });
    await waitFor(() => expect(maybeFindByTestId(Toggle, 'active-rule-1')).not.toBeNull());
    expect(textOf(getRootNode())).toContain('Renewal within 90 days +20');
    findByTestId(Toggle, 'active-rule-1').trigger('onChange', false as never);
    await waitFor(() => expect(findByTestId(Toggle, 'active-rule-1').props.checked).toBe(false));
    const { id: _id, ...withoutId } = rule;
    expect(pulse.callsTo('PUT', '/hubspot/api/v1/rules/rule-1')[0]!.body).toEqual({
      ...withoutId,
      active: false,
    });
    expect(mocks.actions.addAlert.calls[0]![0]).toMatchObject({ type: 'success' });
  });

  it('adds a rule with a signal and shows it in the list', async () => {
    const { waitFor, maybeFindByTestId, findByTestId, find, getRootNode, pulse } = renderRules({
      'POST /hubspot/api/v1/rules': ({ body }) => ({ status: 201, body: { id: 'rule-2', ...body } }),
    });
    await waitFor(() => expect(maybeFindByTestId(Button, 'add-rule')).not.toBeNull());
    findByTestId(Button, 'add-rule').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(Flex, 'rule-form')).not.toBeNull());
    find(NumberInput, { name: 'baseScore' }).trigger('onChange', 60 as never);
    find(NumberInput, { name: 'signalWeight' }).trigger('onChange', 15 as never);
    await waitFor(() => expect(find(NumberInput, { name: 'signalWeight' }).props.value).toBe(15));
    find(Button, (node) => textOf(node) === 'Add signal').trigger('onClick');
    find(Input, { name: 'productId' }).trigger('onChange', 'analytics' as never);
    await waitFor(() => expect(textOf(getRootNode())).toContain('Renewal within 90 days +15'));
    findByTestId(Button, 'save-rule').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(Toggle, 'active-rule-2')).not.toBeNull());
    expect(pulse.callsTo('POST', '/hubspot/api/v1/rules')[0]!.body).toMatchObject({
      productId: 'analytics',
      baseScore: 60,
      active: true,
      signals: [{ type: 'renewal_within_days', days: 90, weight: 15 }],
    });
  });

  it("edits a rule and shows the server's field errors next to the fields", async () => {
    const { waitFor, maybeFindByTestId, findByTestId, find } = renderRules({
      'PUT /hubspot/api/v1/rules/rule-1': {
        status: 400,
        body: {
          error: {
            code: 'INVALID_INPUT',
            message: 'Invalid rule: body.productId product nope is not in the catalogue',
            details: {
              fields: [{ path: 'body.productId', message: 'product nope is not in the catalogue' }],
            },
          },
        },
      },
    });
    await waitFor(() => expect(maybeFindByTestId(Button, 'edit-rule-1')).not.toBeNull());
    findByTestId(Button, 'edit-rule-1').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(Flex, 'rule-form')).not.toBeNull());
    expect(find(Input, { name: 'productId' }).props.value).toBe('support-premium');
    find(Input, { name: 'productId' }).trigger('onChange', 'nope' as never);
    findByTestId(Button, 'save-rule').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(Alert, 'rule-error')).not.toBeNull());
    expect(find(Input, { name: 'productId' }).props.validationMessage).toBe(
      'product nope is not in the catalogue',
    );
  });
});

describe('upcoming renewals tab', () => {
  it('filters by 30/60/90/180 days, colours days left and links the account', async () => {
    const { pulse, client } = settingsClient({
      'GET /hubspot/api/v1/renewals': ({ query }) => ({ body: renewals(Number(query.within)) }),
    });
    const { render, find, findAll, waitFor, findByTestId } = createRenderer('settings');
    render(<RenewalsTab client={client} now={NOW} />);
    await waitFor(() =>
      expect(textOf(findByTestId(Text, 'renewal-totals'))).toContain('1 renewals, $5,000 MRR'),
    );
    expect(pulse.calls[0]!.query).toEqual({ within: '90', surface: 'settings' });
    expect(find(Select, { name: 'within' }).props.options.map((option) => option.value)).toEqual([
      30, 60, 90, 180,
    ]);
    expect(findAll(Tag).map((tag) => [textOf(tag), tag.props.variant])).toEqual([['18', 'error']]);

    find(Select, { name: 'within' }).trigger('onChange', 180 as never);
    await waitFor(() =>
      expect(textOf(findByTestId(Text, 'renewal-totals'))).toContain('2 renewals, $14,000 MRR'),
    );
    expect(pulse.calls.at(-1)!.query.within).toBe('180');
    expect(findAll(Tag).map((tag) => tag.props.variant)).toEqual(['error', 'success']);

    // TableHeader's props are a union (sortable or not), so name the sortable shape.
    const mrrHeader = find(TableHeader, (node) => textOf(node) === 'MRR') as unknown as RenderedElementNode<{
      onSortChange: (direction: string) => void;
    }>;
    mrrHeader.trigger('onSortChange', 'descending' as never);
    await waitFor(() => expect(findAll(Link).map((link) => textOf(link))).toEqual(['Globex', 'Acme Corp']));
    expect(find(Link, (node) => textOf(node) === 'Globex').props.href).toBe(
      'https://app.hubspot.com/contacts/123/record/0-2/12',
    );
  });
});
