import { type FormEvent, useEffect, useState } from 'react';

import { api } from '../../api';
import { ErrorMessage, Loading } from '../../components/ui';
import { canEditSettings, useSession } from '../../session';
import { useApi } from '../../useApi';

/** Data retention, plus the two small settings that feed CLTV and Create Opportunity. */

interface Setting<T> {
  value: T;
  saved: { version: number; changedBy: string; changedAt: string } | null;
}

function SettingForm<T>({
  title,
  path,
  help,
  children,
  toValue,
}: {
  title: string;
  path: string;
  help: string;
  children: (value: T, set: (value: T) => void) => JSX.Element;
  toValue: (value: T) => unknown;
}) {
  const editable = canEditSettings(useSession());
  const { data, error } = useApi<Setting<T>>(path);
  const [value, setValue] = useState<T | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  useEffect(() => {
    if (data) setValue(data.value);
  }, [data]);
  if (error) return <ErrorMessage error={error} />;
  if (!data || value === null) return <Loading what={title.toLowerCase()} />;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaveError(null);
    setStatus('');
    try {
      const saved = await api<Setting<T>>('PUT', path, { value: toValue(value) });
      setValue(saved.value);
      setStatus(`Saved (version ${saved.saved?.version ?? 1}).`);
    } catch (failure) {
      setSaveError(failure);
    }
  };

  return (
    <form className="panel" onSubmit={save}>
      <h2>{title}</h2>
      <p className="muted small">{help}</p>
      <fieldset disabled={!editable}>
        <legend className="sr-only">{title}</legend>
        {children(value, setValue)}
        <ErrorMessage error={saveError} />
        <button type="submit" className="primary">
          Save
        </button>
      </fieldset>
      <p role="status" className="status">
        {status}
      </p>
    </form>
  );
}

export function DataTab() {
  return (
    <div className="columns">
      <SettingForm<number>
        title="Data retention"
        path="/api/v1/settings/retention"
        help="Score history older than this is purged. Default 24 months."
        toValue={(months) => months}
      >
        {(months, set) => (
          <label>
            Keep score history for (months)
            <input
              type="number"
              min={1}
              max={120}
              value={months}
              onChange={(e) => set(Number(e.target.value))}
            />
          </label>
        )}
      </SettingForm>
      <SettingForm<number>
        title="Gross margin"
        path="/api/v1/settings/gross-margin"
        help="Used for lifetime value: ARR × gross margin × expected remaining lifetime."
        toValue={(margin) => margin}
      >
        {(margin, set) => (
          <label>
            Gross margin (%)
            <input
              type="number"
              min={0}
              max={100}
              value={Math.round(margin * 1000) / 10}
              onChange={(e) => set(Number(e.target.value) / 100)}
            />
          </label>
        )}
      </SettingForm>
      <SettingForm<{ pipeline: string; stage: string }>
        title="New opportunities"
        path="/api/v1/settings/opportunity-defaults"
        help="Pipeline and stage for opportunities created from a recommendation."
        toValue={(defaults) => defaults}
      >
        {(defaults, set) => (
          <>
            <label>
              Pipeline
              <input
                value={defaults.pipeline}
                onChange={(e) => set({ ...defaults, pipeline: e.target.value })}
              />
            </label>
            <label>
              Stage
              <input value={defaults.stage} onChange={(e) => set({ ...defaults, stage: e.target.value })} />
            </label>
          </>
        )}
      </SettingForm>
    </div>
  );
}
