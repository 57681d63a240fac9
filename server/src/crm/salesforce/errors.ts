import { CrmError, type CrmErrorCode } from '../adapter';
import { BUDGET_RETRY_AFTER_MS } from './constants';

/**
 * Salesforce errors -> the neutral codes, in one place. jsforce surfaces REST errors with the
 * `errorCode` of Salesforce's error array, OAuth errors with the `error` of the token endpoint as
 * their name, and transport failures as FetchError/AbortError.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */

const byErrorCode: Record<string, CrmErrorCode> = {
  REQUEST_LIMIT_EXCEEDED: 'RATE_LIMITED',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  INVALID_SESSION_ID: 'AUTH_EXPIRED',
  invalid_grant: 'AUTH_EXPIRED',
  invalid_client: 'AUTH_EXPIRED',
  invalid_client_id: 'AUTH_EXPIRED',
  INSUFFICIENT_ACCESS: 'INSUFFICIENT_SCOPE',
  INSUFFICIENT_ACCESS_OR_READONLY: 'INSUFFICIENT_SCOPE',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'INSUFFICIENT_SCOPE',
  API_DISABLED_FOR_ORG: 'INSUFFICIENT_SCOPE',
  API_CURRENTLY_DISABLED: 'INSUFFICIENT_SCOPE',
  NOT_FOUND: 'NOT_FOUND',
  ENTITY_IS_DELETED: 'NOT_FOUND',
  INVALID_CROSS_REFERENCE_KEY: 'NOT_FOUND',
  MALFORMED_ID: 'NOT_FOUND',
  MALFORMED_QUERY: 'INVALID',
  INVALID_FIELD: 'INVALID',
  INVALID_TYPE: 'INVALID',
  INVALID_FIELD_FOR_INSERT_UPDATE: 'INVALID',
  JSON_PARSER_ERROR: 'INVALID',
  REQUIRED_FIELD_MISSING: 'INVALID',
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'INVALID',
  STRING_TOO_LONG: 'INVALID',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'INVALID',
  EXCEEDED_ID_LIMIT: 'INVALID',
  INVALID_REPLICATION_DATE: 'INVALID',
  INVALID_QUERY_LOCATOR: 'TEMPORARY',
  SERVER_UNAVAILABLE: 'TEMPORARY',
  UNABLE_TO_LOCK_ROW: 'TEMPORARY',
  QUERY_TIMEOUT: 'TEMPORARY',
  UNKNOWN_EXCEPTION: 'TEMPORARY',
};

const transportErrors =
  /FetchError|AbortError|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|UND_ERR|network|timeout/i;

export function salesforceErrorCode(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const withCode = error as Error & { errorCode?: string };
  return withCode.errorCode ?? error.name ?? null;
}

export function classifySalesforceError(error: unknown, action: string): CrmError {
  if (error instanceof CrmError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const vendorCode = salesforceErrorCode(error) ?? '';
  const httpStatus = /^ERROR_HTTP_(\d{3})$/.exec(vendorCode)?.[1];
  let code: CrmErrorCode = byErrorCode[vendorCode] ?? 'UNKNOWN';
  if (code === 'UNKNOWN' && httpStatus) code = Number(httpStatus) >= 500 ? 'TEMPORARY' : 'UNKNOWN';
  if (code === 'UNKNOWN' && /^Unable to refresh session/.test(message)) code = 'AUTH_EXPIRED';
  if (code === 'UNKNOWN' && transportErrors.test(`${vendorCode} ${message}`)) code = 'TEMPORARY';
  const hint =
    code === 'RATE_LIMITED'
      ? ' (the org has used up its daily API allowance; Pulse resumes when it frees up)'
      : code === 'AUTH_EXPIRED'
        ? ' (reconnect Salesforce: the session could not be refreshed)'
        : '';
  return new CrmError(
    code,
    `Salesforce ${action} failed: ${vendorCode ? `${vendorCode}: ` : ''}${message}${hint}`,
    {
      cause: error,
      details: { vendorCode },
      ...(code === 'RATE_LIMITED' ? { retryAfterMs: BUDGET_RETRY_AFTER_MS } : {}),
      ...(httpStatus ? { status: Number(httpStatus) } : {}),
    },
  );
}
