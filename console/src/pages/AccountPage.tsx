import type { AccountHealthResult } from '@pulse/shared/api/accounts';
import type { FlagItem } from '@pulse/shared/api/flags';
import type { CreatedOpportunity, RecommendationItem } from '@pulse/shared/api/recommendations';
import { useState } from 'react';

import { api } from '../api';
import { LineChart } from '../components/charts';
import { ErrorMessage, Loading, Panel, Tile } from '../components/ui';
import { dateTime, day, money, number, signed, tierClass } from '../format';
import { Link } from '../router';
import { canActOnAccounts, useSession } from '../session';
import { useApi } from '../useApi';

interface Usage {
  usage: {
    day: string;
    activeUsers: number;
    licensedSeats: number | null;
    logins: number;
    apiCalls: number;
  }[];
}

export function AccountPage({ accountId }: { accountId: string }) {
  const base = `/api/v1/accounts/${encodeURIComponent(accountId)}`;
  const health = useApi<AccountHealthResult>(`${base}/health`);
  if (health.error) return <ErrorMessage error={health.error} />;
  if (!health.data) return <Loading what="the account" />;
  if (health.data.status === 'not_scored') {
    return (
      <>
        <p>
          <Link href="/accounts">← Accounts</Link>
        </p>
        <h1>{health.data.accountName}</h1>
        <p>{health.data.message}</p>
      </>
    );
  }
  const account = health.data;
  const { health: result } = account;
  return (
    <>
      <p>
        <Link href="/accounts">← Accounts</Link>
      </p>
      <h1>{account.accountName}</h1>
      <p className="muted">
        Owner {account.ownerName ?? '—'} · scored {dateTime(account.computedAt)}
      </p>
      <div className="tiles">
        <Tile
          label="Health score"
          value={
            <>
              {number(result.score, 1)}{' '}
              <span className={tierClass(result.tier)}>{result.tierLabel ?? 'Not scored'}</span>
            </>
          }
          note={`${signed(account.trend30d)} in 30 days`}
        />
        <Tile
          label="Data coverage"
          value={`${number(result.coverage, 0)}%`}
          note={
            result.lowCoverage
              ? 'Low coverage: treat this score with care'
              : 'Share of the weight backed by data'
          }
        />
        <Tile
          label="Churn risk"
          value={number(account.churnRisk.value, 0)}
          note={account.churnRisk.explanation}
        />
        <Tile
          label="Upsell score"
          value={number(account.upsell.value, 0)}
          note={account.upsell.explanation}
        />
        <Tile label="CLTV" value={money(account.cltv.value)} note={account.cltv.explanation} />
        <Tile label="Next renewal" value={day(account.nextRenewalDate)} note={`${money(account.arr)} ARR`} />
      </div>

      <Panel title="Factors">
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Factor</th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col" className="num">
                  Weight
                </th>
                <th scope="col" className="num">
                  Points
                </th>
                <th scope="col">Why</th>
                <th scope="col">As of</th>
              </tr>
            </thead>
            <tbody>
              {result.factors.map((factor) => (
                <tr key={factor.key}>
                  <th scope="row">{factor.label}</th>
                  <td className="num">{factor.value === null ? 'no data' : number(factor.value, 0)}</td>
                  <td className="num">{factor.weight}%</td>
                  <td className="num">{number(factor.points, 1)}</td>
                  <td>{factor.explanation}</td>
                  <td>{day(factor.asOf)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="columns">
          <div>
            <h3>Driving it up</h3>
            <DriverList drivers={result.drivers.up} />
          </div>
          <div>
            <h3>Driving it down</h3>
            <DriverList drivers={result.drivers.down} />
          </div>
        </div>
      </Panel>

      <div className="columns">
        <FlagsPanel base={base} />
        <RecommendationsPanel base={base} />
      </div>

      <Panel title="Score history">
        <LineChart
          title="Health score and factor values over the last 90 days"
          series={[
            {
              key: 'score',
              label: 'Health score',
              points: account.history.map((point) => ({ x: point.computedAt.slice(0, 10), y: point.score })),
            },
            ...result.factors.map((factor) => ({
              key: factor.key,
              label: factor.label,
              points: account.history.map((point) => ({
                x: point.computedAt.slice(0, 10),
                y: point.factors[factor.key]?.value ?? null,
              })),
            })),
          ]}
        />
      </Panel>
      <UsagePanel base={base} />
    </>
  );
}

function DriverList({
  drivers,
}: {
  drivers: { factorKey: string; label: string; pointsChange: number; explanation: string }[];
}) {
  if (drivers.length === 0) return <p className="muted">No change since the last score.</p>;
  return (
    <ul>
      {drivers.map((driver) => (
        <li key={driver.factorKey}>
          <strong>
            {driver.label} {signed(driver.pointsChange)}
          </strong>{' '}
          — {driver.explanation}
        </li>
      ))}
    </ul>
  );
}

function FlagsPanel({ base }: { base: string }) {
  const session = useSession();
  const { data, error, reload } = useApi<{ flags: FlagItem[] }>(`${base}/flags`);
  const [actionError, setActionError] = useState<unknown>(null);
  const act = async (flag: FlagItem, action: 'resolve' | 'acknowledge') => {
    setActionError(null);
    try {
      await api('POST', `/api/v1/flags/${encodeURIComponent(flag.id)}/${action}`);
      reload();
    } catch (failure) {
      setActionError(failure);
    }
  };
  const flags = data?.flags ?? [];
  const open = flags.filter((flag) => flag.status !== 'resolved');
  const closed = flags.filter((flag) => flag.status === 'resolved');
  return (
    <Panel title={`Flags (${open.length} open)`}>
      <ErrorMessage error={error ?? actionError} />
      {open.length === 0 ? <p className="muted">No open flags.</p> : null}
      <ul className="flag-list">
        {open.map((flag) => (
          <li key={flag.id} className={`flag flag-${flag.severity}`}>
            <p>
              <strong>{flag.title}</strong> <span className="badge">{flag.severity}</span>{' '}
              {flag.status === 'acknowledged' ? (
                <span className="badge">acknowledged, not actioned</span>
              ) : null}
            </p>
            <p className="small">{flag.recommendedAction}</p>
            <p className="small muted">Opened {day(flag.openedAt)}</p>
            {canActOnAccounts(session) ? (
              <div className="actions">
                <button type="button" onClick={() => act(flag, 'resolve')}>
                  Resolve
                </button>
                {flag.status === 'open' ? (
                  <button type="button" onClick={() => act(flag, 'acknowledge')}>
                    Acknowledge
                  </button>
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {closed.length > 0 ? (
        <details>
          <summary>Flag history ({closed.length} resolved)</summary>
          <ul>
            {closed.map((flag) => (
              <li key={flag.id}>
                {flag.title} — opened {day(flag.openedAt)}, resolved {day(flag.resolvedAt)}
                {flag.resolvedBy ? ` by ${flag.resolvedBy}` : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </Panel>
  );
}

function RecommendationsPanel({ base }: { base: string }) {
  const session = useSession();
  const { data, error, reload } = useApi<{ recommendations: RecommendationItem[] }>(
    `${base}/recommendations`,
  );
  const [status, setStatus] = useState<string>('');
  const [actionError, setActionError] = useState<unknown>(null);
  const create = async (item: RecommendationItem) => {
    setActionError(null);
    try {
      const created = await api<CreatedOpportunity>('POST', `${base}/opportunities`, {
        productId: item.productId,
      });
      setStatus(
        created.created
          ? `Created opportunity "${created.name}" (${money(created.amount)})`
          : `An open opportunity for ${item.productName} already exists`,
      );
      reload();
    } catch (failure) {
      setActionError(failure);
    }
  };
  const top = (data?.recommendations ?? []).slice(0, 3);
  return (
    <Panel title="Top recommendations">
      <ErrorMessage error={error ?? actionError} />
      {data && top.length === 0 ? <p className="muted">No recommendation rule fits this account.</p> : null}
      <ol className="recommendations">
        {top.map((item) => (
          <li key={item.ruleId}>
            <p>
              <strong>{item.productName}</strong> <span className="badge">{number(item.score, 0)}</span>
            </p>
            <p className="small">{item.explanation}</p>
            {item.openOpportunity ? (
              <p className="small">
                Opportunity open
                {item.openOpportunity.url ? (
                  <>
                    {' '}
                    — <a href={item.openOpportunity.url}>view in CRM</a>
                  </>
                ) : null}
              </p>
            ) : session.role !== 'read_only' ? (
              <button type="button" onClick={() => create(item)}>
                Create Opportunity
              </button>
            ) : null}
          </li>
        ))}
      </ol>
      <p role="status" className="small">
        {status}
      </p>
    </Panel>
  );
}

function UsagePanel({ base }: { base: string }) {
  const { data } = useApi<Usage>(`${base}/usage?days=90`);
  if (!data) return null;
  return (
    <Panel title="Product usage (90 days)">
      {data.usage.length === 0 ? (
        <p className="muted">No usage reported for this account.</p>
      ) : (
        <LineChart
          title="Daily active users and licensed seats"
          maxY={1}
          series={[
            {
              key: 'active',
              label: 'Active users',
              points: data.usage.map((point) => ({ x: point.day, y: point.activeUsers })),
            },
            {
              key: 'seats',
              label: 'Licensed seats',
              points: data.usage.map((point) => ({ x: point.day, y: point.licensedSeats })),
            },
          ]}
        />
      )}
    </Panel>
  );
}
