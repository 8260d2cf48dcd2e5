import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

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
        axes: [{ stroke: '#374151' }, { stroke: '#374151' }],
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
