import { SEVERITIES, apiPath, type Kpis, type Stats, type Trend } from '../api';
import { DailyBars } from '../chart';
import { href } from '../route';
import { Failure, Loading, SeverityBadge, Source, age, useApi, when } from '../ui';
import { History, windowOf } from './dashboard-kpis';

function Kpi({ to, value, label, id, cls }: { to: string; value: number; label: string; id: string; cls?: string }) {
  return (
    <a class={`kpi${cls ? ` ${cls}` : ''}`} href={to} data-kpi={id}>
      <span class="kpi-value">{value.toLocaleString('en')}</span>
      <span class="kpi-label">{label}</span>
    </a>
  );
}

/**
 * The fleet at a glance: every number from GET /api/v1/stats, each linking to the view it counts, then the
 * trend and remediation numbers of the window the address names (GET /api/v1/stats/trend and /kpis, asked at once).
 */
export function Dashboard({ params, onUnauthorized }: { params: URLSearchParams; onUnauthorized: (m: string) => void }) {
  const days = windowOf(params);
  const { data: s, error, loading } = useApi<Stats>('stats', {}, onUnauthorized);
  const trend = useApi<Trend>('stats/trend', { days: String(days) }, onUnauthorized);
  const kpis = useApi<Kpis>('stats/kpis', { days: String(days) }, onUnauthorized);
  if (loading) return <Loading what="the fleet's numbers" />;
  if (error || !s) return <Failure error={error ?? new Error('no answer')} />;
  const open = (extra: Record<string, string> = {}) => href(['findings'], { status: 'ACTIVE', ...extra });
  return (
    <>
      <h1>Fleet overview</h1>
      <p class="muted">
        As of {when(s.takenAt)}. Open means ACTIVE: {s.suppressed.toLocaleString('en')} suppressed findings are not counted.
      </p>

      <h2 id="open-heading">Open findings by severity</h2>
      <div class="kpis" role="group" aria-labelledby="open-heading">
        <Kpi id="open-total" to={open()} value={s.open.total} label="Open findings" />
        {SEVERITIES.map((sev) => (
          <Kpi key={sev} id={`open-${sev}`} cls={`sev-${sev}`} to={open({ severity: sev })} value={s.open[sev]} label={sev[0]!.toUpperCase() + sev.slice(1)} />
        ))}
      </div>
      <Source>
        <code>{apiPath('stats')}</code> <code>open</code>; each links to <code>{apiPath('findings', { status: 'ACTIVE', severity: 'SEVERITY' })}</code>
      </Source>

      <h2 id="risk-heading">Exploited and exposed</h2>
      <div class="kpis" role="group" aria-labelledby="risk-heading">
        <Kpi id="kev-open" to={open({ kev: 'true' })} value={s.kevOpen} label="Open KEV findings" />
        <Kpi id="exposed-critical-hosts" to={open({ severity: 'critical', exposure: 'any' })} value={s.exposedCriticalHosts} label="Internet-exposed hosts with critical findings" />
      </div>
      <Source>
        <code>{apiPath('stats')}</code> <code>kevOpen</code> (CISA KEV catalog) and <code>exposedCriticalHosts</code> (hosts with an open critical finding whose package listens on a
        public or wildcard address)
      </Source>

      <History days={days} trend={trend} kpis={kpis} />

      <h2 id="agents-heading">Agent coverage</h2>
      <div class="kpis" role="group" aria-labelledby="agents-heading">
        <Kpi id="hosts-total" to={href(['hosts'])} value={s.hosts.total} label="Enrolled hosts" />
        <Kpi id="hosts-seen" to={href(['hosts'], { sort: '-lastSeenAt' })} value={s.hosts.seenSince} label={`Seen in the last ${age(s.staleAfterSeconds)}`} />
        <Kpi id="hosts-stale" to={href(['hosts'], { sort: 'lastSeenAt' })} value={s.hosts.stale} label={`Stale (not seen for ${age(s.staleAfterSeconds)})`} />
        <Kpi id="hosts-revoked" to={href(['hosts'], { state: 'revoked' })} value={s.hosts.revoked} label="Revoked" />
      </div>
      <table data-testid="agent-versions">
        <caption class="visually-hidden">Agent versions</caption>
        <thead>
          <tr>
            <th scope="col">Agent version</th>
            <th scope="col" class="num">Hosts</th>
          </tr>
        </thead>
        <tbody>
          {s.agentVersions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td class="num">{v.hosts}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Source>
        <code>{apiPath('stats')}</code> <code>hosts</code> and <code>agentVersions</code> (last heartbeat of each agent)
      </Source>

      <div class="cols">
        <section aria-labelledby="riskiest-heading">
          <h2 id="riskiest-heading">Top 10 riskiest hosts</h2>
          <table data-testid="riskiest-hosts">
            <caption class="visually-hidden">Hosts whose open findings score highest</caption>
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col" class="num">Top score</th>
                <th scope="col" class="num">Critical</th>
                <th scope="col" class="num">High</th>
                <th scope="col" class="num">Open</th>
              </tr>
            </thead>
            <tbody>
              {s.riskiestHosts.map((h) => (
                <tr key={h.id}>
                  <td>
                    <a href={href(['hosts', h.id])}>{h.hostname}</a>
                  </td>
                  <td class="num">{h.maxScore.toFixed(1)}</td>
                  <td class="num">
                    <a href={open({ host: h.id, severity: 'critical' })}>{h.critical}</a>
                  </td>
                  <td class="num">
                    <a href={open({ host: h.id, severity: 'high' })}>{h.high}</a>
                  </td>
                  <td class="num">
                    <a href={open({ host: h.id })}>{h.open}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Source>
            <code>{apiPath('stats')}</code> <code>riskiestHosts</code> (highest Vigil score, then most critical, high and open findings)
          </Source>
        </section>
        <section aria-labelledby="vulns-heading">
          <h2 id="vulns-heading">Top 10 vulnerabilities by affected hosts</h2>
          <table data-testid="top-vulnerabilities">
            <caption class="visually-hidden">Vulnerabilities with open findings on the most hosts</caption>
            <thead>
              <tr>
                <th scope="col">Vulnerability</th>
                <th scope="col">Severity</th>
                <th scope="col" class="num">Hosts</th>
                <th scope="col" class="num">Top score</th>
              </tr>
            </thead>
            <tbody>
              {s.topVulnerabilities.map((v) => (
                <tr key={v.vulnerability}>
                  <td>
                    <a href={open({ cve: v.vulnerability })}>{v.vulnerability}</a> {v.kev ? <span class="badge kev">KEV</span> : null}
                  </td>
                  <td>
                    <SeverityBadge severity={v.severity} />
                  </td>
                  <td class="num">{v.hosts}</td>
                  <td class="num">{v.maxScore.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Source>
            <code>{apiPath('stats')}</code> <code>topVulnerabilities</code>
          </Source>
        </section>
      </div>

      <h2 id="days-heading">Open findings by the day they were first seen</h2>
      <DailyBars days={s.openedByDay} from={new Date(Date.parse(s.takenAt) - (s.daysBack - 1) * 86_400_000).toISOString().slice(0, 10)} to={s.takenAt.slice(0, 10)} label={`Open findings by first-seen day (UTC), last ${s.daysBack} days`} />
      <Source>
        <code>{apiPath('stats')}</code> <code>openedByDay</code>
      </Source>

      <h2 id="feeds-heading">Advisory data freshness</h2>
      <table data-testid="feeds">
        <caption class="visually-hidden">Advisory feeds and their age</caption>
        <thead>
          <tr>
            <th scope="col">Feed</th>
            <th scope="col">Newest record</th>
            <th scope="col" class="num">Age</th>
            <th scope="col">Imported</th>
          </tr>
        </thead>
        <tbody>
          {s.feeds.map((f) => (
            <tr key={f.feed}>
              <td>{f.feed}</td>
              <td>
                {when(f.newestAt)}
                {f.basis === 'import' ? <span class="muted"> (import time: the feed dates no records)</span> : null}
              </td>
              <td class="num">{age(f.ageSeconds)}</td>
              <td>{when(f.importedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.problems.length ? (
        <div class="error" role="alert">
          {s.problems.join('; ')}
        </div>
      ) : null}
      <Source>
        <code>{apiPath('stats')}</code> <code>feeds</code>, as <code>vigil db status</code> and <code>vigil_advisory_feed_age_seconds</code> report them
      </Source>
    </>
  );
}
