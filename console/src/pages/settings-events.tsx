import { useState } from 'preact/hooks';
import { apiPath, apiSend, session, type Answer } from '../api';
import { href, navigate } from '../route';
import { NeedsRole, OutcomeNote, Pager, act, useList, type Outcome } from '../settings-kit';
import { Failure, Loading, Source, when } from '../ui';
import type { TabProps } from './settings';

/**
 * Event routes (operators read them, admins create and delete them) and their
 * deliveries, dead letters first to hand (operators list and redeliver them).
 */

type EventRoute = Answer<'/api/v1/routes'>['routes'][number];

type Delivery = Answer<'/api/v1/deliveries'>['deliveries'][number];

const STATES: Array<[string, string]> = [
  ['', 'Any state'],
  ['dead', 'Dead letters'],
  ['pending', 'Pending'],
  ['delivered', 'Delivered'],
];

function targetText(t: EventRoute['target']): string {
  return [t.type, t.url ?? t.path ?? t.host, t.template].filter(Boolean).join(' ');
}

function Routes({ onUnauthorized }: { onUnauthorized: (m: string) => void }) {
  const list = useList<EventRoute>('routes', 'routes', {}, onUnauthorized);
  const [outcome, setOutcome] = useState<Outcome>();
  const [form, setForm] = useState({ name: '', pattern: '{"detail-type": ["Finding State Change"]}', url: '', template: 'raw' });
  const admin = session.can('admin');
  const create = async (e: Event) => {
    e.preventDefault();
    let pattern: unknown;
    try {
      pattern = JSON.parse(form.pattern);
    } catch (err) {
      setOutcome({ ok: false, text: `The pattern is not JSON: ${(err as Error).message}` });
      return;
    }
    const made = await act(
      () => apiSend<EventRoute & { target: { secret?: string } }>('POST', 'routes', { name: form.name, pattern, target: { type: 'webhook', url: form.url, template: form.template } }),
      (r) => `Route ${r.name} created${r.target.secret ? `; its signing secret, shown this once: ${r.target.secret}` : ''}.`,
      setOutcome,
      onUnauthorized,
    );
    if (made) list.reload();
  };
  const remove = async (r: EventRoute) => {
    if (await act(() => apiSend('DELETE', `routes/${encodeURIComponent(r.id)}`), () => `Route ${r.name} deleted with its deliveries.`, setOutcome, onUnauthorized)) list.reload();
  };
  return (
    <section aria-labelledby="routes-h">
      <h2 id="routes-h">Event routes</h2>
      <OutcomeNote outcome={outcome} testid="routes-outcome" />
      {list.loading ? <Loading what="event routes" /> : null}
      {list.error ? <Failure error={list.error} /> : null}
      {list.data ? (
        <table data-testid="routes-table">
          <caption class="visually-hidden">Event routes</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Pattern</th>
              <th scope="col">Target</th>
              <th scope="col">Enabled</th>
              <th scope="col">Created</th>
              {admin ? <th scope="col">Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((r) => (
              <tr key={r.id} data-route={r.id}>
                <td>{r.name}</td>
                <td>
                  <code>{JSON.stringify(r.pattern)}</code>
                </td>
                <td>{targetText(r.target)}</td>
                <td>{r.enabled ? 'yes' : 'no'}</td>
                <td>{when(r.createdAt)}</td>
                {admin ? (
                  <td>
                    <button type="button" class="danger" aria-label={`Delete route ${r.name}`} onClick={() => void remove(r)}>
                      Delete
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data?.items.length === 0 ? <p>No event route.</p> : null}
      <Source>
        <code>{apiPath('routes')}</code>
      </Source>
      {admin ? (
        <form class="filters" aria-label="New webhook route" onSubmit={(e) => void create(e)}>
          <div class="field">
            <label for="rt-name">Name</label>
            <input id="rt-name" value={form.name} onInput={(e) => setForm({ ...form, name: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field wide">
            <label for="rt-pattern">Event pattern (JSON)</label>
            <input id="rt-pattern" value={form.pattern} onInput={(e) => setForm({ ...form, pattern: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field wide">
            <label for="rt-url">Webhook URL (HTTPS, or HTTP to loopback)</label>
            <input id="rt-url" type="url" value={form.url} onInput={(e) => setForm({ ...form, url: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field">
            <label for="rt-template">Payload</label>
            <select id="rt-template" value={form.template} onChange={(e) => setForm({ ...form, template: (e.target as HTMLSelectElement).value })}>
              <option value="raw">Raw event</option>
              <option value="slack">Slack</option>
              <option value="teams">Teams</option>
            </select>
          </div>
          <button class="primary" type="submit">
            Create route
          </button>
        </form>
      ) : null}
    </section>
  );
}

function Deliveries({ params, onUnauthorized }: TabProps) {
  const state = params.get('state') ?? '';
  const cursor = params.get('cursor') ?? undefined;
  const list = useList<Delivery>('deliveries', 'deliveries', { state: state || undefined, cursor, limit: '50' }, onUnauthorized);
  const [outcome, setOutcome] = useState<Outcome>();
  const redeliver = async (d: Delivery) => {
    if (await act(() => apiSend<Delivery>('POST', `deliveries/${d.id}/redeliver`), (n) => `Delivery ${n.id} queued again (${n.state}).`, setOutcome, onUnauthorized)) list.reload();
  };
  return (
    <section aria-labelledby="deliveries-h">
      <h2 id="deliveries-h">Deliveries</h2>
      <div class="field inline">
        <label for="d-state">Show</label>
        <select id="d-state" value={state} onChange={(e) => navigate(href(['settings', 'events'], { state: (e.target as HTMLSelectElement).value || undefined }))}>
          {STATES.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <OutcomeNote outcome={outcome} testid="deliveries-outcome" />
      {list.loading ? <Loading what="deliveries" /> : null}
      {list.error ? <Failure error={list.error} /> : null}
      {list.data ? (
        <>
          <table data-testid="deliveries-table">
            <caption class="visually-hidden">Deliveries of events to routes</caption>
            <thead>
              <tr>
                <th scope="col" class="num">Id</th>
                <th scope="col">Route</th>
                <th scope="col">Event</th>
                <th scope="col">State</th>
                <th scope="col" class="num">Attempts</th>
                <th scope="col">Queued</th>
                <th scope="col">Next attempt or delivered</th>
                <th scope="col">Last error</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((d) => (
                <tr key={d.id} data-delivery={d.id}>
                  <td class="num">{d.id}</td>
                  <td>{d.routeId}</td>
                  <td>{d.eventId}</td>
                  <td>{d.state}</td>
                  <td class="num">{d.attempts}</td>
                  <td>{when(d.queuedAt)}</td>
                  <td>{when(d.deliveredAt ?? d.nextAttemptAt)}</td>
                  <td>{d.lastError ?? ''}</td>
                  <td>
                    {d.state !== 'pending' ? (
                      <button type="button" aria-label={`Redeliver delivery ${d.id}`} onClick={() => void redeliver(d)}>
                        Redeliver
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.items.length === 0 ? <p>No delivery{state ? ` in state ${state}` : ''}.</p> : null}
          <Pager path={['settings', 'events']} params={{ state: state || undefined, cursor }} next={list.data.next} what="deliveries" />
        </>
      ) : null}
      <Source>
        <code>{apiPath('deliveries', { state: state || undefined, limit: '50' })}</code> (one page per cursor)
      </Source>
    </section>
  );
}

export function EventsTab(props: TabProps) {
  return (
    <NeedsRole role="operator" what="Event routes and deliveries">
      <Routes onUnauthorized={props.onUnauthorized} />
      <Deliveries {...props} />
    </NeedsRole>
  );
}
