/**
 * Pure view logic of the Pulse card: the overview JSON from PulseApi.accountOverview -> what the
 * template shows. No Lightning imports, so it is unit-tested with plain Node (test/salesforce).
 */

const TIER_BADGES = {
  healthy: 'slds-theme_success',
  thriving: 'slds-theme_success',
  fine: 'slds-theme_success',
  at_risk: 'slds-theme_warning',
  critical: 'slds-theme_error',
  touch: 'slds-theme_warning',
};

const SEVERITY_ICONS = { critical: 'utility:error', warning: 'utility:warning', info: 'utility:info' };

function round(value) {
  return value === null || value === undefined ? null : Math.round(value);
}

function trendLabel(trend) {
  if (trend === null || trend === undefined) return 'No 30-day trend yet';
  if (trend === 0) return 'No change in 30 days';
  const points = Math.abs(Math.round(trend));
  return `${trend > 0 ? '▲' : '▼'} ${points} point${points === 1 ? '' : 's'} in 30 days`;
}

function asOfLabel(asOf) {
  return asOf ? `as of ${asOf.slice(0, 10)}` : 'no data';
}

export function buildViewModel(overview) {
  const health = overview?.health ? overview.health : null;
  const flags = overview?.flags && Array.isArray(overview.flags.flags) ? overview.flags.flags : [];
  const recommendations =
    overview?.recommendations && Array.isArray(overview.recommendations.recommendations)
      ? overview.recommendations.recommendations
      : [];
  const result = health ? health.health : null;
  return {
    scored: Boolean(result && result.score !== null),
    score: result ? round(result.score) : null,
    tierLabel: result?.tierLabel ? result.tierLabel : 'Not scored',
    tierClass: `slds-badge ${(result && TIER_BADGES[result.tier]) || ''}`.trim(),
    coverageLabel: result ? `${round(result.coverage)}% of the model backed by data` : '',
    lowCoverage: Boolean(result?.lowCoverage),
    trendLabel: trendLabel(health ? health.trend30d : null),
    churnRisk: health?.churnRisk ? round(health.churnRisk.value) : null,
    factors: result
      ? result.factors.map((factor) => ({
          key: factor.key,
          label: factor.label,
          value: factor.value === null ? '—' : String(round(factor.value)),
          excluded: factor.value === null,
          explanation: factor.explanation,
          asOf: asOfLabel(factor.asOf),
        }))
      : [],
    flags: flags
      .filter((flag) => flag.status === undefined || flag.status === 'open')
      .map((flag) => ({
        id: flag.id,
        title: flag.title,
        action: flag.recommendedAction || '',
        icon: SEVERITY_ICONS[flag.severity] || 'utility:info',
        severity: flag.severity,
      })),
    hasFlags: flags.length > 0,
    recommendations: recommendations.slice(0, 3).map((item) => toRecommendation(item)),
  };
}

export function toRecommendation(item, pending = false) {
  const open = item.openOpportunity || null;
  return {
    productId: item.productId,
    productName: item.productName,
    score: Math.min(100, round(item.score)),
    explanation: item.explanation,
    opportunityUrl: open ? open.url : null,
    hasOpportunity: Boolean(open),
    pending,
    buttonLabel: pending ? 'Creating…' : 'Create Opportunity',
    // One click in flight at a time: a second click while pending does nothing.
    disabled: pending || Boolean(open),
  };
}

/** After Create Opportunity: the row links to the (new or existing) opportunity. */
export function withOpportunity(recommendations, productId, created) {
  return recommendations.map((item) =>
    item.productId === productId
      ? {
          ...item,
          pending: false,
          hasOpportunity: true,
          disabled: true,
          buttonLabel: 'Create Opportunity',
          opportunityUrl: created.url || `/lightning/r/Opportunity/${created.id}/view`,
        }
      : item,
  );
}

export function withPending(recommendations, productId, pending) {
  return recommendations.map((item) =>
    item.productId === productId
      ? {
          ...item,
          pending,
          disabled: pending || item.hasOpportunity,
          buttonLabel: pending ? 'Creating…' : 'Create Opportunity',
        }
      : item,
  );
}
