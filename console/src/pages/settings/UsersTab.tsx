import { type ConsoleRole, type ConsoleUser, consoleRoles, roleLabels } from '@pulse/shared/api/users';
import { type FormEvent, useState } from 'react';

import { api } from '../../api';
import { ErrorMessage, Loading } from '../../components/ui';
import { day } from '../../format';
import { useSession } from '../../session';
import { useApi } from '../../useApi';

const roleHelp: Record<ConsoleRole, string> = {
  admin: 'everything, including settings',
  csm: 'reads and acts on their own accounts',
  account_executive: 'reads their own accounts and expansion signals',
  read_only: 'dashboard and metrics only',
};

export function UsersTab() {
  const session = useSession();
  const { data, error, reload } = useApi<{ users: ConsoleUser[] }>('/api/v1/users');
  const [form, setForm] = useState({ email: '', password: '', role: 'csm' as ConsoleRole, ownerId: '' });
  const [actionError, setActionError] = useState<unknown>(null);
  const [status, setStatus] = useState('');

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setActionError(null);
    try {
      await api('POST', '/api/v1/users', { ...form, ownerId: form.ownerId.trim() || null });
      setStatus(`Added ${form.email}`);
      setForm({ email: '', password: '', role: 'csm', ownerId: '' });
      reload();
    } catch (failure) {
      setActionError(failure);
    }
  };
  const update = async (user: ConsoleUser, changes: Record<string, unknown>) => {
    setActionError(null);
    try {
      await api('PUT', `/api/v1/users/${encodeURIComponent(user.id)}`, changes);
      reload();
    } catch (failure) {
      setActionError(failure);
    }
  };

  if (error) return <ErrorMessage error={error} />;
  if (!data) return <Loading what="users" />;
  return (
    <>
      <h2>Users</h2>
      <ul className="small muted">
        {consoleRoles.map((role) => (
          <li key={role}>
            <strong>{roleLabels[role]}</strong>: {roleHelp[role]}
          </li>
        ))}
      </ul>
      <ErrorMessage error={actionError} />
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">CRM owner id</th>
            <th scope="col">Since</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {data.users.map((user) => (
            <tr key={user.id}>
              <td>{user.email}</td>
              <td>
                <select
                  aria-label={`Role of ${user.email}`}
                  value={user.role}
                  disabled={user.email === session.email}
                  onChange={(event) => update(user, { role: event.target.value })}
                >
                  {consoleRoles.map((role) => (
                    <option key={role} value={role}>
                      {roleLabels[role]}
                    </option>
                  ))}
                </select>
              </td>
              <td>{user.ownerId ?? '—'}</td>
              <td>{day(user.createdAt)}</td>
              <td>
                {user.email === session.email ? (
                  'You'
                ) : (
                  <button type="button" onClick={() => update(user, { disabled: !user.disabled })}>
                    {user.disabled ? 'Enable' : 'Disable'}
                    <span className="sr-only"> {user.email}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="panel grid-form" onSubmit={create} aria-label="Add a user">
        <h3 className="wide">Add a user</h3>
        <label>
          Email
          <input
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
            required
          />
        </label>
        <label>
          Password (8+ characters)
          <input
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            required
            minLength={8}
          />
        </label>
        <label>
          Role
          <select
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value as ConsoleRole })}
          >
            {consoleRoles.map((role) => (
              <option key={role} value={role}>
                {roleLabels[role]}
              </option>
            ))}
          </select>
        </label>
        <label>
          CRM owner id (CSM, account executive)
          <input value={form.ownerId} onChange={(e) => setForm({ ...form, ownerId: e.target.value })} />
        </label>
        <div className="actions wide">
          <button type="submit" className="primary">
            Add user
          </button>
          <span role="status">{status}</span>
        </div>
      </form>
    </>
  );
}
