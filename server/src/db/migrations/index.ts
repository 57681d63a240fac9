import type { Migration } from 'kysely';

import * as foundation from './001_foundation';
import * as hubspot from './002_hubspot';
import * as recommendationsFlags from './003_recommendations_flags';
import * as consoleAuth from './005_console';
import * as alertsWorkflows from './006_alerts_workflows';
import * as accountListIndexes from './008_account_list_indexes';
import * as scoringPerformance from './009_scoring_performance';
import * as resultAsJson from './010_result_as_json';
import * as usageMetricNames from './011_usage_metric_names';
import * as hubspotCompanyCard from './012_hubspot_company_card';
import * as resultAsText from './013_result_as_text';
import * as hubspotCompanyCards from './014_hubspot_company_cards';
import * as scoringInputs from './015_scoring_inputs';

/**
 * Every migration, in order. Names sort in application order; add one line per new file
 * (002 HubSpot, 003 recommendations/flags, 004 Salesforce, 005 console auth, 006 alerts/workflows,
 * 007 HubSpot app).
 */
export const migrations: Record<string, Migration> = {
  '001_foundation': foundation,
  '002_hubspot': hubspot,
  '003_recommendations_flags': recommendationsFlags,
  '005_console': consoleAuth,
  '006_alerts_workflows': alertsWorkflows,
  '008_account_list_indexes': accountListIndexes,
  '009_scoring_performance': scoringPerformance,
  '010_result_as_json': resultAsJson,
  '011_usage_metric_names': usageMetricNames,
  '012_hubspot_company_card': hubspotCompanyCard,
  '013_result_as_text': resultAsText,
  '014_hubspot_company_cards': hubspotCompanyCards,
  '015_scoring_inputs': scoringInputs,
};
