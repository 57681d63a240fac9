import type { RecommendationRule, RuleSignal } from '@pulse/shared/recommendations/rules';
import { type FormEvent, useState } from 'react';

import { api } from '../../api';
import { ErrorMessage, Loading } from '../../components/ui';
import { canEditSettings, useSession } from '../../session';
import { useApi } from '../../useApi';

interface Product {
  id: string;
  name: string;
  monthlyPrice: number;
}

type Draft = Omit<RecommendationRule, 'id'>;

const emptyDraft = (productId: string): Draft => ({
  productId,
  prerequisites: [],
  exclusions: [],
  minEmployees: null,
  maxEmployees: null,
  industries: [],
  baseScore: 50,
  active: true,
  signals: [],
});

const signalLabels: Record<RuleSignal['type'], string> = {
  renewal_within_days: 'Renewal within N days',
  revenue_growth_percent: 'Revenue growth above %',
  usage_metric_above: 'Usage metric above',
  usage_metric_below: 'Usage metric below',
  subscription_expired: 'Related subscription expired',
  health_tier_is: 'Health tier is',
  seat_utilisation_above: 'Seat utilisation above %',
};

function newSignal(type: RuleSignal['type'], productId: string): RuleSignal {
  switch (type) {
    case 'renewal_within_days':
      return { type, days: 90, weight: 20 };
    case 'revenue_growth_percent':
      return { type, percent: 10, weight: 15 };
    case 'usage_metric_above':
    case 'usage_metric_below':
      return { type, metric: 'active_users', threshold: 50, weight: 10 };
    case 'subscription_expired':
      return { type, productId, weight: 25 };
    case 'health_tier_is':
      return { type, tier: 'healthy', weight: 10 };
    case 'seat_utilisation_above':
      return { type, percent: 80, weight: 10 };
  }
}

function describeSignal(signal: RuleSignal, productName: (id: string) => string): string {
  const weight = `${signal.weight > 0 ? '+' : ''}${signal.weight}`;
  switch (signal.type) {
    case 'renewal_within_days':
      return `renewal within ${signal.days} days ${weight}`;
    case 'revenue_growth_percent':
      return `revenue growth ≥ ${signal.percent}% ${weight}`;
    case 'usage_metric_above':
      return `${signal.metric} > ${signal.threshold} ${weight}`;
    case 'usage_metric_below':
      return `${signal.metric} < ${signal.threshold} ${weight}`;
    case 'subscription_expired':
      return `${productName(signal.productId)} expired ${weight}`;
    case 'health_tier_is':
      return `tier is ${signal.tier} ${weight}`;
    case 'seat_utilisation_above':
      return `seat utilisation > ${signal.percent}% ${weight}`;
  }
}

export function RulesTab() {
  const session = useSession();
  const editable = canEditSettings(session);
  const rules = useApi<{ rules: RecommendationRule[] }>('/api/v1/rules');
  const products = useApi<{ products: Product[] }>('/api/v1/products');
  const [editing, setEditing] = useState<{ id: string | null; draft: Draft } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');

  if (rules.error) return <ErrorMessage error={rules.error} />;
  if (!rules.data || !products.data) return <Loading what="recommendation rules" />;
  const catalogue = products.data.products;
  const productName = (id: string) => catalogue.find((product) => product.id === id)?.name ?? id;

  const submit = async (rule: Draft, id: string | null) => {
    setError(null);
    try {
      if (id) await api('PUT', `/api/v1/rules/${encodeURIComponent(id)}`, rule);
      else await api('POST', '/api/v1/rules', rule);
      setStatus(`${id ? 'Updated' : 'Added'} the rule for ${productName(rule.productId)}`);
      setEditing(null);
      rules.reload();
    } catch (failure) {
      setError(failure);
    }
  };

  const toggle = async (rule: RecommendationRule) => {
    const { id, ...rest } = rule;
    await submit({ ...rest, active: !rule.active }, id);
  };

  return (
    <>
      <div className="panel-head">
        <h2>Recommendation rules</h2>
        {editable ? (
          <button
            type="button"
            className="primary"
            onClick={() => setEditing({ id: null, draft: emptyDraft(catalogue[0]?.id ?? '') })}
          >
            Add recommendation
          </button>
        ) : null}
      </div>
      <p role="status" className="status">
        {status}
      </p>
      {!editing ? <ErrorMessage error={error} /> : null}
      {editing ? (
        <RuleForm
          key={editing.id ?? 'new'}
          initial={editing.draft}
          catalogue={catalogue}
          error={error}
          onCancel={() => {
            setEditing(null);
            setError(null);
          }}
          onSubmit={(draft) => submit(draft, editing.id)}
        />
      ) : null}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="num">
                Base score
              </th>
              <th scope="col">Fit</th>
              <th scope="col">Signals</th>
              <th scope="col">Active</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.data.rules.map((rule) => (
              <tr key={rule.id}>
                <th scope="row">{productName(rule.productId)}</th>
                <td className="num">{rule.baseScore}</td>
                <td className="small">
                  {[
                    rule.prerequisites.length
                      ? `needs ${rule.prerequisites.map(productName).join(', ')}`
                      : null,
                    rule.exclusions.length ? `not with ${rule.exclusions.map(productName).join(', ')}` : null,
                    rule.minEmployees !== null || rule.maxEmployees !== null
                      ? `${rule.minEmployees ?? 0}–${rule.maxEmployees ?? '∞'} employees`
                      : null,
                    rule.industries.length ? rule.industries.join(', ') : null,
                  ]
                    .filter(Boolean)
                    .join('; ') || 'any account'}
                </td>
                <td className="small">
                  {rule.signals.map((signal) => describeSignal(signal, productName)).join('; ') || '—'}
                </td>
                <td>
                  <label className="switch">
                    <input
                      type="checkbox"
                      checked={rule.active}
                      disabled={!editable}
                      onChange={() => toggle(rule)}
                      aria-label={`${productName(rule.productId)} rule active`}
                    />
                    {rule.active ? 'Active' : 'Off'}
                  </label>
                </td>
                <td>
                  {editable ? (
                    <button
                      type="button"
                      onClick={() => {
                        const { id, ...draft } = rule;
                        setEditing({ id, draft });
                      }}
                    >
                      Edit<span className="sr-only"> the {productName(rule.productId)} rule</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
            {rules.data.rules.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No rules yet. Start with 3–5 rules for your most common upsell paths.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ProductChecklist({
  legend,
  catalogue,
  selected,
  onChange,
}: {
  legend: string;
  catalogue: Product[];
  selected: string[];
  onChange: (ids: string[]) => void;
}) {
  return (
    <fieldset className="checklist">
      <legend>{legend}</legend>
      {catalogue.map((product) => (
        <label key={product.id} className="inline">
          <input
            type="checkbox"
            checked={selected.includes(product.id)}
            onChange={(event) =>
              onChange(
                event.target.checked ? [...selected, product.id] : selected.filter((id) => id !== product.id),
              )
            }
          />
          {product.name}
        </label>
      ))}
    </fieldset>
  );
}

function RuleForm({
  initial,
  catalogue,
  error,
  onSubmit,
  onCancel,
}: {
  initial: Draft;
  catalogue: Product[];
  error: unknown;
  onSubmit: (draft: Draft) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [industries, setIndustries] = useState(initial.industries.join(', '));
  const set = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });
  const optionalNumber = (value: string) => (value.trim() === '' ? null : Math.round(Number(value)));
  const setSignal = (index: number, signal: RuleSignal) =>
    set({ signals: draft.signals.map((current, position) => (position === index ? signal : current)) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({
      ...draft,
      industries: industries
        .split(',')
        .map((industry) => industry.trim())
        .filter(Boolean),
    });
  };

  return (
    <form className="panel rule-form" onSubmit={submit} aria-label="Recommendation rule">
      <div className="grid-form">
        <label>
          Product
          <select value={draft.productId} onChange={(event) => set({ productId: event.target.value })}>
            {catalogue.map((product) => (
              <option key={product.id} value={product.id}>
                {product.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Base score (0–100)
          <input
            type="number"
            min={0}
            max={100}
            value={draft.baseScore}
            onChange={(event) => set({ baseScore: Math.round(Number(event.target.value)) })}
          />
        </label>
        <label>
          Min company size
          <input
            type="number"
            min={0}
            value={draft.minEmployees ?? ''}
            onChange={(event) => set({ minEmployees: optionalNumber(event.target.value) })}
          />
        </label>
        <label>
          Max company size
          <input
            type="number"
            min={0}
            value={draft.maxEmployees ?? ''}
            onChange={(event) => set({ maxEmployees: optionalNumber(event.target.value) })}
          />
        </label>
        <label className="wide">
          Industries (comma-separated)
          <input value={industries} onChange={(event) => setIndustries(event.target.value)} />
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={draft.active}
            onChange={(event) => set({ active: event.target.checked })}
          />
          Active
        </label>
      </div>
      <ProductChecklist
        legend="Prerequisites (the account must have)"
        catalogue={catalogue}
        selected={draft.prerequisites}
        onChange={(prerequisites) => set({ prerequisites })}
      />
      <ProductChecklist
        legend="Exclusions (disqualify the account)"
        catalogue={catalogue}
        selected={draft.exclusions}
        onChange={(exclusions) => set({ exclusions })}
      />
      <fieldset>
        <legend>Trigger signals</legend>
        {draft.signals.map((signal, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: signals have no identity of their own
          <div key={index} className="signal-row">
            <span>{signalLabels[signal.type]}</span>
            {'days' in signal ? (
              <label>
                Days
                <input
                  type="number"
                  value={signal.days}
                  onChange={(e) => setSignal(index, { ...signal, days: Number(e.target.value) })}
                />
              </label>
            ) : null}
            {'percent' in signal ? (
              <label>
                Percent
                <input
                  type="number"
                  value={signal.percent}
                  onChange={(e) => setSignal(index, { ...signal, percent: Number(e.target.value) })}
                />
              </label>
            ) : null}
            {'metric' in signal ? (
              <>
                <label>
                  Metric
                  <input
                    value={signal.metric}
                    onChange={(e) => setSignal(index, { ...signal, metric: e.target.value })}
                  />
                </label>
                <label>
                  Threshold
                  <input
                    type="number"
                    value={signal.threshold}
                    onChange={(e) => setSignal(index, { ...signal, threshold: Number(e.target.value) })}
                  />
                </label>
              </>
            ) : null}
            {'productId' in signal ? (
              <label>
                Product
                <select
                  value={signal.productId}
                  onChange={(e) => setSignal(index, { ...signal, productId: e.target.value })}
                >
                  {catalogue.map((product) => (
                    <option key={product.id} value={product.id}>
                      {product.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {'tier' in signal ? (
              <label>
                Tier key
                <input
                  value={signal.tier}
                  onChange={(e) => setSignal(index, { ...signal, tier: e.target.value })}
                />
              </label>
            ) : null}
            <label>
              Weight
              <input
                type="number"
                value={signal.weight}
                onChange={(e) => setSignal(index, { ...signal, weight: Number(e.target.value) })}
              />
            </label>
            <button
              type="button"
              onClick={() => set({ signals: draft.signals.filter((_, position) => position !== index) })}
            >
              Remove<span className="sr-only"> signal {index + 1}</span>
            </button>
          </div>
        ))}
        <label className="inline">
          Add a signal
          <select
            value=""
            onChange={(event) => {
              if (!event.target.value) return;
              set({
                signals: [
                  ...draft.signals,
                  newSignal(event.target.value as RuleSignal['type'], catalogue[0]?.id ?? ''),
                ],
              });
            }}
          >
            <option value="">Choose…</option>
            {Object.entries(signalLabels).map(([type, label]) => (
              <option key={type} value={type}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="primary">
          Save rule
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
