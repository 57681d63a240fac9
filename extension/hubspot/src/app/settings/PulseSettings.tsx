import { hubspot } from '@hubspot/ui-extensions';

import { createPulseClient } from '../shared/pulse-client';
import { SettingsPage } from './SettingsPage';

/** Entry point of the app settings page (settings-hsmeta.json). */
hubspot.extend<'settings'>(() => <SettingsPage client={createPulseClient({ surface: 'settings' })} />);
