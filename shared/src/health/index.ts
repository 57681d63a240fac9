export type { HealthConfig, HealthConfigInput, HealthConfigValidation, HealthPresetName } from './config';
export {
  defaultHealthConfig,
  HealthConfigSchema,
  HealthFactorConfig,
  HealthTier,
  healthPresetNames,
  healthPresets,
  tierFor,
  validateHealthConfig,
} from './config';
export type { Curve, Direction } from './curves';
export { curve, scoreOn } from './curves';
export { CustomFactorDefinition, EnumeratedCustomFactor, NumericCustomFactor } from './factors/custom-factor';
export type { FactorDefinition, FactorEvaluation } from './factors/factor';
export { builtInFactorKeys, factorLibrary } from './factors/library';
export type {
  ChurnRiskInput,
  ChurnRiskResult,
  ChurnRiskTerm,
  CltvInput,
  MetricResult,
  UpsellInput,
} from './metrics';
export { computeChurnRisk, computeCltv, computeUpsellScore } from './metrics';
export type { ScoreOptions, ScoreSnapshotOptions } from './score';
export { scoreAccount, scoreSnapshot } from './score';
export type {
  AccountSignals,
  ContractSignals,
  DeriveSignalsOptions,
  EngagementSignals,
  FlagSignals,
  NpsSignals,
  OutcomeSignals,
  PaymentSignals,
  PlanSignals,
  RelationshipSignals,
  SupportSignals,
  UsageSignals,
} from './signals';
export { deriveSignals, summariseUsage } from './signals';
export type { Driver, FactorResult, HealthResult, PreviousScore, SignalValue } from './types';
