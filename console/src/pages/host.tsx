import { apiPath, type HostDetail, type HostFinding } from '../api';
import { useRef, useState } from 'preact/hooks';
import { href } from '../route';
import { HostInventory, Rescan } from './host-inventory';
import { Failure, FindingsTable, Loading, Source, useApi, when } from '../ui';

/** One host: what its agent reported, its tags and its open findings. */
export function HostDetailPage({ id, params = new URLSearchParams(), onUnauthorized }: { id: string; params?: URLSearchParams; onUnauthorized: (m: string) => void }) {
  // A finished rescan loads the host, its findings and inventory again.
  const [version, setVersion] = useState(0);
  const host = useApi<HostDetail>(`hosts/${encodeURIComponent(id)}`, {}, onUnauthorized, version);
  const open = useApi<{ findings: HostFinding[]; next?: string }>('findings', { host: id, status: 'ACTIVE', limit: '100' }, onUnauthorized, version);
  // While a reload after a rescan is under way the page keeps what it showed, so the rescan's steps stay on screen.
  const shown = useRef<HostDetail | undefined>(undefined);
  if (host.data) shown.current = host.data;
  else if (!host.loading || shown.current?.id !== id) shown.current = undefined;
  if (host.loading && !shown.current) return <Loading what={`host ${id}`} />;
  if (host.error || !shown.current) return <Failure error={host.error ?? new Error('no answer')} />;
  const h = shown.current;
  const facts = h.facts;
  const problems = (h.coverage?.problems ?? []) as Array<{ message?: string; code?: string }>;
  return (
    <>
      <h1>
        Host <span data-testid="host-name">{h.hostname}</span>
      </h1>
      <div class="cols">
        <section aria-labelledby="facts-heading">
          <h2 id="facts-heading">Facts</h2>
          <dl class="facts">
            <dt>Id</dt>
            <dd>{h.id}</dd>
            <dt>State</dt>
            <dd>
              {h.state}
              {h.connected ? ' (connected now)' : ''}
            </dd>
            <dt>Operating system</dt>
            <dd>{h.os ?? facts.host?.os ?? 'not reported'}</dd>
            <dt>Kernel</dt>
            <dd>{h.kernel ?? facts.kernel?.running ?? 'not reported'}</dd>
            <dt>Architecture</dt>
            <dd>{facts.host?.arch ?? 'not reported'}</dd>
            <dt>Addresses</dt>
            <dd>{facts.host?.addresses?.join(', ') || 'none reported'}</dd>
            <dt>Agent version</dt>
            <dd>{h.agentVersion}</dd>
            <dt>Enrolled</dt>
            <dd>{when(h.enrolledAt)}</dd>
            <dt>Last seen</dt>
            <dd>{when(h.lastSeenAt)}</dd>
            <dt>Components</dt>
            <dd>{h.components.toLocaleString('en')}</dd>
            <dt>Open findings</dt>
            <dd>
              <a href={href(['findings'], { host: h.id, status: 'ACTIVE' })}>{h.findings.total}</a> ({h.findings.critical} critical, {h.findings.high} high)
            </dd>
          </dl>
          <h2 id="tags-heading">Tags</h2>
          {h.tags.length ? (
            <ul class="tags" aria-labelledby="tags-heading">
              {h.tags.map((t) => (
                <li key={t}>
                  <a href={href(['findings'], { tag: t, status: 'ACTIVE' })}>{t}</a>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">No tags.</p>
          )}
          {problems.length ? (
            <>
              <h2>Advisory coverage</h2>
              <ul>
                {problems.map((p, i) => (
                  <li key={i}>{p.message ?? p.code}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <section aria-labelledby="ports-heading">
          <h2 id="ports-heading">Listening ports</h2>
          {facts.ports?.length ? (
            <table>
              <caption class="visually-hidden">Listening ports</caption>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Exposure</th>
                  <th scope="col">Process</th>
                  <th scope="col">Package</th>
                </tr>
              </thead>
              <tbody>
                {facts.ports.map((p) => (
                  <tr key={`${p.protocol} ${p.address} ${p.port}`}>
                    <td>
                      {p.protocol} {p.address}:{p.port}
                    </td>
                    <td>{p.exposure}</td>
                    <td>{p.process ?? p.executable ?? ''}</td>
                    <td>{p.package ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">No listening sockets reported.</p>
          )}
        </section>
      </div>
      <Rescan id={h.id} onDone={() => setVersion((v) => v + 1)} />
      <h2 id="host-findings-heading">Open findings</h2>
      {open.loading ? <Loading what="findings" /> : null}
      {open.error ? <Failure error={open.error} /> : null}
      {open.data ? (
        <>
          <FindingsTable findings={open.data.findings} caption={`Open findings of ${h.hostname}`} showHost={false} />
          {open.data.next ? (
            <p>
              <a href={href(['findings'], { host: h.id, status: 'ACTIVE', cursor: open.data.next, limit: '100' })}>More findings of this host</a>
            </p>
          ) : null}
        </>
      ) : null}
      <HostInventory id={h.id} params={params} version={version} onUnauthorized={onUnauthorized} />
      <Source>
        <code>{apiPath(`hosts/${h.id}`)}</code> and <code>{apiPath('findings', { host: h.id, status: 'ACTIVE', limit: '100' })}</code>
      </Source>
    </>
  );
}
