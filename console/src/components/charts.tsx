import { useId } from 'react';

/**
 * Inline SVG charts. Each is an image with a title and a description for screen readers, followed
 * by the same numbers as a table (visually hidden), so the chart is never the only way to read them.
 */

export interface Bar {
  key: string;
  label: string;
  value: number;
  note?: string;
}

export function BarChart({
  title,
  bars,
  format,
}: {
  title: string;
  bars: Bar[];
  format: (value: number) => string;
}) {
  const id = useId();
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const rowHeight = 34;
  const labelWidth = 110;
  const width = 480;
  const height = bars.length * rowHeight + 8;
  return (
    <figure className="chart chart-bars">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{bars.map((bar) => `${bar.label}: ${format(bar.value)}`).join('; ')}</desc>
        {bars.map((bar, index) => {
          const barWidth = ((width - labelWidth - 90) * bar.value) / max;
          const y = index * rowHeight + 4;
          return (
            <g key={bar.key}>
              <text x={0} y={y + 19} className="chart-label">
                {bar.label}
              </text>
              <rect
                x={labelWidth}
                y={y + 4}
                width={Math.max(barWidth, 2)}
                height={22}
                rx={3}
                className={`bar bar-${bar.key}`}
              />
              <text x={labelWidth + Math.max(barWidth, 2) + 6} y={y + 19} className="chart-value">
                {format(bar.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.key}>
              <th scope="row">{bar.label}</th>
              <td>{format(bar.value)}</td>
              {bar.note ? <td>{bar.note}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export interface Series {
  key: string;
  label: string;
  points: { x: string; y: number | null }[];
}

const palette = ['#1f5fbf', '#b8470b', '#2e7d32', '#7b3fa0', '#a11d4f', '#00707a', '#5d5d00', '#444'];

/** Lines over a shared x axis (days, oldest first); y from 0 to `maxY` (100 for scores). */
export function LineChart({
  title,
  series,
  maxY = 100,
  unit = '',
}: {
  title: string;
  series: Series[];
  maxY?: number;
  unit?: string;
}) {
  const id = useId();
  const width = 640;
  const height = 240;
  const left = 40;
  const bottom = 24;
  const xs = [...new Set(series.flatMap((line) => line.points.map((point) => point.x)))].sort();
  const top = Math.max(maxY, ...series.flatMap((line) => line.points.map((point) => point.y ?? 0)));
  const xOf = (x: string) =>
    left + (xs.length <= 1 ? 0 : ((width - left - 10) * xs.indexOf(x)) / (xs.length - 1));
  const yOf = (y: number) => height - bottom - ((height - bottom - 10) * y) / top;
  const ticks = [0, top / 2, top].map((tick) => Math.round(tick));
  const summary = series
    .map((line) => {
      const values = line.points.filter((point) => point.y !== null);
      const first = values[0];
      const last = values[values.length - 1];
      return first && last
        ? `${line.label}: from ${first.y}${unit} on ${first.x} to ${last.y}${unit} on ${last.x}`
        : `${line.label}: no data`;
    })
    .join('; ');
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{xs.length === 0 ? 'No data yet' : summary}</desc>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={left} x2={width - 10} y1={yOf(tick)} y2={yOf(tick)} className="grid" />
            <text x={left - 6} y={yOf(tick) + 4} textAnchor="end" className="chart-axis">
              {tick}
            </text>
          </g>
        ))}
        {xs.length > 0 ? (
          <>
            <text x={left} y={height - 6} className="chart-axis">
              {xs[0]}
            </text>
            <text x={width - 10} y={height - 6} textAnchor="end" className="chart-axis">
              {xs[xs.length - 1]}
            </text>
          </>
        ) : null}
        {series.map((line, index) => {
          const path = line.points
            .filter((point) => point.y !== null)
            .map(
              (point, pointIndex) =>
                `${pointIndex === 0 ? 'M' : 'L'}${xOf(point.x).toFixed(1)},${yOf(point.y!).toFixed(1)}`,
            )
            .join(' ');
          return (
            <path
              key={line.key}
              d={path}
              fill="none"
              stroke={palette[index % palette.length]}
              strokeWidth={2}
            />
          );
        })}
      </svg>
      {series.length > 1 ? (
        <ul className="legend">
          {series.map((line, index) => (
            <li key={line.key}>
              <span
                className="swatch"
                style={{ background: palette[index % palette.length] }}
                aria-hidden="true"
              />
              {line.label}
            </li>
          ))}
        </ul>
      ) : null}
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  );
}
