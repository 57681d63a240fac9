import { Alert, EmptyState, ErrorState, LoadingSpinner, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { RecordSummaryResponse } from '@pulse/shared/api/hubspot-app';
import { describe, expect, it } from 'vitest';

import { RecordHealth } from '../../extension/hubspot/src/app/cards/record/RecordHealth';
import { createPulseClient } from '../../extension/hubspot/src/app/shared/pulse-client';
import { fakePulse } from './fake-pulse';
import { textOf } from './text-of';

const summary: RecordSummaryResponse = {
  status: 'scored',
  account: { id: '123', name: 'Acme Corp' },
  score: 64,
  tier: 'at_risk',
  tierLabel: 'At Risk',
  coverage: 90,
  lowCoverage: false,
  trend30d: -8,
  churnRisk: 55,
  openFlags: 2,
  nextRenewalDate: '2026-12-22',
  topRecommendation: { productName: 'Support Premium', score: 85 },
  computedAt: '2026-11-22T09:00:00.000Z',
};

function renderOn(objectTypeId: string, routes: Parameters<typeof fakePulse>[0]) {
  const pulse = fakePulse(routes);
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.context.crm.objectId = 555;
  renderer.mocks.context.crm.objectTypeId = objectTypeId;
  renderer.render(<RecordHealth client={createPulseClient({ fetch: pulse.fetch })} />);
  return { ...renderer, pulse };
}

describe('deal and ticket sidebar card', () => {
  it('on a deal: asks for the deal summary and shows the company health at a glance', async () => {
    const { find, waitFor, maybeFindByTestId, getRootNode, pulse } = renderOn('0-3', {
      'GET /hubspot/card/deal': { body: summary },
    });
    expect(find(LoadingSpinner)).toBeTruthy();
    await waitFor(() => expect(maybeFindByTestId(Text, 'summary-score')).not.toBeNull());
    expect(pulse.calls.map((call) => [call.path, call.query.objectId])).toEqual([
      ['/hubspot/card/deal', '555'],
    ]);
    expect(find(Tag).props.variant).toBe('warning');
    const text = textOf(getRootNode());
    expect(text).toContain('Acme Corp: 64');
    expect(text).toContain('Support Premium (85)');
    expect(text).toContain('2026-12-22');
  });

  it('on a ticket: asks for the ticket summary and warns about low coverage', async () => {
    const { waitFor, maybeFind, pulse } = renderOn('0-5', {
      'GET /hubspot/card/ticket': { body: { ...summary, coverage: 30, lowCoverage: true } },
    });
    await waitFor(() => expect(maybeFind(Alert, { title: 'Low data coverage' })).not.toBeNull());
    expect(pulse.calls[0]!.path).toBe('/hubspot/card/ticket');
  });

  it('explains a deal without a company', async () => {
    const { waitFor, maybeFind, find } = renderOn('0-3', {
      'GET /hubspot/card/deal': { body: { status: 'no_company' } },
    });
    await waitFor(() => expect(maybeFind(EmptyState)).not.toBeNull());
    expect(textOf(find(EmptyState))).toContain('Associate this deal with a company');
  });

  it('shows the server error with a retry', async () => {
    const { waitFor, maybeFind, find } = renderOn('0-3', {
      'GET /hubspot/card/deal': {
        status: 401,
        body: { error: { code: 'UNAUTHENTICATED', message: 'HubSpot signature rejected: stale timestamp' } },
      },
    });
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull());
    expect(textOf(find(ErrorState))).toContain('HubSpot signature rejected: stale timestamp');
  });
});
