import { ErrorMessage, Loading } from '../../components/ui';
import { dateTime } from '../../format';
import { useApi } from '../../useApi';

interface Connections {
  connection: {
    crm: string;
    externalId: string;
    status: string;
    lastError: string | null;
    connectedAt: string;
    updatedAt: string;
  } | null;
  streams: { stream: string; status: string; lastError: string | null; updatedAt: string }[];
}

export function ConnectionsTab() {
  const { data, error } = useApi<Connections>('/api/v1/settings/crm-connections');
  if (error) return <ErrorMessage error={error} />;
  if (!data) return <Loading what="CRM connections" />;
  const { connection } = data;
  return (
    <>
      <h2>CRM connection</h2>
      {connection ? (
        <dl className="facts">
          <dt>CRM</dt>
          <dd>
            {connection.crm === 'hubspot'
              ? 'HubSpot'
              : connection.crm === 'salesforce'
                ? 'Salesforce'
                : connection.crm}
          </dd>
          <dt>Portal / org</dt>
          <dd>{connection.externalId}</dd>
          <dt>Status</dt>
          <dd className={connection.status === 'connected' ? 'ok' : 'warning'}>{connection.status}</dd>
          {connection.lastError ? (
            <>
              <dt>Last error</dt>
              <dd>{connection.lastError}</dd>
            </>
          ) : null}
          <dt>Connected</dt>
          <dd>{dateTime(connection.connectedAt)}</dd>
        </dl>
      ) : (
        <p>
          No CRM is connected to this workspace. Connect HubSpot with <code>HUBSPOT_ACCESS_TOKEN</code> or
          OAuth, or Salesforce through <code>/oauth/salesforce/install</code> (see docs/hubspot.md and
          docs/salesforce.md).
        </p>
      )}
      <h2>Sync streams</h2>
      {data.streams.length === 0 ? (
        <p className="muted">Nothing has been synced yet.</p>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">Stream</th>
              <th scope="col">Status</th>
              <th scope="col">Last update</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {data.streams.map((stream) => (
              <tr key={stream.stream}>
                <td>{stream.stream}</td>
                <td>{stream.status}</td>
                <td>{dateTime(stream.updatedAt)}</td>
                <td>{stream.lastError ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
