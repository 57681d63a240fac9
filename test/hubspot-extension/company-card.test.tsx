import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  LineChart,
  LoadingSpinner,
  ScoreCircle,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it, vi } from 'vitest';

import { CompanyHealth } from '../../extension/hubspot/src/app/cards/company/CompanyHealth';
import { createPulseClient } from '../../extension/hubspot/src/app/shared/pulse-client';
import { deferred, fakePulse } from './fake-pulse';
import { COMPANY_ID, flag, recommendation, scoredCard } from './fixtures';
import { textOf } from './text-of';

const NOW = () => new Date('2026-11-22T12:00:00Z');

function renderCard(routes: Parameters<typeof fakePulse>[0]) {
  const pulse = fakePulse({
    'GET /hubspot/api/v1/accounts/123/recommendations': {
      body: { accountId: COMPANY_ID, recommendations: [] },
    },
    ...routes,
  });
  const renderer = createRenderer('crm.record.tab');
  renderer.mocks.context.crm.objectId = Number(COMPANY_ID);
  renderer.render(<CompanyHealth client={createPulseClient({ fetch: pulse.fetch })} now={NOW} />);
  return { ...renderer, pulse };
}

describe('company card states', () => {
  it('shows a spinner until Pulse answers, then the score, tier, trend and history', async () => {
    const answer = deferred<{ body: unknown }>();
    const { find, maybeFind, waitFor, findByTestId, pulse } = renderCard({
      'GET /hubspot/card/company': () => answer.promise,
    });
    expect(find(LoadingSpinner).props.label).toMatch(/Loading Pulse health/);
    await vi.waitFor(() => expect(pulse.callsTo('GET', '/hubspot/card/company')).toHaveLength(1));
    expect(pulse.callsTo('GET', '/hubspot/card/company')[0]!.query).toEqual({ objectId: COMPANY_ID });
    expect(find(LoadingSpinner).props.label).toMatch(/Loading Pulse health/);

    answer.resolve({ body: scoredCard() });
    await waitFor(() => expect(maybeFind(ScoreCircle)?.props.score).toBe(64));
    expect(maybeFind(LoadingSpinner, { label: 'Loading Pulse health…' })).toBeNull();
    expect(findByTestId(Tag, 'health-tier').text).toBe('At Risk');
    expect(find(LineChart).props.data).toEqual([
      { date: '2026-10-22T09:00:00.000Z', score: 72 },
      { date: '2026-11-22T09:00:00.000Z', score: 64 },
    ]);
    expect(maybeFind(Alert, { title: 'Low data coverage' })).toBeNull();
  });

  it('explains each factor with its points and "as of", and marks factors without data as excluded', async () => {
    const { findAll, waitFor, maybeFind, getRootNode } = renderCard({
      'GET /hubspot/card/company': { body: scoredCard() },
    });
    await waitFor(() => expect(maybeFind(ScoreCircle)).not.toBeNull());
    const text = textOf(getRootNode());
    expect(text).toContain('2 invoices overdue, avg 18 days late');
    expect(text).toContain('2026-11-20');
    expect(text).toContain('No data: no usage data');
    expect(text).toContain('Payment health -6 pts');
    expect(findAll(Text).some((node) => node.text === 'in 30 days')).toBe(true);
  });

  it('warns when the score is backed by too little data', async () => {
    const { find, waitFor, maybeFind } = renderCard({
      'GET /hubspot/card/company': { body: scoredCard({ coverage: 35, lowCoverage: true }) },
    });
    await waitFor(() => expect(maybeFind(Alert, { title: 'Low data coverage' })).not.toBeNull());
    expect(textOf(find(Alert, { title: 'Low data coverage' }))).toContain('Only 35%');
  });

  it('shows "no score" rather than 0 when no factor has data', async () => {
    const { waitFor, maybeFind, maybeFindByTestId, getRootNode } = renderCard({
      'GET /hubspot/card/company': {
        body: scoredCard({ score: null, tier: null, tierLabel: null, coverage: 0, lowCoverage: true }),
      },
    });
    await waitFor(() => expect(maybeFind(Alert, { title: 'Low data coverage' })).not.toBeNull());
    expect(maybeFind(ScoreCircle)).toBeNull();
    expect(textOf(getRootNode())).toContain('No score: no factor has data yet');
    expect(textOf(maybeFindByTestId(Tag, 'health-tier')!)).toBe('No tier');
  });

  it('says "not scored yet" for a synced company without a score', async () => {
    const { find, waitFor, maybeFind } = renderCard({
      'GET /hubspot/card/company': {
        body: { status: 'not_scored', account: { id: COMPANY_ID, name: 'Acme Corp' } },
      },
    });
    await waitFor(() => expect(maybeFind(EmptyState)).not.toBeNull());
    expect(find(EmptyState).props.title).toBe('Not scored yet');
    expect(textOf(find(EmptyState))).toContain('Acme Corp');
  });

  it('shows the error with a retry that asks again', async () => {
    let attempts = 0;
    const { find, waitFor, maybeFind, pulse } = renderCard({
      'GET /hubspot/card/company': () => {
        attempts++;
        return attempts === 1
          ? {
              status: 429,
              body: { error: { code: 'RATE_LIMITED', message: 'Too many requests for this portal' } },
            }
          : { body: scoredCard() };
      },
    });
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull());
    expect(textOf(find(ErrorState))).toContain('Too many requests for this portal');
    find(Button, (node) => textOf(node) === 'Try again').trigger('onClick');
    await waitFor(() => expect(maybeFind(ScoreCircle)).not.toBeNull());
    expect(pulse.callsTo('GET', '/hubspot/card/company')).toHaveLength(2);
  });

  it('tells the user a company Pulse has not synced yet is not there', async () => {
    const { find, waitFor, maybeFind } = renderCard({
      'GET /hubspot/card/company': {
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: 'Company 123 is not synced to Pulse yet' } },
      },
    });
    await waitFor(() => expect(maybeFind(EmptyState)).not.toBeNull());
    expect(textOf(find(EmptyState))).toContain('Company 123 is not synced to Pulse yet');
  });
});

describe('company card actions', () => {
  it('resolves a flag: the server is called, the flag disappears and a success alert is raised', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, mocks, pulse } = renderCard({
      'GET /hubspot/card/company': { body: scoredCard() },
      'POST /hubspot/api/v1/flags/flag-1/resolve': { body: flag({ status: 'resolved' }) },
    });
    await waitFor(() => expect(maybeFindByTestId(Button, 'resolve-flag-1')).not.toBeNull());
    findByTestId(Button, 'resolve-flag-1').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(Button, 'resolve-flag-1')).toBeNull());
    expect(pulse.callsTo('POST', '/hubspot/api/v1/flags/flag-1/resolve')).toHaveLength(1);
    expect(mocks.actions.addAlert.calls[0]![0]).toMatchObject({ type: 'success' });
  });

  it('acknowledges a flag: it stays, marked "not actioned", without the Acknowledge button', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, getRootNode } = renderCard({
      'GET /hubspot/card/company': { body: scoredCard() },
      'POST /hubspot/api/v1/flags/flag-1/acknowledge': {
        body: flag({ status: 'acknowledged', acknowledgedBy: 'hubspot-user:1' }),
      },
    });
    await waitFor(() => expect(maybeFindByTestId(Button, 'acknowledge-flag-1')).not.toBeNull());
    findByTestId(Button, 'acknowledge-flag-1').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(Button, 'acknowledge-flag-1')).toBeNull());
    expect(maybeFindByTestId(Button, 'resolve-flag-1')).not.toBeNull();
    expect(textOf(getRootNode())).toContain('Acknowledged, not actioned');
  });

  it('raises a danger alert when resolving fails, and keeps the flag', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, mocks } = renderCard({
      'GET /hubspot/card/company': { body: scoredCard() },
      'POST /hubspot/api/v1/flags/flag-1/resolve': {
        status: 403,
        body: { error: { code: 'FORBIDDEN', message: 'Only the account owner can resolve flags' } },
      },
    });
    await waitFor(() => expect(maybeFindByTestId(Button, 'resolve-flag-1')).not.toBeNull());
    findByTestId(Button, 'resolve-flag-1').trigger('onClick');
    await waitFor(() => expect(mocks.actions.addAlert.callCount).toBe(1));
    expect(mocks.actions.addAlert.calls[0]![0]).toMatchObject({
      type: 'danger',
      message: 'Only the account owner can resolve flags',
    });
    expect(maybeFindByTestId(Button, 'resolve-flag-1')).not.toBeNull();
  });

  it('creates an opportunity once for two quick clicks, shows the deal and refreshes the record', async () => {
    const reply = deferred<{ body: unknown }>();
    const { findByTestId, maybeFindByTestId, waitFor, mocks, pulse } = renderCard({
      'GET /hubspot/card/company': { body: scoredCard() },
      'GET /hubspot/api/v1/accounts/123/recommendations': {
        body: { accountId: COMPANY_ID, recommendations: [recommendation()] },
      },
      'POST /hubspot/api/v1/accounts/123/opportunities': () => reply.promise,
    });
    await waitFor(() => expect(maybeFindByTestId(Button, 'create-support-premium')).not.toBeNull());
    const button = findByTestId(Button, 'create-support-premium');
    button.trigger('onClick');
    button.trigger('onClick');
    reply.resolve({
      body: {
        id: '9001',
        url: 'https://app.hubspot.com/contacts/123/record/0-3/9001',
        name: 'Acme Corp - Support Premium',
        amount: 4800,
        accountId: COMPANY_ID,
        productId: 'support-premium',
        created: true,
      },
    });
    await waitFor(() => expect(maybeFindByTestId(Text, 'deal-support-premium')).not.toBeNull());
    expect(pulse.callsTo('POST', '/hubspot/api/v1/accounts/123/opportunities')).toEqual([
      expect.objectContaining({ body: { productId: 'support-premium' } }),
    ]);
    expect(textOf(findByTestId(Text, 'deal-support-premium'))).toContain('Acme Corp - Support Premium');
    expect(maybeFindByTestId(Button, 'create-support-premium')).toBeNull();
    expect(mocks.actions.refreshObjectProperties.callCount).toBe(1);
    expect(mocks.actions.addAlert.calls[0]![0]).toMatchObject({ type: 'success' });
  });

  it('links the already open deal instead of offering Create Opportunity again', async () => {
    const { maybeFindByTestId, waitFor } = renderCard({
      'GET /hubspot/card/company': { body: scoredCard() },
      'GET /hubspot/api/v1/accounts/123/recommendations': {
        body: {
          accountId: COMPANY_ID,
          recommendations: [
            recommendation({ openOpportunity: { id: '77', url: 'https://app.hubspot.com/x' } }),
          ],
        },
      },
    });
    await waitFor(() => expect(maybeFindByTestId(Text, 'deal-support-premium')).not.toBeNull());
    expect(maybeFindByTestId(Button, 'create-support-premium')).toBeNull();
  });
});
