import type { HealthConfig } from '@pulse/shared/health/config';

/**
 * Checks on the admin's draft health model that the page can make before asking the server: the
 * same rules the server enforces (shared/src/health/config.ts), phrased for the form. The server
 * stays the authority; these only decide whether Save and the preview are offered.
 */

export function weightTotal(config: HealthConfig): number {
  return config.factors.reduce((total, factor) => total + (factor.enabled ? factor.weight : 0), 0);
}

export function draftProblems(config: HealthConfig): string[] {
  const problems: string[] = [];
  const total = weightTotal(config);
  if (!config.factors.some((factor) => factor.enabled)) problems.push('Enable at least one factor.');
  else if (total !== 100) {
    const gap = 100 - total;
    problems.push(
      `The enabled weights total ${total}%; they must total exactly 100% (${gap > 0 ? 'add' : 'remove'} ${Math.abs(gap)} points).`,
    );
  }
  for (const factor of config.factors) {
    if (!Number.isInteger(factor.weight) || factor.weight < 0 || factor.weight > 100) {
      problems.push(`${factor.label}: the weight must be a whole number from 0 to 100.`);
    }
  }
  config.tiers.forEach((tier, index) => {
    const above = config.tiers[index - 1];
    if (above && tier.min >= above.min) {
      problems.push(`${tier.label} must start below ${above.label} (${above.min}).`);
    }
  });
  if (config.lowCoverageThreshold < 0 || config.lowCoverageThreshold > 100) {
    problems.push('The low-coverage threshold must be between 0 and 100.');
  }
  return problems;
}

export function setWeight(config: HealthConfig, key: string, weight: number): HealthConfig {
  return {
    ...config,
    preset: 'custom',
    factors: config.factors.map((factor) => (factor.key === key ? { ...factor, weight } : factor)),
  };
}

export function setEnabled(config: HealthConfig, key: string, enabled: boolean): HealthConfig {
  return {
    ...config,
    preset: 'custom',
    factors: config.factors.map((factor) => (factor.key === key ? { ...factor, enabled } : factor)),
  };
}

export function setTierMin(config: HealthConfig, key: string, min: number): HealthConfig {
  return { ...config, tiers: config.tiers.map((tier) => (tier.key === key ? { ...tier, min } : tier)) };
}

export const presetLabels: Record<string, string> = {
  default: 'Default (six factors)',
  five_dimension: 'Five dimensions',
  workspace_activity: 'Workspace activity',
  custom: 'Custom',
};
