import { hubspot } from '@hubspot/ui-extensions';

import { createPulseClient } from '../shared/pulse-client';
import { RecordHealth } from './record/RecordHealth';

/** Entry point of the deal and ticket sidebar card (record-health-card-hsmeta.json). */
hubspot.extend<'crm.record.sidebar'>(() => <RecordHealth client={createPulseClient({ surface: 'card' })} />);
