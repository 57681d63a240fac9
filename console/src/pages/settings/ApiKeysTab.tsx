import { type FormEvent, useState } from 'react';

import { api } from '../../api';
import { ErrorMessage, Loading } from '../../components/ui';
import { dateTime } from '../../format';
import { useApi } from '../../useApi';

interface ApiKey {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function ApiKeysTab() {
  const { data, error, reload } = useApi<{ keys: ApiKey[] }>('/api/v1/settings/api-keys');
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setActionError(null);
    try {
      const result = await api<{ key: string; apiKey: ApiKey }>('POST', '/api/v1/settings/api-keys', {
        label,
      });
      setCreated(result.key);
      setLabel('');
      reload();
    } catch (failure) {
      setActionError(failure);
    }
  };
  const revoke = async (key: ApiKey) => {
    if (!window.confirm(`Revoke "${key.label}"? Callers using it stop working at once.`)) return;
    setActionError(null);
    try {
      await api('DELETE', `/api/v1/settings/api-keys/${encodeURIComponent(key.id)}`);
      reload();
    } catch (failure) {
      setActionError(failure);
    }
  };

  if (error) return <ErrorMessage error={error} />;
  if (!data) return <Loading what="API keys" />;
  return (
    <>
      <h2>Usage API keys</h2>
      <p className="muted small">
        Product-usage ingest (<code>POST /api/v1/usage</code>) authenticates with{' '}
        <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <form className="inline-form" onSubmit={create}>
        <label>
          Label
          <input
            value={label}
            onChange={(event) => setLabel(event.target.value)}
            required
            placeholder="e.g. data warehouse"
          />
        </label>
        <button type="submit" className="primary">
          Create key
        </button>
      </form>
      {created ? (
        <div className="notice" role="status">
          <p>Copy this key now; it is not shown again:</p>
          <code className="secret">{created}</code>
        </div>
      ) : null}
      <ErrorMessage error={actionError} />
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data.keys.map((key) => (
            <tr key={key.id}>
              <td>{key.label}</td>
              <td>{dateTime(key.createdAt)}</td>
              <td>{dateTime(key.lastUsedAt)}</td>
              <td>{key.revokedAt ? `Revoked ${dateTime(key.revokedAt)}` : 'Active'}</td>
              <td>
                {key.revokedAt ? null : (
                  <button type="button" onClick={() => revoke(key)}>
                    Revoke<span className="sr-only"> {key.label}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
          {data.keys.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                No keys yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </>
  );
}
