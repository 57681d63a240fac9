import { Tab, Tabs } from '@hubspot/ui-extensions';

import type { PulseClient } from '../shared/pulse-client';
import { HealthScoreTab } from './HealthScoreTab';
import { RecommendationRulesTab } from './RecommendationRulesTab';
import { RenewalsTab } from './RenewalsTab';

/** The three tabs of the customer-success settings page (seed 000). */
export function SettingsPage({ client, now = () => new Date() }: { client: PulseClient; now?: () => Date }) {
  return (
    <Tabs defaultSelected="health" variant="enclosed">
      <Tab tabId="health" title="Health score">
        <HealthScoreTab client={client} />
      </Tab>
      <Tab tabId="rules" title="Product recommendations">
        <RecommendationRulesTab client={client} />
      </Tab>
      <Tab tabId="renewals" title="Upcoming renewals">
        <RenewalsTab client={client} now={now} />
      </Tab>
    </Tabs>
  );
}
