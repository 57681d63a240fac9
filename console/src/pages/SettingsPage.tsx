import { type KeyboardEvent, useRef } from 'react';

import { navigate, useLocation } from '../router';
import { canEditSettings, useSession } from '../session';
import { ApiKeysTab } from './settings/ApiKeysTab';
import { ConnectionsTab } from './settings/ConnectionsTab';
import { DataTab } from './settings/DataTab';
import { HealthTab } from './settings/HealthTab';
import { RenewalsTab } from './settings/RenewalsTab';
import { RulesTab } from './settings/RulesTab';
import { UsersTab } from './settings/UsersTab';

/** Seed 000's three tabs (health score, recommendations, renewals) plus data, CRM, API keys and users. */
export function SettingsPage() {
  const session = useSession();
  const admin = canEditSettings(session);
  const tabs = [
    { key: 'health', label: 'Health score', render: () => <HealthTab /> },
    // Rules and renewals name accounts and products: not for read-only users (PRODUCT.md §6).
    ...(session.role !== 'read_only'
      ? [
          { key: 'recommendations', label: 'Product recommendations', render: () => <RulesTab /> },
          { key: 'renewals', label: 'Upcoming renewals', render: () => <RenewalsTab /> },
        ]
      : []),
    { key: 'data', label: 'Data retention', render: () => <DataTab /> },
    ...(admin
      ? [
          { key: 'crm', label: 'CRM connections', render: () => <ConnectionsTab /> },
          { key: 'api-keys', label: 'Usage API keys', render: () => <ApiKeysTab /> },
          { key: 'users', label: 'Users', render: () => <UsersTab /> },
        ]
      : []),
  ];
  const { search } = useLocation();
  const current = tabs.find((tab) => tab.key === search.get('tab')) ?? tabs[0]!;
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  const select = (key: string) => navigate(`/settings?tab=${key}`, { replace: true });
  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = (index + step + tabs.length) % tabs.length;
    select(tabs[next]!.key);
    buttons.current[next]?.focus();
  };

  return (
    <>
      <h1>Settings</h1>
      {!admin ? (
        <p className="notice" role="note">
          You can view these settings; only admins can change them.
        </p>
      ) : null}
      <div role="tablist" aria-label="Settings sections" className="tabs">
        {tabs.map((tab, index) => (
          <button
            key={tab.key}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.key}`}
            aria-selected={tab.key === current.key}
            aria-controls={`panel-${tab.key}`}
            tabIndex={tab.key === current.key ? 0 : -1}
            onClick={() => select(tab.key)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${current.key}`}
        aria-labelledby={`tab-${current.key}`}
        className="tabpanel"
      >
        {current.render()}
      </div>
    </>
  );
}
