import type { ConsoleAccountRow } from '@pulse/shared/api/console';
import type { HealthConfig } from '@pulse/shared/health/index';
import { useEffect, useState } from 'react';

import { queryString } from '../api';
import { ErrorMessage, Loading } from '../components/ui';
import { day, money, number, tierClass } from '../format';
import { Link, navigate, useLocation } from '../router';
import { useApi } from '../useApi';

interface AccountTable {
  accounts: ConsoleAccountRow[];
  total: number;
  page: number;
  pageSize: number;
  owners: { id: string; name: string | null }[];
}

const columns = [
  { key: 'name', label: 'Account' },
  { key: 'score', label: 'Health' },
  { key: null, label: 'Tier' },
  { key: 'churnRisk', label: 'Churn risk' },
  { key: 'arr', label: 'ARR' },
  { key: null, label: 'Open flags' },
  { key: 'renewal', label: 'Next renewal' },
  { key: null, label: 'Owner' },
] as const;

export function AccountsPage() {
  const { search } = useLocation();
  const filters = {
    search: search.get('search') ?? '',
    tier: search.get('tier') ?? '',
    ownerId: search.get('ownerId') ?? '',
    flags: search.get('flags') ?? '',
    renewalWithin: search.get('renewalWithin') ?? '',
    sort: search.get('sort') ?? 'name',
    order: search.get('order') ?? 'asc',
    page: search.get('page') ?? '1',
  };
  const [text, setText] = useState(filters.search);
  const path = `/api/v1/console/accounts${queryString({ ...filters, pageSize: 25 })}`;
  const { data, error, loading } = useApi<AccountTable>(path);
  const health = useApi<{ config: HealthConfig }>('/api/v1/settings/health');

  const update = (changes: Partial<typeof filters>) => {
    const next = { ...filters, page: '1', ...changes };
    navigate(`/accounts${queryString(next)}`, { replace: true });
  };

  // Search as you type, after a short pause so each keystroke is not a request.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the typed text triggers a search
  useEffect(() => {
    if (text === filters.search) return;
    const timer = setTimeout(() => update({ search: text }), 300);
    return () => clearTimeout(timer);
  }, [text]);

  const sortBy = (key: string) =>
    update({ sort: key, order: filters.sort === key && filters.order === 'asc' ? 'desc' : 'asc' });
  const page = Number(filters.page);
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <>
      <h1>Accounts</h1>
      <form className="filters" aria-label="Filter accounts" onSubmit={(event) => event.preventDefault()}>
        <label>
          Search
          <input
            type="search"
            value={text}
            placeholder="Name or domain"
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label>
          Tier
          <select value={filters.tier} onChange={(e) => update({ tier: e.target.value })}>
            <option value="">All tiers</option>
            {health.data?.config.tiers.map((tier) => (
              <option key={tier.key} value={tier.key}>
                {tier.label}
              </option>
            ))}
            <option value="unscored">Not scored</option>
          </select>
        </label>
        <label>
          Owner
          <select value={filters.ownerId} onChange={(e) => update({ ownerId: e.target.value })}>
            <option value="">All owners</option>
            {data?.owners.map((owner) => (
              <option key={owner.id} value={owner.id}>
                {owner.name ?? owner.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Flags
          <select value={filters.flags} onChange={(e) => update({ flags: e.target.value })}>
            <option value="">Any</option>
            <option value="open">With open flags</option>
            <option value="none">No open flags</option>
          </select>
        </label>
        <label>
          Renewal
          <select value={filters.renewalWithin} onChange={(e) => update({ renewalWithin: e.target.value })}>
            <option value="">Any time</option>
            {[30, 60, 90, 180].map((days) => (
              <option key={days} value={days}>
                Within {days} days
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorMessage error={error} />
      {!data ? (
        <Loading what="accounts" />
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {number(data.total)} accounts{loading ? ' · updating…' : ''}
          </p>
          <div className="table-scroll">
            <table>
              <caption className="sr-only">Accounts, sorted by {filters.sort}</caption>
              <thead>
                <tr>
                  {columns.map((column) => (
                    <th
                      key={column.label}
                      scope="col"
                      aria-sort={
                        column.key && filters.sort === column.key
                          ? filters.order === 'asc'
                            ? 'ascending'
                            : 'descending'
                          : undefined
                      }
                    >
                      {column.key ? (
                        <button type="button" className="sort" onClick={() => sortBy(column.key!)}>
                          {column.label}
                          <span aria-hidden="true">
                            {filters.sort === column.key ? (filters.order === 'asc' ? ' ▲' : ' ▼') : ''}
                          </span>
                        </button>
                      ) : (
                        column.label
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.accounts.map((account) => (
                  <tr key={account.id}>
                    <td>
                      <Link href={`/accounts/${encodeURIComponent(account.id)}`}>{account.name}</Link>
                    </td>
                    <td className="num">{number(account.score, 1)}</td>
                    <td>
                      <span className={tierClass(account.tier)}>
                        {health.data?.config.tiers.find((tier) => tier.key === account.tier)?.label ??
                          account.tier ??
                          'Not scored'}
                      </span>
                    </td>
                    <td className="num">{number(account.churnRisk, 0)}</td>
                    <td className="num">{money(account.arr)}</td>
                    <td className="num">{account.openFlags}</td>
                    <td>{day(account.nextRenewalDate)}</td>
                    <td>{account.ownerName ?? '—'}</td>
                  </tr>
                ))}
                {data.accounts.length === 0 ? (
                  <tr>
                    <td colSpan={columns.length} className="muted">
                      No accounts match these filters.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pages">
            <button type="button" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
              Previous
            </button>
            <span>
              Page {page} of {pages}
            </span>
            <button type="button" disabled={page >= pages} onClick={() => update({ page: String(page + 1) })}>
              Next
            </button>
          </nav>
        </>
      )}
    </>
  );
}
