import type { ReactNode } from 'react';

import { ApiFailure } from '../api';

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiFailure ? error.fields : [];
  return (
    <div className="error" role="alert">
      <p>{message}</p>
      {fields.length > 1 ? (
        <ul>
          {fields.map((field) => (
            <li key={`${field.path}:${field.message}`}>
              <code>{field.path}</code>: {field.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" aria-busy="true">
      Loading {what}…
    </p>
  );
}

export function Tile({ label, value, note }: { label: string; value: ReactNode; note?: string }) {
  return (
    <section className="tile" aria-label={label}>
      <h3>{label}</h3>
      <p className="tile-value">{value}</p>
      {note ? <p className="tile-note">{note}</p> : null}
    </section>
  );
}

export function Panel({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
