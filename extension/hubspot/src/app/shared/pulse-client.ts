import { hubspot } from '@hubspot/ui-extensions';
import type { ErrorCode } from '@pulse/shared/api/contract';
import type { FlagItem } from '@pulse/shared/api/flags';
import type {
  CompanyCardResponse,
  RecordSummaryResponse,
  TierDistribution,
} from '@pulse/shared/api/hubspot-app';
import type { CreatedOpportunity, RecommendationItem } from '@pulse/shared/api/recommendations';
import type { RenewalList } from '@pulse/shared/api/renewals';
import type { HealthConfig } from '@pulse/shared/health/config';
import type { RecommendationRule } from '@pulse/shared/recommendations/rules';

import { PULSE_ORIGIN, REQUEST_TIMEOUT_MS } from './config';

/**
 * The one place the HubSpot app talks to the Pulse server. HubSpot signs every hubspot.fetch call
 * (X-HubSpot-Signature-v3) and appends portalId/userId, so nothing here carries credentials. Only
 * types are imported from @pulse/shared: they vanish at build time, so the bundle HubSpot builds
 * needs nothing outside this project.
 */

/** What a failed call rejects with: the server's `{ error: { code, message } }`, or a local cause. */
export type PulseErrorCode = ErrorCode | 'TIMEOUT' | 'NETWORK';

export class PulseApiError extends Error {
  constructor(
    readonly code: PulseErrorCode,
    message: string,
    readonly status: number | null = null,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'PulseApiError';
  }
}

/** The subset of hubspot.fetch Pulse uses; tests pass their own. */
export type PulseFetch = (
  url: string,
  options: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; body?: Record<string, unknown>; timeout: number },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface PulseClientOptions {
  fetch?: PulseFetch;
  origin?: string;
  timeoutMs?: number;
  /** The settings page marks its calls so the server applies admin rules (routes.ts `surface`). */
  surface?: 'card' | 'settings';
}

export interface HealthSettings {
  config: HealthConfig;
  version: number;
  presets: Record<string, HealthConfig>;
  distribution: TierDistribution;
}

export type RuleInput = Omit<RecommendationRule, 'id'>;

const statusCodes: Record<number, ErrorCode> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};

function errorFromBody(status: number, body: unknown): PulseApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new PulseApiError(error.code as PulseErrorCode, error.message, status, error.details);
  }
  const code = statusCodes[status] ?? 'INTERNAL';
  return new PulseApiError(code, `Pulse answered HTTP ${status}`, status);
}

const defaultFetch: PulseFetch = (url, options) => hubspot.fetch(url, options);

export function createPulseClient(options: PulseClientOptions = {}) {
  const send = options.fetch ?? defaultFetch;
  const origin = options.origin ?? PULSE_ORIGIN;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;

  async function call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    query: Record<string, string> = {},
    body?: Record<string, unknown>,
  ): Promise<T> {
    const url = new URL(path, origin);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    if (options.surface === 'settings') url.searchParams.set('surface', 'settings');
    let timer: ReturnType<typeof setTimeout> | undefined;
    // hubspot.fetch takes a timeout too, but a hung promise must never leave a card spinning.
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new PulseApiError('TIMEOUT', `Pulse did not answer within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
    });
    try {
      const response = await Promise.race([
        send(url.toString(), { method, timeout: timeoutMs, ...(body ? { body } : {}) }).catch(
          (error: unknown) => {
            throw new PulseApiError(
              'NETWORK',
              `Cannot reach Pulse: ${error instanceof Error ? error.message : String(error)}`,
            );
          },
        ),
        timedOut,
      ]);
      const parsed = await response.json().catch(() => null);
      if (!response.ok) throw errorFromBody(response.status, parsed);
      return parsed as T;
    } finally {
      clearTimeout(timer);
    }
  }

  const id = encodeURIComponent;
  return {
    companyCard: (objectId: string) =>
      call<CompanyCardResponse>('GET', '/hubspot/card/company', { objectId }),
    dealCard: (objectId: string) => call<RecordSummaryResponse>('GET', '/hubspot/card/deal', { objectId }),
    ticketCard: (objectId: string) =>
      call<RecordSummaryResponse>('GET', '/hubspot/card/ticket', { objectId }),
    resolveFlag: (flagId: string) => call<FlagItem>('POST', `/hubspot/api/v1/flags/${id(flagId)}/resolve`),
    acknowledgeFlag: (flagId: string) =>
      call<FlagItem>('POST', `/hubspot/api/v1/flags/${id(flagId)}/acknowledge`),
    recommendations: (accountId: string) =>
      call<{ accountId: string; recommendations: RecommendationItem[] }>(
        'GET',
        `/hubspot/api/v1/accounts/${id(accountId)}/recommendations`,
      ),
    createOpportunity: (accountId: string, productId: string) =>
      call<CreatedOpportunity>(
        'POST',
        `/hubspot/api/v1/accounts/${id(accountId)}/opportunities`,
        {},
        {
          productId,
        },
      ),
    healthSettings: () => call<HealthSettings>('GET', '/hubspot/settings/health'),
    saveHealthSettings: (config: HealthConfig) =>
      call<{ config: HealthConfig; version: number; recompute: 'started' | 'running' }>(
        'PUT',
        '/hubspot/settings/health',
        {},
        { config },
      ),
    previewHealthSettings: (config: HealthConfig) =>
      call<TierDistribution>('POST', '/hubspot/settings/health/preview', {}, { config }),
    listRules: () => call<{ rules: RecommendationRule[] }>('GET', '/hubspot/api/v1/rules'),
    createRule: (rule: RuleInput) =>
      call<RecommendationRule>('POST', '/hubspot/api/v1/rules', {}, rule as Record<string, unknown>),
    updateRule: (ruleId: string, rule: RuleInput) =>
      call<RecommendationRule>(
        'PUT',
        `/hubspot/api/v1/rules/${id(ruleId)}`,
        {},
        rule as Record<string, unknown>,
      ),
    renewals: (within: 30 | 60 | 90 | 180) =>
      call<RenewalList>('GET', '/hubspot/api/v1/renewals', { within: String(within) }),
  };
}

export type PulseClient = ReturnType<typeof createPulseClient>;

/** A message fit for an alert, whatever was thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof PulseApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
