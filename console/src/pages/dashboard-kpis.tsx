import type { ComponentChildren } from 'preact';
import { SEVERITIES, apiPath, type ApiError, type Kpis, type Severity, type Trend } from '../api';
import { DailyLines, daysBetween, type TrendLine } from '../chart';
import { href, navigate } from '../route';
import { Failure, Loading, SeverityBadge, Source, when } from '../ui';

/**
 * The dashboard's history: the daily trend of open findings (GET /api/v1/stats/trend)
 * and the remediation numbers of the same window (GET /api/v1/stats/kpis), the window
 * (30 or 90 days) kept in the address as `#/?days=90`. Every number names its source;
 * a number the API could not give is shown as "no data" with the reason.
 */

export const WINDOWS = [30, 90] as const;
export type Window = (typeof WINDOWS)[number];

/** The window the address names, 30 days unless it says 90. */
export const windowOf = (params: URLSearchParams): Window => (params.get('days') === '90' ? 90 : 30);

type Answer<T> = { data?: T; error?: ApiError | Error; loading: boolean };

const cap = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

/** Seconds as minutes under an hour, hours to one decimal under a day, else days to one decimal. */
export function duration(seconds: number): string {
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(seconds);
  if (s < 3600) return `${sign}${Math.round(s / 60)} min`;
  if (s < 86_400) return `${sign}${(s / 3600).toFixed(1)} h`;
  return `${sign}${(s / 86_400).toFixed(1)} days`;
}

/** A share of 0..1 as a percentage to one decimal. */
export const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;

/** A cell of one number: `field` (the answer's path to it) and its raw value in data attributes, "no data" and why when it is null. */
function Cell({ field, value, show, why }: { field: string; value: number | null; show?: (v: number) => string; why?: string }) {
  return (
    <td class="num" data-field={field} data-value={value === null ? 'null' : String(value)}>
      {value === null ? (
        <>
          no data<span class="why">: {why}</span>
        </>
      ) : show ? (
        show(value)
      ) : (
        value.toLocaleString('en')
      )}
    </td>
  );
}

function WindowPicker({ days }: { days: Window }) {
  return (
    <fieldset class="window">
      <legend>Window</legend>
      {WINDOWS.map((w) => (
        <label key={w}>
          <input type="radio" name="window" value={String(w)} checked={days === w} onChange={() => navigate(href([], { days: String(w) }))} /> Last {w} days
        </label>
      ))}
    </fieldset>
  );
}

const LINES: TrendLine[] = [
  { key: 'critical', label: 'Critical', color: '#7f1d1d' },
  { key: 'high', label: 'High', color: '#dc2626', dash: [6, 3] },
  { key: 'medium', label: 'Medium', color: '#b45309' },
  { key: 'low', label: 'Low', color: '#1e40af', dash: [2, 3] },
  { key: 'negligible', label: 'Negligible', color: '#374151', dash: [8, 3, 2, 3] },
  { key: 'unknown', label: 'Unknown', color: '#6b7280', dash: [1, 4] },
];

function TrendPart({ trend }: { trend: Trend }) {
  const byDay = new Map(trend.series.map((d) => [d.day, d]));
  const days = daysBetween(trend.from, trend.to);
  const values = new Map(trend.series.map((d) => [d.day, d.open as Record<string, number>]));
  const path = apiPath('stats/trend', { days: String(trend.days) });
  const label = `Open findings per severity per UTC day, ${trend.from} to ${trend.to}`;
  const drawn = LINES.filter((l) => trend.series.some((d) => d.open[l.key as Severity] > 0));
  const flat = LINES.filter((l) => !drawn.includes(l));
  return (
    <>
      <p class="muted" data-testid="trend-recorded">
        Recorded on {trend.series.length} of {days.length} days. A day the server did not record is a gap in the lines and “not recorded” in the table, not a zero.
      </p>
      <DailyLines lines={drawn} values={values} from={trend.from} to={trend.to} label={label} />
      {flat.length ? <p class="muted">Not drawn, no open finding on any recorded day: {flat.map((l) => l.label).join(', ')}.</p> : null}
      <table class="visually-hidden" data-testid="trend-table">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            {SEVERITIES.map((s) => (
              <th key={s} scope="col">
                {cap(s)}
              </th>
            ))}
            <th scope="col">Total</th>
            <th scope="col">Open KEV</th>
            <th scope="col">Suppressed</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => {
            const d = byDay.get(day);
            return (
              <tr key={day} data-day={day} data-recorded={d ? 'true' : 'false'}>
                <th scope="row">{day}</th>
                {d ? (
                  <>
                    {[...SEVERITIES, 'total' as const].map((s) => (
                      <td key={s} data-field={`open.${s}`}>
                        {d.open[s]}
                      </td>
                    ))}
                    <td data-field="kevOpen">{d.kevOpen}</td>
                    <td data-field="suppressed">{d.suppressed}</td>
                  </>
                ) : (
                  <td colSpan={SEVERITIES.length + 3}>not recorded</td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <Source>
        <code>{path}</code> <code>series[].open</code> (and <code>kevOpen</code>, <code>suppressed</code> in the table): {trend.source}
      </Source>
    </>
  );
}

function KpiTable({ id, caption, head, children }: { id: string; caption: string; head: string[]; children: ComponentChildren }) {
  return (
    <table class="kpi-table" data-testid={id}>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Severity</th>
          {head.map((h) => (
            <th key={h} scope="col" class="num">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

function Sev({ severity }: { severity: Severity }) {
  return (
    <th scope="row">
      <SeverityBadge severity={severity} />
    </th>
  );
}

function KpiParts({ kpis }: { kpis: Kpis }) {
  const path = apiPath('stats/kpis', { days: String(kpis.days) });
  const inWindow = `in the last ${kpis.days} days`;
  const ttd = kpis.timeToDetect.advisoryPublished;
  const installed = kpis.timeToDetect.packageInstalled;
  return (
    <>
      <h3 id="mttr-heading">Time to remediate (MTTR)</h3>
      <KpiTable id="kpi-mttr" caption={`Mean and median time to remediate per severity, episodes closed ${inWindow}`} head={['Closed', 'Mean', 'Median']}>
        {kpis.mttr.severities.map((r) => {
          const why = 'no finding closed in the window';
          return (
            <tr key={r.severity} data-severity={r.severity}>
              <Sev severity={r.severity} />
              <Cell field="closed" value={r.closed} />
              <Cell field="meanSeconds" value={r.meanSeconds} show={duration} why={why} />
              <Cell field="medianSeconds" value={r.medianSeconds} show={duration} why={why} />
            </tr>
          );
        })}
      </KpiTable>
      <Source>
        <code>{path}</code> <code>mttr.severities[]</code> (<code>closed</code>, <code>meanSeconds</code>, <code>medianSeconds</code>): {kpis.mttr.source}; closes that are not remediation
        are left out ({kpis.mttr.excludes.join(', ')})
      </Source>

      <h3 id="ttd-heading">Time to detect</h3>
      <KpiTable id="kpi-ttd" caption={`Advisory published to first finding, per severity, findings first opened ${inWindow}`} head={['First opened', 'With a published date', 'Mean', 'Median']}>
        {ttd.severities.map((r) => {
          const why = r.opened === 0 ? 'no finding first opened in the window' : 'no advisory of these findings has a published date';
          return (
            <tr key={r.severity} data-severity={r.severity}>
              <Sev severity={r.severity} />
              <Cell field="opened" value={r.opened} />
              <Cell field="withPublished" value={r.withPublished} />
              <Cell field="meanSeconds" value={r.meanSeconds} show={duration} why={why} />
              <Cell field="medianSeconds" value={r.medianSeconds} show={duration} why={why} />
            </tr>
          );
        })}
      </KpiTable>
      <Source>
        <code>{path}</code> <code>timeToDetect.advisoryPublished.severities[]</code> (<code>opened</code>, <code>withPublished</code>, <code>meanSeconds</code>, <code>medianSeconds</code>): {ttd.source}
      </Source>
      <p data-testid="kpi-installed">
        Package installed → finding: {installed.known > 0 ? `known for ${installed.known} of ${installed.opened} findings` : <>no data: {installed.reason}</>}
      </p>
      <Source>
        <code>{path}</code> <code>timeToDetect.packageInstalled</code> (<code>known</code> {installed.known} of <code>opened</code> {installed.opened}, <code>reason</code>): {installed.source}
      </Source>

      <h3 id="sla-heading">SLA compliance</h3>
      <KpiTable id="kpi-sla" caption={`Findings within their SLA per severity: open now, and closed ${inWindow}`} head={['SLA', 'Open within SLA', 'Open', 'Closed within SLA', 'Closed', 'Oldest open since']}>
        {kpis.slaCompliance.severities.map((r) => {
          const noSla = 'no SLA set (vigil server run --sla)';
          return (
            <tr key={r.severity} data-severity={r.severity}>
              <Sev severity={r.severity} />
              <Cell field="slaDays" value={r.slaDays} show={(d) => `${d} days`} why={noSla} />
              <Cell field="openShare" value={r.openShare} show={(s) => `${percent(s)} (${r.openWithinSla} of ${r.open})`} why={r.slaDays === null ? noSla : 'no open finding'} />
              <Cell field="open" value={r.open} />
              <Cell field="closedShare" value={r.closedShare} show={(s) => `${percent(s)} (${r.closedWithinSla} of ${r.closed})`} why={r.slaDays === null ? noSla : 'no finding closed in the window'} />
              <Cell field="closed" value={r.closed} />
              <td data-field="oldestOpenSince">{r.oldestOpenSince ? when(r.oldestOpenSince) : <span class="muted">none open</span>}</td>
            </tr>
          );
        })}
      </KpiTable>
      <Source>
        <code>{path}</code> <code>slaCompliance.severities[]</code> (<code>openWithinSla</code> of <code>open</code> as <code>openShare</code>, <code>closedWithinSla</code> of{' '}
        <code>closed</code> as <code>closedShare</code>, <code>slaDays</code>, <code>oldestOpenSince</code>): {kpis.slaCompliance.source}
      </Source>
    </>
  );
}

/** The trend and the remediation numbers of the window the address names. */
export function History({ days, trend, kpis }: { days: Window; trend: Answer<Trend>; kpis: Answer<Kpis> }) {
  return (
    <section aria-labelledby="history-heading" class="history">
      <h2 id="history-heading">Trend and remediation, last {days} days</h2>
      <WindowPicker days={days} />
      <h3 id="trend-heading">Open findings per day by severity</h3>
      {trend.loading ? <Loading what="the trend" /> : trend.data ? <TrendPart trend={trend.data} /> : <Failure error={trend.error ?? new Error('no answer')} />}
      {kpis.loading ? <Loading what="the remediation numbers" /> : kpis.data ? <KpiParts kpis={kpis.data} /> : <Failure error={kpis.error ?? new Error('no answer')} />}
    </section>
  );
}
