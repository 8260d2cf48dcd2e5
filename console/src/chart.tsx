import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** A count as the axis shows it: 950, 12k, 1.2M (the table beside a chart gives every number whole). */
export function compactCount(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  return String(v);
}

/** The y axis of counts: compact labels on a gutter wide enough for them. */
const COUNT_AXIS: uPlot.Axis = { stroke: '#374151', size: 56, values: (_u, splits) => splits.map(compactCount) };

/**
 * Bars of a count per UTC day from `from` to `to` (YYYY-MM-DD), drawn by uPlot on a canvas. The numbers are also
 * given as a table for screen readers and keyboard users (the canvas is hidden from
 * assistive technology).
 */
export function DailyBars({ days, label, from, to }: { days: Array<{ day: string; findings: number }>; label: string; from: string; to: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = el.current;
    if (!target || days.length === 0) return;
    const xs = days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
    const ys = days.map((d) => d.findings);
    const plot = new uPlot(
      {
        width: Math.min(900, Math.max(320, target.clientWidth || 640)),
        height: 180,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true, range: () => [Date.parse(`${from}T00:00:00Z`) / 1000 - 43_200, Date.parse(`${to}T00:00:00Z`) / 1000 + 43_200] }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [{ stroke: '#374151' }, COUNT_AXIS],
        series: [{}, { label, stroke: '#1e40af', fill: '#1e40af', paths: uPlot.paths.bars!({ size: [0.6, 40] }), points: { show: false } }],
      },
      [xs, ys],
      target,
    );
    return () => plot.destroy();
  }, [JSON.stringify(days), from, to]);
  return (
    <figure class="chart">
      <div ref={el} aria-hidden="true" />
      <figcaption class="visually-hidden">{label}</figcaption>
      <table class="visually-hidden">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            <th scope="col">Findings</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td>{d.findings}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** One line per key of a count per UTC day; `null` where the day has no number (drawn as a gap). */
export interface TrendLine {
  key: string;
  label: string;
  color: string;
  dash?: number[];
}

/** Every UTC day from `from` to `to` (YYYY-MM-DD), oldest first. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * Lines of counts per UTC day from `from` to `to`, drawn by uPlot on a canvas hidden
 * from assistive technology; a day missing from `values` is a gap in every line, never
 * a zero. The legend names each line; the numbers are in the caller's table.
 */
export function DailyLines({ lines, values, from, to, label }: { lines: TrendLine[]; values: Map<string, Record<string, number>>; from: string; to: string; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const days = daysBetween(from, to);
  const data = [days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000), ...lines.map((l) => days.map((d) => values.get(d)?.[l.key] ?? null))];
  useEffect(() => {
    const target = el.current;
    if (!target) return;
    const plot = new uPlot(
      {
        width: Math.min(900, Math.max(320, target.clientWidth || 640)),
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: true, range: () => [Date.parse(`${from}T00:00:00Z`) / 1000 - 43_200, Date.parse(`${to}T00:00:00Z`) / 1000 + 43_200] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        },
        axes: [{ stroke: '#374151' }, COUNT_AXIS],
        series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, ...(l.dash ? { dash: l.dash } : {}), spanGaps: false, points: { show: true, size: 4, fill: l.color } }))],
      },
      data as uPlot.AlignedData,
      target,
    );
    return () => plot.destroy();
  }, [JSON.stringify(data), from, to]);
  return (
    <figure class="chart">
      <div ref={el} aria-hidden="true" />
      <figcaption>
        <span class="visually-hidden">{label}</span>
        <ul class="legend" aria-label="Lines">
          {lines.map((l) => (
            <li key={l.key}>
              <svg width="28" height="10" aria-hidden="true" focusable="false">
                <line x1="1" y1="5" x2="27" y2="5" stroke={l.color} stroke-width="2" stroke-dasharray={l.dash?.join(' ')} />
              </svg>
              {l.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
