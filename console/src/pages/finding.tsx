import { apiPath, session, type HostFinding } from '../api';
import { href } from '../route';
import { Failure, Loading, SeverityBadge, Source, useApi, when } from '../ui';

/** One finding of one host as GET /api/v1/hosts/ID/findings/FID gives it: ratings and their sources, episodes, the records that matched, the fix. */
export function FindingDetail({ hostId, id, onUnauthorized }: { hostId: string; id: string; onUnauthorized: (m: string) => void }) {
  const path = `hosts/${encodeURIComponent(hostId)}/findings/${encodeURIComponent(id)}`;
  const { data: hf, error, loading } = useApi<HostFinding>(path, {}, onUnauthorized);
  if (loading) return <Loading what={`finding ${id}`} />;
  if (error || !hf) return <Failure error={error ?? new Error('no answer')} />;
  const f = hf.finding;
  return (
    <>
      <h1>
        {f.vulnerability} in {f.component.name} <SeverityBadge severity={f.severity} />
      </h1>
      {f.summary ? <p>{f.summary}</p> : null}
      <dl class="facts">
        <dt>Finding id</dt>
        <dd data-testid="finding-id">{hf.id}</dd>
        <dt>Host</dt>
        <dd>
          <a href={href(['hosts', hf.hostId])}>{hf.hostId}</a>
        </dd>
        <dt>Status</dt>
        <dd>
          {hf.status}
          {hf.closeReason ? ` (${hf.closeReason})` : ''}
        </dd>
        <dt>Package</dt>
        <dd>{f.component.purl}</dd>
        <dt>Installed</dt>
        <dd>{f.installedVersion}</dd>
        <dt>Fixed in</dt>
        <dd>{f.fixedVersion ?? `no fixed version (${f.status})`}</dd>
        <dt>Vigil score</dt>
        <dd>
          {f.score.toFixed(1)}
          {f.scoreReasons?.length ? ` (${f.scoreReasons.join('; ')})` : ''}
        </dd>
        <dt>Severity</dt>
        <dd>{f.severitySource ?? f.severity}</dd>
        {f.cvss ? (
          <>
            <dt>CVSS</dt>
            <dd>
              {f.cvss.version} {f.cvss.score.toFixed(1)} <code>{f.cvss.vector}</code>
              {f.cvss.source ? ` by ${f.cvss.source}` : ''}
            </dd>
          </>
        ) : null}
        <dt>Known exploited</dt>
        <dd>{f.kev ? `in CISA KEV since ${f.kev.dateAdded}, due ${f.kev.dueDate}, ransomware: ${f.kev.ransomware}` : 'not in CISA KEV'}</dd>
        <dt>EPSS</dt>
        <dd>{f.epss ? `${(f.epss.score * 100).toFixed(2)} % (percentile ${(f.epss.percentile * 100).toFixed(0)}, ${f.epss.date})` : 'no score'}</dd>
        <dt>Exposure</dt>
        <dd>
          {f.exposure}
          {f.inUse ? ', used by a running process' : ''}
        </dd>
        {f.aliases.length ? (
          <>
            <dt>Aliases</dt>
            <dd>{f.aliases.join(', ')}</dd>
          </>
        ) : null}
      </dl>

      <h2 id="fix-heading">Remediation</h2>
      {f.remediation ? (
        <pre class="command" data-testid="remediation" aria-labelledby="fix-heading">
          {f.remediation}
        </pre>
      ) : (
        <p data-testid="remediation">No command: {f.fixedVersion ? 'the package manager gives none for this package.' : 'no fixed version is known yet.'}</p>
      )}

      {f.fixedVersion && hf.status === 'ACTIVE' && session.can('operator') ? (
        <p>
          <a class="button" data-testid="patch-this" href={href(['jobs', 'new'], { hosts: hf.hostId, package: f.component.name })}>
            Patch this
          </a>
        </p>
      ) : null}

      <h2 id="ratings-heading">Ratings and their sources</h2>
      <table>
        <caption class="visually-hidden">Ratings considered, the chosen one marked</caption>
        <thead>
          <tr>
            <th scope="col">Rating</th>
            <th scope="col">Severity</th>
            <th scope="col">From</th>
            <th scope="col">Chosen</th>
          </tr>
        </thead>
        <tbody>
          {(f.ratings ?? []).map((r, i) => (
            <tr key={i}>
              <td>{r.label}</td>
              <td>
                <SeverityBadge severity={r.severity} />
              </td>
              <td>{r.from}</td>
              <td>{r.chosen ? 'yes' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="episodes-heading">Episodes</h2>
      <table>
        <caption class="visually-hidden">Every episode of the finding, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Episode</th>
            <th scope="col">Opened</th>
            <th scope="col">Last seen</th>
            <th scope="col">Closed</th>
          </tr>
        </thead>
        <tbody>
          {hf.episodes.map((e) => (
            <tr key={e.episode}>
              <td>{e.episode}</td>
              <td>{when(e.firstSeen)}</td>
              <td>{when(e.lastSeen)}</td>
              <td>{e.closedAt ? `${when(e.closedAt)} (${e.closeReason ?? ''})` : 'open'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="matches-heading">Records that matched</h2>
      <table>
        <caption class="visually-hidden">Advisory records that matched the package, with how</caption>
        <thead>
          <tr>
            <th scope="col">Record</th>
            <th scope="col">Namespace</th>
            <th scope="col">Package</th>
            <th scope="col">Rule</th>
            <th scope="col">Record status</th>
          </tr>
        </thead>
        <tbody>
          {f.matches.map((m, i) => (
            <tr key={i}>
              <td>
                {m.source} {m.record}
              </td>
              <td>{m.namespace}</td>
              <td>
                {m.package}
                {m.via === 'source' ? ' (source package)' : ''}
              </td>
              <td>
                {m.rule} <span class="muted">({m.scheme})</span>
              </td>
              <td>{m.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Source>
        <code>{apiPath(`hosts/${hf.hostId}/findings/${hf.id}`)}</code>
      </Source>
    </>
  );
}
