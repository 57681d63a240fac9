import type { RenewalList } from '@pulse/shared/api/renewals';
import type { HealthConfig } from '@pulse/shared/health/index';

import { queryString } from '../../api';
import { ErrorMessage, Loading } from '../../components/ui';
import { money, number, tierClass } from '../../format';
import { Link, navigate, useLocation } from '../../router';
import { useApi } from '../../useApi';

const windows = [30, 60, 90, 180] as const;
const sortable = [
  { key: 'account', label: 'Account' },
  { key: 'product', label: 'Product' },
  { key: 'mrr', label: 'MRR' },
  { key: 'renewalDate', label: 'Renewal date' },
  { key: 'daysLeft', label: 'Days left' },
] as const;

export function RenewalsTab() {
  const { search } = useLocation();
  const within = search.get('within') ?? '90';
  const sort = search.get('sort') ?? 'renewalDate';
  const order = search.get('order') ?? 'asc';
  const query = queryString({ within, sort, order });
  const { data, error } = useApi<RenewalList>(`/api/v1/renewals${query}`);
  const health = useApi<{ config: HealthConfig }>('/api/v1/settings/health');
  const tierLabel = (key: string) => health.data?.config.tiers.find((tier) => tier.key === key)?.label ?? key;
  const update = (changes: Record<string, string>) =>
    navigate(`/settings${queryString({ tab: 'renewals', within, sort, order, ...changes })}`, {
      replace: true,
    });

  return (
    <>
      <div className="panel-head">
        <h2>Upcoming renewals</h2>
        <div className="actions">
          <label className="inline">
            Days
            <select value={within} onChange={(event) => update({ within: event.target.value })}>
              {windows.map((days) => (
                <option key={days} value={days}>
                  Next {days} days
                </option>
              ))}
            </select>
          </label>
          <a
            className="button"
            href={`/api/v1/renewals.csv${query}`}
            download={`renewals-${within}-days.csv`}
          >
            Download CSV
          </a>
        </div>
      </div>
      <ErrorMessage error={error} />
      {!data ? (
        <Loading what="renewals" />
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {number(data.totals.count)} renewals · {money(data.totals.mrr)} MRR (overdue renewals included)
          </p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  {sortable.map((column) => (
                    <th
                      key={column.key}
                      scope="col"
                      aria-sort={
                        sort === column.key ? (order === 'asc' ? 'ascending' : 'descending') : undefined
                      }
                    >
                      <button
                        type="button"
                        className="sort"
                        onClick={() =>
                          update({
                            sort: column.key,
                            order: sort === column.key && order === 'asc' ? 'desc' : 'asc',
                          })
                        }
                      >
                        {column.label}
                        <span aria-hidden="true">
                          {sort === column.key ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
                        </span>
                      </button>
                    </th>
                  ))}
                  {[
                    { key: 'autoRenew', label: 'Auto-renew' },
                    { key: 'owner', label: 'Owner' },
                  ].map((column) => (
                    <th
                      key={column.key}
                      scope="col"
                      aria-sort={
                        sort === column.key ? (order === 'asc' ? 'ascending' : 'descending') : undefined
                      }
                    >
                      <button
                        type="button"
                        className="sort"
                        onClick={() =>
                          update({
                            sort: column.key,
                            order: sort === column.key && order === 'asc' ? 'desc' : 'asc',
                          })
                        }
                      >
                        {column.label}
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.renewals.map((renewal) => (
                  <tr key={renewal.subscriptionId}>
                    <td>
                      <Link href={`/accounts/${encodeURIComponent(renewal.accountId)}`}>
                        {renewal.accountName}
                      </Link>{' '}
                      {renewal.tier ? (
                        <span className={tierClass(renewal.tier)}>{tierLabel(renewal.tier)}</span>
                      ) : null}
                    </td>
                    <td>{renewal.productName}</td>
                    <td className="num">{money(renewal.mrr)}</td>
                    <td>{renewal.renewalDate}</td>
                    <td className={`num days days-${renewal.band}`}>
                      {renewal.daysLeft < 0 ? `${-renewal.daysLeft} overdue` : renewal.daysLeft}
                    </td>
                    <td>{renewal.autoRenew ? 'Yes' : 'No'}</td>
                    <td>{renewal.ownerName ?? '—'}</td>
                  </tr>
                ))}
                {data.renewals.length === 0 ? (
                  <tr>
                    <td colSpan={7} className="muted">
                      No renewals in the next {within} days.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
