import { hubspot } from '@hubspot/ui-extensions';

import { createPulseClient } from '../shared/pulse-client';
import { CompanyHealth } from './company/CompanyHealth';

/** Entry point of the company record tab (company-health-card-hsmeta.json). */
hubspot.extend<'crm.record.tab'>(() => <CompanyHealth client={createPulseClient({ surface: 'card' })} />);
