import { recommendTop } from '@pulse/shared/recommendations/evaluate';
import { nextRenewalDate } from '@pulse/shared/recommendations/signals';

import type { ScoringExtension } from '../scoring/extensions';
import { ensureExampleRules, listRules, loadCatalogue } from './rules-store';

/**
 * Recommendations and the next renewal date during recompute. The best recommendation feeds the
 * upsell score and `pulse_top_recommendation`; the date becomes `pulse_next_renewal_date`.
 */
export const recommendationsExtension: ScoringExtension = {
  name: 'recommendations',
  async begin(ctx, tenantId, now) {
    const catalogue = await loadCatalogue(ctx.db, tenantId);
    await ensureExampleRules(ctx.db, tenantId, catalogue, now);
    const rules = await listRules(ctx.db, tenantId, { activeOnly: true });
    return {
      evaluate({ snapshot, health }) {
        const top = recommendTop(rules, { snapshot, healthTier: health.tier, catalogue, now });
        return {
          topRecommendations: top.map(({ productId, productName, score, explanation }) => ({
            productId,
            productName,
            score,
            explanation,
          })),
          nextRenewalDate: nextRenewalDate(snapshot.subscriptions),
        };
      },
      async flush() {},
    };
  },
};
