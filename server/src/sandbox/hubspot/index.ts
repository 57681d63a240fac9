export * from './demo-mapping';
export type { FaultMatch, FaultSpec } from './faults';
export { FaultInjector } from './faults';
export { hubSpotLimits } from './limits';
export { associationTypeIds, type ObjectTypeName, objectTypeNames, objectTypes } from './object-types';
export type { RecordedRequest } from './request-log';
export { searchLimits } from './search';
export { type HubSpotSandbox, type HubSpotSandboxOptions, startHubSpotSandbox } from './server';
