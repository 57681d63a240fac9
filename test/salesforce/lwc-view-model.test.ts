import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The LWC's pure view logic (plain JS inside the component bundle), loaded by path so the
// TypeScript project does not need to type-check Lightning sources.
interface Recommendation {
  productId: string;
  productName: string;
  score: number;
  hasOpportunity: boolean;
  disabled: boolean;
  pending: boolean;
  buttonLabel: string;
  opportunityUrl: string | null;
}
interface ViewModelModule {
  buildViewModel(overview: unknown): {
    scored: boolean;
    score: number | null;
    tierLabel: string;
    tierClass: string;
    trendLabel: string;
    lowCoverage: boolean;
    factors: { key: string; value: string; excluded: boolean; explanation: string; asOf: string }[];
    flags: { id: string; title: string; icon: string }[];
    recommendations: Recommendation[];
  };
  withPending(items: Recommendation[], productId: string, pending: boolean): Recommendation[];
  withOpportunity(
    items: Recommendation[],
    productId: string,
    created: { id: string; url: string | null },
  ): Recommendation[];
}
const modulePath = join(
  import.meta.dirname,
  '../../extension/salesforce/main/default/lwc/pulseAccountHealth/viewModel.js',
);
const { buildViewModel, withOpportunity, withPending } = (await import(modulePath)) as ViewModelModule;

const overview = {
  health: {
    accountId: '001A',
    trend30d: -6.4,
    churnRisk: { value: 61.2, explanation: '' },
    health: {
      score: 58.6,
      tier: 'at_risk',
      tierLabel: 'At Risk',
      coverage: 85,
      lowCoverage: false,
      factors: [
        {
          key: 'payment',
          label: 'Payment health',
          value: 40.2,
          explanation: '2 invoices overdue, avg 18 days late',
          asOf: '2026-10-30T00:00:00Z',
        },
        { key: 'usage', label: 'Product usage', value: null, explanation: 'No usage data', asOf: null },
      ],
    },
  },
  flags: {
    flags: [
      {
        id: 'f1',
        title: 'Usage down 35%',
        severity: 'critical',
        status: 'open',
        recommendedAction: 'Call the champion',
      },
    ],
  },
  recommendations: {
    recommendations: [
      {
        productId: 'p1',
        productName: 'Analytics',
        score: 112,
        explanation: 'Renewal in 60 days',
        openOpportunity: null,
      },
      {
        productId: 'p2',
        productName: 'Support',
        score: 70,
        explanation: 'x',
        openOpportunity: { id: '006A', url: '/006A' },
      },
      { productId: 'p3', productName: 'Seats', score: 50, explanation: 'y', openOpportunity: null },
      { productId: 'p4', productName: 'Training', score: 40, explanation: 'z', openOpportunity: null },
    ],
  },
};

describe('Pulse account card view model', () => {
  it('shows score, tier, trend, factors with explanations and open flags', () => {
    const view = buildViewModel(overview);
    expect(view).toMatchObject({
      scored: true,
      score: 59,
      tierLabel: 'At Risk',
      trendLabel: '▼ 6 points in 30 days',
    });
    expect(view.tierClass).toBe('slds-badge slds-theme_warning');
    expect(view.factors[0]).toMatchObject({
      value: '40',
      explanation: '2 invoices overdue, avg 18 days late',
      asOf: 'as of 2026-10-30',
    });
    expect(view.factors[1]).toMatchObject({ value: '—', excluded: true, asOf: 'no data' });
    expect(view.flags).toEqual([
      {
        id: 'f1',
        title: 'Usage down 35%',
        action: 'Call the champion',
        icon: 'utility:error',
        severity: 'critical',
      },
    ]);
  });

  it('lists the top three recommendations, capped at 100, linking an already-open opportunity', () => {
    const { recommendations } = buildViewModel(overview);
    expect(recommendations.map((item) => item.productId)).toEqual(['p1', 'p2', 'p3']);
    expect(recommendations[0]).toMatchObject({
      score: 100,
      disabled: false,
      buttonLabel: 'Create Opportunity',
    });
    expect(recommendations[1]).toMatchObject({
      hasOpportunity: true,
      disabled: true,
      opportunityUrl: '/006A',
    });
  });

  it('disables the button while a creation is in flight, then links the opportunity', () => {
    const { recommendations } = buildViewModel(overview);
    const pending = withPending(recommendations, 'p1', true);
    expect(pending[0]).toMatchObject({ disabled: true, buttonLabel: 'Creating…' });
    const done = withOpportunity(pending, 'p1', { id: '006B', url: null });
    expect(done[0]).toMatchObject({
      hasOpportunity: true,
      disabled: true,
      opportunityUrl: '/lightning/r/Opportunity/006B/view',
    });
    expect(withPending(pending, 'p1', false)[0]).toMatchObject({
      disabled: false,
      buttonLabel: 'Create Opportunity',
    });
  });

  it('says when an account is not scored yet', () => {
    const view = buildViewModel({
      health: null,
      flags: { flags: [] },
      recommendations: { recommendations: [] },
    });
    expect(view).toMatchObject({
      scored: false,
      score: null,
      tierLabel: 'Not scored',
      trendLabel: 'No 30-day trend yet',
    });
  });
});
