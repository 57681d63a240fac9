/**
 * Salesforce facts Pulse relies on, in one place, each with the vendor page that states it.
 */

/** Pinned so a Salesforce release never changes response shapes under us. */
export const SALESFORCE_API_VERSION = '62.0';

/** Rows per SOQL page (the default query batch size; larger is not possible over REST).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm */
export const QUERY_PAGE_SIZE = 2000;

/** Records per sObject Collections create/update call.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm */
export const COLLECTION_SIZE = 200;

/** getDeleted only reaches back this far (the recycle bin retention).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm */
export const DELETED_RETENTION_DAYS = 30;

/** Response header carrying the org's rolling 24-hour API usage: `api-usage=18/15000`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm */
export const LIMIT_INFO_HEADER = 'Sforce-Limit-Info';

/** Share of the daily allowance Pulse may use, leaving the rest for the org's other integrations. */
export const DEFAULT_API_BUDGET_SHARE = 0.8;

/** The daily allowance is a rolling 24 hours; an hour is a reasonable time to look again.
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm */
export const BUDGET_RETRY_AFTER_MS = 60 * 60 * 1000;

export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

/** OAuth 2.0 web-server flow and JWT bearer flow.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm */
export const OAUTH_AUTHORIZE_PATH = '/services/oauth2/authorize';
export const OAUTH_TOKEN_PATH = '/services/oauth2/token';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const OAUTH_SCOPES = ['api', 'refresh_token'] as const;

/** Opportunity fields Pulse sets on the opportunities it creates (see docs/salesforce.md). */
export const PULSE_PRODUCT_FIELD = 'Pulse_Product_Id__c';

/** Standard Account fields copied into Account.attributes unless configured otherwise. */
export const DEFAULT_ACCOUNT_ATTRIBUTE_FIELDS = ['Type', 'Rating'] as const;
