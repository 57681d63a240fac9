import { defaultFactors } from './default-factors';
import type { FactorDefinition } from './factor';
import { fiveDimensionFactors, workspaceActivityFactors } from './preset-factors';

/** Every built-in factor by key; a config may use any of them in any combination. */
export const factorLibrary: Readonly<Record<string, FactorDefinition>> = Object.freeze(
  Object.fromEntries(
    [...defaultFactors, ...fiveDimensionFactors, ...workspaceActivityFactors].map((factor) => [
      factor.key,
      factor,
    ]),
  ),
);

export const builtInFactorKeys: readonly string[] = Object.keys(factorLibrary);

export function isBuiltInFactor(key: string): boolean {
  return Object.hasOwn(factorLibrary, key);
}
