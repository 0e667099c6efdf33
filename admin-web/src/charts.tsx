// Hand-drawn SVG charts: no chart library, no inline scripts, scales with the container.
import { fmtNum } from './ui';

export interface Series {
  name: string;
  color: string;
  values: number[];
}

const W = 640;
const H = 220;
const PAD = { l: 48, r: 12, t: 12, b: 28 };

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(max)));
  const m = max / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** A line chart over labelled x positions (e.g. days). */
export function LineChart(props: { labels: string[]; series: Series[]; title: string }) {
  const n = props.labels.length;
  const max = niceMax(Math.max(4, ...props.series.flatMap((s) => s.values)));
  const x = (i: number) => PAD.l + (n <= 1 ? (W - PAD.l - PAD.r) / 2 : (i * (W - PAD.l - PAD.r)) / (n - 1));
  const y = (v: number) => H - PAD.b - (v / max) * (H - PAD.t - PAD.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const every = Math.max(1, Math.ceil(n / 8));
  return (
    <figure class="chart" data-chart={props.title}>
      <figcaption>
        {props.title}
        <span class="legend">
          {props.series.map((s) => (
            <span key={s.name}>
              <i style={{ background: s.color }} />
              {s.name}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(t)} y2={y(t)} class="grid" />
            <text x={PAD.l - 6} y={y(t) + 4} text-anchor="end" class="axis">
              {fmtNum(Math.round(t))}
            </text>
          </g>
        ))}
        {props.labels.map((l, i) =>
          i % every === 0 ? (
            <text key={l} x={x(i)} y={H - 8} text-anchor="middle" class="axis">
              {l}
            </text>
          ) : null,
        )}
        {props.series.map((s) => (
          <g key={s.name}>
            <polyline
              fill="none"
              stroke={s.color}
              stroke-width="2"
              points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
            />
            {s.values.map((v, i) => (
              <circle key={i} cx={x(i)} cy={y(v)} r="3" fill={s.color}>
                <title>{`${props.labels[i]}: ${v} ${s.name}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
    </figure>
  );
}

/** Horizontal bars, largest first. */
export function BarChart(props: { rows: { label: string; value: number }[]; title: string; color?: string; unit?: string }) {
  const rows = [...props.rows].sort((a, b) => b.value - a.value).slice(0, 10);
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowH = 26;
  const h = Math.max(rowH, rows.length * rowH) + 8;
  const labelW = 170;
  return (
    <figure class="chart" data-chart={props.title}>
      <figcaption>{props.title}</figcaption>
      {rows.length === 0 ? (
        <p class="muted">No data yet.</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${h}`} role="img" aria-label={props.title}>
          {rows.map((r, i) => {
            const w = ((W - labelW - 70) * r.value) / max;
            return (
              <g key={r.label} transform={`translate(0, ${i * rowH + 4})`}>
                <text x={labelW - 8} y={16} text-anchor="end" class="axis">
                  {r.label.length > 24 ? r.label.slice(0, 23) + '…' : r.label}
                </text>
                <rect x={labelW} y={3} width={Math.max(2, w)} height={rowH - 8} rx="3" fill={props.color ?? '#4f6bed'}>
                  <title>{`${r.label}: ${r.value}`}</title>
                </rect>
                <text x={labelW + Math.max(2, w) + 6} y={16} class="axis">
                  {fmtNum(r.value)}
                  {props.unit ? ' ' + props.unit : ''}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}
