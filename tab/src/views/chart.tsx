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
