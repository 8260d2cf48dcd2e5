import { useEffect, useState } from 'preact/hooks';
import { apiEvents, apiPath, apiSend, session, type Answer } from '../api';
import { href, navigate } from '../route';
import { Failure, Loading, Source, useApi, when } from '../ui';

type Row = Answer<'/api/v1/hosts/{id}/inventory'>['components'][number];
type Change = Answer<'/api/v1/hosts/{id}/history'>['changes'][number];

function RowsTable({ rows, caption, testid }: { rows: Row[]; caption: string; testid: string }) {
  return (
    <table data-testid={testid}>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Package</th>
          <th scope="col">Version</th>
          <th scope="col">Source</th>
          <th scope="col">Found by</th>
          <th scope="col">Location</th>
          <th scope="col">In use</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-key={r.key}>
            <td>{r.name}</td>
            <td>{r.version}</td>
            <td>{r.source ?? ''}</td>
            <td>{r.foundBy}</td>
            <td>{r.locations.join(', ')}</td>
            <td>{r.inUse === null ? 'unknown' : r.inUse ? 'yes' : 'no'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The host's inventory searched by the server (`?q=` in the address), its packages in use and its history of inventory changes. */
export function HostInventory({ id, params, version, onUnauthorized }: { id: string; params: URLSearchParams; version: number; onUnauthorized: (m: string) => void }) {
  const q = params.get('q') ?? '';
  const cursor = params.get('cursor') ?? '';
  const path = `hosts/${encodeURIComponent(id)}/inventory`;
  const query = { q, cursor, limit: '50' };
  const inv = useApi<{ components: Row[]; next?: string }>(path, query, onUnauthorized, version);
  const used = useApi<{ components: Row[]; next?: string }>(path, { inUse: 'true', limit: '50' }, onUnauthorized, version);
  const hist = useApi<{ changes: Change[]; next?: string }>(`hosts/${encodeURIComponent(id)}/history`, { limit: '20' }, onUnauthorized, version);
  const [text, setText] = useState(q);
  return (
    <>
      <h2 id="inventory-heading">Inventory</h2>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href(['hosts', id], { q: text }));
        }}
      >
        <div class="field">
          <label for="inventory-q">Package, version, source or location</label>
          <input id="inventory-q" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </div>
        <button class="primary" type="submit">
          Search
        </button>
      </form>
      {inv.loading ? <Loading what="inventory" /> : null}
      {inv.error ? <Failure error={inv.error} /> : null}
      {inv.data ? (
        <>
          <RowsTable rows={inv.data.components} caption="Components matching the search" testid="inventory-table" />
          <div class="pager">{inv.data.next ? <a href={href(['hosts', id], { q, cursor: inv.data.next })}>Next page</a> : null}</div>
        </>
      ) : null}
      <Source>
        <code>{apiPath(path, query)}</code>
      </Source>
      <h2>Packages in use</h2>
      {used.data ? (
        used.data.components.length ? (
          <RowsTable rows={used.data.components} caption="Components a running process uses" testid="in-use-table" />
        ) : (
          <p class="muted">No component reported in use.</p>
        )
      ) : null}
      <h2>History of inventory changes</h2>
      {hist.data ? (
        <table data-testid="history-table">
          <caption class="visually-hidden">Inventory changes, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Seq</th>
              <th scope="col">Received</th>
              <th scope="col">Kind</th>
              <th scope="col" class="num">Added</th>
              <th scope="col" class="num">Removed</th>
              <th scope="col" class="num">Changed</th>
              <th scope="col">Packages</th>
            </tr>
          </thead>
          <tbody>
            {hist.data.changes.map((c) => (
              <tr key={c.id}>
                <td>{c.seq}</td>
                <td>{when(c.at)}</td>
                <td>{c.kind}</td>
                <td class="num">{c.added}</td>
                <td class="num">{c.removed}</td>
                <td class="num">{c.changed}</td>
                <td>{[...c.names.changed, ...c.names.added.map((n) => `+ ${n}`), ...c.names.removed.map((n) => `− ${n}`)].slice(0, 8).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Source>
        <code>{apiPath(`hosts/${id}/history`, { limit: '20' })}</code>
      </Source>
    </>
  );
}

type RescanAnswer = Answer<'/api/v1/hosts/{id}/rescan', 'post'>;
interface Step {
  text: string;
  time: string;
}

const clock = (iso: string): string => (Number.isNaN(Date.parse(iso)) ? iso : new Date(iso).toISOString().slice(11, 23) + 'Z');
const matched = (n: { added: number; removed: number; changed: number; findingsOpened: number; findingsClosed: number }): string =>
  `matched: ${n.added} added, ${n.removed} removed, ${n.changed} changed; ${n.findingsOpened} findings opened, ${n.findingsClosed} closed`;

/**
 * Rescan, with each step as GET /api/v1/hosts/ID/events reports it and its time. The
 * stream opens before the request goes, and stays open until the step "matched" of
 * this request (its id is in the POST's answer) has arrived: the server sends it before
 * it answers, but over another connection, so it may arrive after the answer; a stream
 * that drops meanwhile resumes with Last-Event-ID. Only when the stream is down at the
 * answer do the answer's own numbers stand for the step.
 */
export function Rescan({ id, onDone }: { id: string; onDone: () => void }) {
  const [steps, setSteps] = useState<Step[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();
  useEffect(() => {
    if (!running) return;
    let posted = false;
    let open = false;
    let answer: RescanAnswer | undefined;
    const heard = new Set<string>();
    let over = false;
    const add = (text: string, time: string) => setSteps((s) => [...s, { text, time }]);
    const finish = (err?: Error) => {
      if (over) return;
      over = true;
      if (err) setError(err);
      else onDone();
      setRunning(false);
    };
    const post = async () => {
      try {
        answer = await apiSend<RescanAnswer>('POST', `hosts/${encodeURIComponent(id)}/rescan`);
        if (heard.has(answer.requestId)) return finish();
        if (!open) {
          const a = answer;
          add(`${matched({ added: a.added.length, removed: a.removed.length, changed: a.changed.length, findingsOpened: a.findingsOpened.length, findingsClosed: a.findingsClosed.length })} (from the rescan's answer)`, new Date().toISOString());
          finish();
        }
      } catch (err) {
        finish(err as Error);
      }
    };
    const close = apiEvents(
      `hosts/${encodeURIComponent(id)}/events`,
      {
        rescan: (e: { phase: string; requestId?: string; time: string; added: number; removed: number; changed: number; findingsOpened: number; findingsClosed: number; detail?: string }) => {
          if (over) return;
          if (e.phase === 'requested') add('rescan requested', e.time);
          else if (e.phase === 'received') add('inventory received from the agent', e.time);
          else if (e.phase === 'failed') add(`failed: ${e.detail}`, e.time);
          else if (e.phase === 'matched') {
            add(matched(e), e.time);
            if (e.requestId) heard.add(e.requestId);
            if (answer && e.requestId === answer.requestId) finish();
          }
        },
        inventory: (e: { seq?: number; opened: number; closed: number; time: string }) => {
          if (!over) add(`inventory applied (seq ${e.seq ?? '?'}): ${e.opened} findings opened, ${e.closed} closed`, e.time);
        },
      },
      (state) => {
        open = state;
        if (open && !posted) {
          posted = true;
          void post();
        }
      },
    );
    return close;
  }, [running]);
  if (!session.can('operator')) return null;
  const start = () => {
    setSteps([]);
    setError(undefined);
    setRunning(true);
  };
  return (
    <section aria-labelledby="rescan-heading">
      <h2 id="rescan-heading">Rescan</h2>
      <button class="primary" type="button" disabled={running} onClick={() => void start()}>
        {running ? 'Rescanning…' : 'Rescan now'}
      </button>
      <ol data-testid="rescan-steps" aria-live="polite">
        {steps.map((s, i) => (
          <li key={i}>
            <time dateTime={s.time}>{clock(s.time)}</time> {s.text}
          </li>
        ))}
      </ol>
      {!running && steps.length && !error ? <p data-testid="rescan-done">Rescan finished.</p> : null}
      {error ? <Failure error={error} /> : null}
      <Source>
        Steps from <code>{apiPath(`hosts/${id}/events`)}</code>, the request <code>POST {apiPath(`hosts/${id}/rescan`)}</code>
      </Source>
    </section>
  );
}
