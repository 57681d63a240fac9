import type { DashboardResponse } from '@pulse/shared/api/dashboard';

import { BarChart, LineChart } from '../components/charts';
import { ErrorMessage, Loading, Panel, Tile } from '../components/ui';
import { compactMoney, money, number, signed, tierClass } from '../format';
import { Link } from '../router';
import { canSeeAccounts, useSession } from '../session';
import { useApi } from '../useApi';

export function DashboardPage() {
  const session = useSession();
  const { data, error } = useApi<DashboardResponse>('/api/v1/dashboard');
  if (error) return <ErrorMessage error={error} />;
  if (!data) return <Loading what="the dashboard" />;
  const { kpis } = data;
  const linkAccounts = canSeeAccounts(session);

  return (
    <>
      <h1>Portfolio</h1>
      <p className="muted">
        {number(data.accounts)} accounts · {money(data.totalArr)} ARR · {session.tenantName}
      </p>
      <div className="tiles">
        <Tile
          label="Average health"
          value={number(kpis.averageHealth.value, 1)}
          note={kpis.averageHealth.explanation}
        />
        <Tile
          label="Adoption rate"
          value={kpis.adoptionRate.value === null ? '—' : `${number(kpis.adoptionRate.value, 1)}%`}
          note={kpis.adoptionRate.explanation}
        />
        <Tile
          label="Time to value"
          value={kpis.timeToValueDays.value === null ? '—' : `${number(kpis.timeToValueDays.value, 0)} days`}
          note={kpis.timeToValueDays.explanation}
        />
        <Tile
          label="Renewal risk"
          value={number(kpis.renewalRisk.value, 1)}
          note={kpis.renewalRisk.explanation}
        />
        <Tile
          label="Expansion signal"
          value={number(kpis.expansionSignal.value, 1)}
          note={kpis.expansionSignal.explanation}
        />
        <Tile
          label="ARR at risk"
          value={money(data.arrAtRisk.arr)}
          note={`${data.arrAtRisk.accounts} accounts · ${data.arrAtRisk.explanation}`}
        />
      </div>

      <div className="columns">
        <Panel title="Health distribution">
          <BarChart
            title="Accounts per health tier"
            bars={data.tiers.map((tier) => ({
              key: tier.key,
              label: tier.label,
              value: tier.count,
              note: money(tier.arr),
            }))}
            format={(value) => number(value)}
          />
          <table className="compact">
            <caption className="sr-only">Accounts and ARR per tier</caption>
            <thead>
              <tr>
                <th scope="col">Tier</th>
                <th scope="col" className="num">
                  Accounts
                </th>
                <th scope="col" className="num">
                  ARR
                </th>
              </tr>
            </thead>
            <tbody>
              {data.tiers.map((tier) => (
                <tr key={tier.key}>
                  <td>
                    <span className={tierClass(tier.key)}>{tier.label}</span>
                  </td>
                  <td className="num">{number(tier.count)}</td>
                  <td className="num">{money(tier.arr)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel title="Health trend (90 days)">
          <LineChart
            title="Average health score per day"
            series={[
              {
                key: 'average',
                label: 'Average health',
                points: data.trend.map((point) => ({ x: point.day, y: point.averageScore })),
              },
            ]}
          />
        </Panel>
      </div>

      <div className="columns">
        <Panel title="Renewals due">
          <table className="compact">
            <thead>
              <tr>
                <th scope="col">Within</th>
                <th scope="col" className="num">
                  Accounts
                </th>
                <th scope="col" className="num">
                  ARR
                </th>
              </tr>
            </thead>
            <tbody>
              {data.renewals.map((bucket) => (
                <tr key={bucket.withinDays}>
                  <td>{bucket.withinDays} days</td>
                  <td className="num">{number(bucket.count)}</td>
                  <td className="num">{compactMoney(bucket.arr)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {session.role !== 'read_only' ? (
            <p>
              <Link href="/settings?tab=renewals">All upcoming renewals</Link>
            </p>
          ) : null}
        </Panel>
        <Panel title="Biggest movers this week">
          {data.movers.length === 0 ? (
            <p className="muted">No scores a week old to compare with yet.</p>
          ) : (
            <table className="compact">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col" className="num">
                    Score
                  </th>
                  <th scope="col" className="num">
                    Change (7 days)
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.movers.map((mover) => (
                  <tr key={mover.accountId}>
                    <td>
                      {linkAccounts ? (
                        <Link href={`/accounts/${encodeURIComponent(mover.accountId)}`}>
                          {mover.accountName}
                        </Link>
                      ) : (
                        mover.accountName
                      )}
                    </td>
                    <td className="num">{number(mover.score, 1)}</td>
                    <td className={`num ${mover.change < 0 ? 'down' : 'up'}`}>{signed(mover.change)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>
    </>
  );
}
