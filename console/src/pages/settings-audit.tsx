import { apiPath, type Schema } from '../api';
import { NeedsRole, Pager, useList } from '../settings-kit';
import { Failure, Loading, Source, when } from '../ui';
import type { TabProps } from './settings';

/** The audit log (admins only), oldest first, one cursor page at a time. */

type AuditEntry = Schema<'AuditEntry'>;

function Audit({ params, onUnauthorized }: TabProps) {
  const cursor = params.get('cursor') ?? undefined;
  const list = useList<AuditEntry>('audit', 'entries', { cursor, limit: '100' }, onUnauthorized);
  return (
    <>
      {list.loading ? <Loading what="the audit log" /> : null}
      {list.error ? <Failure error={list.error} /> : null}
      {list.data ? (
        <>
          <table data-testid="audit-table">
            <caption class="visually-hidden">Audit log entries, oldest first</caption>
            <thead>
              <tr>
                <th scope="col" class="num">Seq</th>
                <th scope="col">Time</th>
                <th scope="col">Who</th>
                <th scope="col">From</th>
                <th scope="col">Request</th>
                <th scope="col" class="num">Status</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((e) => (
                <tr key={e.seq} data-seq={e.seq}>
                  <td class="num">{e.seq}</td>
                  <td>{when(e.time)}</td>
                  <td>{e.actor ? `${e.actor.name} (${e.actor.role})` : <span class="muted">no valid token</span>}</td>
                  <td>{e.remote}</td>
                  <td>
                    <code>
                      {e.method} {e.path}
                    </code>
                  </td>
                  <td class="num">{e.status}</td>
                  <td>{e.code ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.items.length === 0 ? <p>Nothing audited yet.</p> : null}
          <Pager path={['settings', 'audit']} params={{ cursor }} next={list.data.next} what="audit entries" />
        </>
      ) : null}
      <Source>
        <code>{apiPath('audit', { limit: '100' })}</code> (one page per cursor; each line chains to the one before by its SHA-256)
      </Source>
    </>
  );
}

export function AuditTab(props: TabProps) {
  return (
    <NeedsRole role="admin" what="The audit log">
      <Audit {...props} />
    </NeedsRole>
  );
}
