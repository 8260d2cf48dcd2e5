import { apiPath, type HostSummary, type Query } from '../api';
import { href } from '../route';
import { Failure, Loading, Source, useApi, when } from '../ui';

/** Hosts, as GET /api/v1/hosts pages them: filtered by state and tag, sorted as the address says. */
export function Hosts({ params, onUnauthorized }: { params: URLSearchParams; onUnauthorized: (m: string) => void }) {
  const query: Query = {};
  for (const k of ['state', 'tag', 'q', 'sort', 'cursor']) {
    const v = params.get(k);
    if (v) query[k] = v;
  }
  const { data, error, loading } = useApi<{ hosts: HostSummary[]; next?: string }>('hosts', { ...query, limit: '100' }, onUnauthorized);
  const { cursor: _c, ...filters } = query;
  return (
    <>
      <h1>Hosts</h1>
      {Object.keys(filters).length ? (
        <p>
          Showing hosts with {Object.entries(filters).map(([k, v]) => `${k} ${v}`).join(', ')}. <a href={href(['hosts'])}>All hosts</a>
        </p>
      ) : null}
      {loading ? <Loading what="hosts" /> : null}
      {error ? <Failure error={error} /> : null}
      {data ? (
        <>
          <table data-testid="hosts-table">
            <caption class="visually-hidden">Hosts</caption>
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">State</th>
                <th scope="col">Agent</th>
                <th scope="col">Last seen</th>
                <th scope="col" class="num">Critical</th>
                <th scope="col" class="num">High</th>
                <th scope="col" class="num">Open</th>
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {data.hosts.map((h) => (
                <tr key={h.id}>
                  <td>
                    <a href={href(['hosts', h.id])}>{h.hostname}</a> <span class="muted">{h.id}</span>
                  </td>
                  <td>
                    {h.state}
                    {h.connected ? ' (connected)' : ''}
                  </td>
                  <td>{h.agentVersion}</td>
                  <td>{when(h.lastSeenAt)}</td>
                  <td class="num">{h.findings.critical}</td>
                  <td class="num">{h.findings.high}</td>
                  <td class="num">
                    <a href={href(['findings'], { host: h.id, status: 'ACTIVE' })}>{h.findings.total}</a>
                  </td>
                  <td>{h.tags.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label="Pages">
            {query.cursor ? <a href={href(['hosts'], filters)}>First page</a> : null}
            {data.next ? <a href={href(['hosts'], { ...filters, cursor: data.next })}>Next hosts</a> : <span class="muted">Last page</span>}
          </nav>
        </>
      ) : null}
      <Source>
        <code>{apiPath('hosts', { ...filters, limit: '100' })}</code>
      </Source>
    </>
  );
}
