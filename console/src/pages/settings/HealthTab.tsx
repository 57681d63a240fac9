import type { HealthConfig } from '@pulse/shared/health/index';
import { healthPresets } from '@pulse/shared/health/index';
import { useEffect, useState } from 'react';

import { api } from '../../api';
import { BarChart } from '../../components/charts';
import { ErrorMessage, Loading } from '../../components/ui';
import { dateTime } from '../../format';
import { canEditSettings, useSession } from '../../session';
import { useApi } from '../../useApi';

interface HealthSettings {
  config: HealthConfig;
  saved: { version: number; changedBy: string; changedAt: string } | null;
}
interface Preview {
  accounts: number;
  unscored: number;
  tiers: { key: string; label: string; count: number; share: number }[];
  factorsWithoutValues: string[];
}

const presetLabels: Record<string, string> = {
  default: 'Default (six factors)',
  five_dimension: 'Five dimensions (seed 002)',
  workspace_activity: 'Workspace activity (seed 003)',
};

export function HealthTab() {
  const session = useSession();
  const editable = canEditSettings(session);
  const { data, error } = useApi<HealthSettings>('/api/v1/settings/health');
  const [draft, setDraft] = useState<HealthConfig | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (data && !draft) setDraft(structuredClone(data.config));
  }, [data, draft]);

  const total = draft
    ? draft.factors.filter((factor) => factor.enabled).reduce((sum, factor) => sum + factor.weight, 0)
    : 0;

  // Live distribution: what the draft would do to the portfolio, from the factor values already stored.
  useEffect(() => {
    if (!draft || total !== 100) return;
    const timer = setTimeout(() => {
      api<Preview>('POST', '/api/v1/settings/health/preview', draft)
        .then(setPreview)
        .catch(() => setPreview(null));
    }, 250);
    return () => clearTimeout(timer);
  }, [draft, total]);

  if (error) return <ErrorMessage error={error} />;
  if (!draft || !data) return <Loading what="the health model" />;

  const change = (update: (config: HealthConfig) => void) => {
    const next = structuredClone(draft);
    update(next);
    if (next.preset !== 'custom' && JSON.stringify(next) !== JSON.stringify(draft)) next.preset = 'custom';
    setDraft(next);
    setStatus('');
  };

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    setStatus('');
    try {
      const saved = await api<HealthSettings & { recomputed: { accounts: number } | null }>(
        'PUT',
        '/api/v1/settings/health',
        draft,
      );
      setDraft(structuredClone(saved.config));
      setStatus(
        saved.recomputed
          ? `Saved. ${saved.recomputed.accounts.toLocaleString('en-US')} accounts rescored.`
          : 'Saved. Rescoring is running in the background.',
      );
    } catch (failure) {
      setSaveError(failure);
    } finally {
      setSaving(false);
    }
  };

  const totalOk = total === 100;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <fieldset disabled={!editable}>
        <legend className="sr-only">Health score model</legend>
        <label className="inline">
          Start from a preset
          <select
            value={draft.preset in presetLabels ? draft.preset : ''}
            onChange={(event) => {
              const preset = healthPresets[event.target.value as keyof typeof healthPresets];
              if (preset) {
                setDraft(structuredClone(preset) as HealthConfig);
                setStatus('');
              }
            }}
          >
            <option value="">Custom</option>
            {Object.keys(healthPresets).map((key) => (
              <option key={key} value={key}>
                {presetLabels[key] ?? key}
              </option>
            ))}
          </select>
        </label>

        <h2>Factor weights</h2>
        <table className="weights">
          <thead>
            <tr>
              <th scope="col">Factor</th>
              <th scope="col">On</th>
              <th scope="col">Weight</th>
            </tr>
          </thead>
          <tbody>
            {draft.factors.map((factor, index) => (
              <tr key={factor.key}>
                <th scope="row" id={`factor-${factor.key}`}>
                  {factor.label}
                </th>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Use ${factor.label}`}
                    checked={factor.enabled}
                    onChange={(event) =>
                      change((config) => {
                        config.factors[index]!.enabled = event.target.checked;
                      })
                    }
                  />
                </td>
                <td className="weight-inputs">
                  <input
                    type="range"
                    min={0}
                    max={100}
                    value={factor.weight}
                    aria-label={`${factor.label} weight slider`}
                    onChange={(event) =>
                      change((config) => {
                        config.factors[index]!.weight = Number(event.target.value);
                      })
                    }
                  />
                  <input
                    type="number"
                    min={0}
                    max={100}
                    step={1}
                    value={factor.weight}
                    aria-label={`${factor.label} weight`}
                    onChange={(event) =>
                      change((config) => {
                        config.factors[index]!.weight = Math.round(Number(event.target.value) || 0);
                      })
                    }
                  />
                  <span aria-hidden="true">%</span>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td />
              <td>
                <output aria-live="polite" className={totalOk ? 'ok' : 'warning'} data-testid="weights-total">
                  {total}%
                </output>
              </td>
            </tr>
          </tfoot>
        </table>
        {!totalOk ? (
          <p className="warning" role="alert">
            The weights total {total}%. They must total exactly 100% before you can save.
          </p>
        ) : null}

        <h2>Tier thresholds</h2>
        <div className="thresholds">
          {draft.tiers.map((tier, index) =>
            index === draft.tiers.length - 1 ? (
              <p key={tier.key} className="muted">
                {tier.label}: below {draft.tiers[index - 1]?.min ?? 0}
              </p>
            ) : (
              <label key={tier.key}>
                {tier.label} at or above
                <input
                  type="number"
                  min={0}
                  max={100}
                  value={tier.min}
                  onChange={(event) =>
                    change((config) => {
                      config.tiers[index]!.min = Number(event.target.value);
                    })
                  }
                />
              </label>
            ),
          )}
        </div>

        <ErrorMessage error={saveError} />
        <div className="actions">
          <button type="submit" className="primary" disabled={!editable || !totalOk || saving}>
            {saving ? 'Saving and rescoring…' : 'Save health model'}
          </button>
          <button type="button" onClick={() => setDraft(structuredClone(data.config))}>
            Discard changes
          </button>
        </div>
      </fieldset>
      <p role="status" className="status">
        {status}
      </p>
      {!editable ? <p className="muted">Read-only: only admins can save the health model.</p> : null}
      {data.saved ? (
        <p className="muted small">
          Version {data.saved.version}, saved by {data.saved.changedBy} on {dateTime(data.saved.changedAt)}
        </p>
      ) : (
        <p className="muted small">Using the default model (never saved).</p>
      )}

      <h2>Live distribution preview</h2>
      {totalOk && preview ? (
        <>
          <BarChart
            title="Accounts per tier with this draft"
            bars={preview.tiers.map((tier) => ({
              key: tier.key,
              label: tier.label,
              value: tier.count,
              note: `${tier.share}%`,
            }))}
            format={(value) => value.toLocaleString('en-US')}
          />
          <p className="muted small">
            {preview.accounts.toLocaleString('en-US')} accounts, {preview.unscored} without data for these
            factors
            {preview.factorsWithoutValues.length > 0
              ? `; not scored yet: ${preview.factorsWithoutValues.join(', ')} (shown after the next recompute)`
              : ''}
          </p>
        </>
      ) : (
        <p className="muted">The preview appears when the weights total 100%.</p>
      )}
    </form>
  );
}
