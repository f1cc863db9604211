/**
 * A horizontal bar chart of shares (0–1), drawn in SVG with the theme's colours (forced-colours mode uses
 * the system's). Loaded lazily; the same numbers are always in a table beside it, so the chart is an image
 * with a name, not the only way to read them.
 */
export interface Bar {
  label: string;
  share: number;
  text: string;
}

export default function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const row = 28;
  const labelWidth = 180;
  const width = 480;
  const height = bars.length * row + 8;
  return (
    <svg
      role="img"
      aria-label={title}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      style={{ maxWidth: width }}
    >
      <title>{title}</title>
      {bars.map((bar, i) => {
        const y = i * row + 4;
        const barWidth = Math.max(0, Math.min(1, bar.share)) * (width - labelWidth - 60);
        return (
          <g key={bar.label}>
            <text x={0} y={y + 17} fill="currentColor" fontSize="13">
              {bar.label.length > 24 ? `${bar.label.slice(0, 23)}…` : bar.label}
            </text>
            <rect
              x={labelWidth}
              y={y + 4}
              width={barWidth}
              height={row - 10}
              style={{ fill: 'var(--colorBrandBackground)', forcedColorAdjust: 'auto' }}
            />
            <text x={labelWidth + barWidth + 6} y={y + 17} fill="currentColor" fontSize="13">
              {bar.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * Counts over days as lines (one per series, told apart by dash pattern as well as colour, so that neither
 * colour nor forced-colours mode is needed to read it), with a legend; the numbers are in a table beside it.
 */
export function LineChart({
  title,
  days,
  series,
}: {
  title: string;
  days: string[];
  series: { label: string; values: number[] }[];
}) {
  const width = 480;
  const height = 220;
  const left = 36;
  const bottom = 28;
  const top = 8;
  const legend = 20 * series.length;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i: number) => left + (days.length <= 1 ? 0 : (i / (days.length - 1)) * (width - left - 12));
  const y = (v: number) => top + (1 - v / max) * (height - top - bottom);
  const dashes = ['', '6 4', '2 3'];
  const colours = [
    'var(--colorBrandForeground1)',
    'var(--colorPaletteGreenForeground1)',
    'var(--colorNeutralForeground1)',
  ];
  return (
    <svg
      role="img"
      aria-label={title}
      viewBox={`0 0 ${width} ${height + legend}`}
      width="100%"
      style={{ maxWidth: width }}
    >
      <title>{title}</title>
      <line x1={left} y1={y(0)} x2={width - 8} y2={y(0)} stroke="currentColor" strokeWidth={1} />
      <text x={0} y={y(max) + 4} fill="currentColor" fontSize="12">
        {max}
      </text>
      <text x={0} y={y(0) + 4} fill="currentColor" fontSize="12">
        0
      </text>
      {days.length > 0 && (
        <>
          <text x={left} y={height - 8} fill="currentColor" fontSize="12">
            {days[0]}
          </text>
          {days.length > 1 && (
            <text x={width - 8} y={height - 8} fill="currentColor" fontSize="12" textAnchor="end">
              {days[days.length - 1]}
            </text>
          )}
        </>
      )}
      {series.map((s, k) => (
        <g key={s.label} style={{ forcedColorAdjust: 'auto' }}>
          <polyline
            fill="none"
            stroke={colours[k % colours.length]}
            strokeWidth={2}
            strokeDasharray={dashes[k % dashes.length]}
            points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
          />
          {s.values.map((v, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: one point per day, in order
            <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={colours[k % colours.length]} />
          ))}
          <line
            x1={left}
            x2={left + 28}
            y1={height + 10 + 20 * k}
            y2={height + 10 + 20 * k}
            stroke={colours[k % colours.length]}
            strokeWidth={2}
            strokeDasharray={dashes[k % dashes.length]}
          />
          <text x={left + 36} y={height + 14 + 20 * k} fill="currentColor" fontSize="12">
            {s.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
