import { apiPath, session, type Schema } from '../api';
import { href, navigate } from '../route';
import { Failure, Loading, Source, useApi, when } from '../ui';

export type Job = Schema<'Job'>;

const STATES = ['running', 'paused', 'completed', 'completed_with_failures', 'failed', 'cancelled'];

/** What a job patches, from its spec. */
export function selection(spec: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const k of ['cve', 'severity', 'tag', 'hosts', 'packages'] as const) {
    const v = spec[k];
    if (v !== undefined) parts.push(`${k} ${Array.isArray(v) ? v.join(',') : String(v)}`);
  }
  return parts.join('; ');
}

/** Patch jobs as GET /api/v1/jobs pages them, filtered by state in the address. */
export function Jobs({ params, onUnauthorized }: { params: URLSearchParams; onUnauthorized: (m: string) => void }) {
  const state = params.get('state') ?? '';
  const cursor = params.get('cursor') ?? '';
  const query = { state, cursor, limit: '50' };
  const { data, error, loading } = useApi<{ jobs: Job[]; next?: string }>('jobs', query, onUnauthorized);
  const chosen = new Set(state.split(',').filter(Boolean));
  const toggle = (s: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(s);
    else next.delete(s);
    navigate(href(['jobs'], { state: [...next].join(',') }));
  };
  return (
    <>
      <h1>Patch jobs</h1>
      {session.can('operator') ? (
        <p>
          <a class="button" href={href(['jobs', 'new'])} data-testid="new-job">
            New patch job
          </a>
        </p>
      ) : null}
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>State</legend>
          {STATES.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={chosen.has(s)} onChange={(e) => toggle(s, (e.target as HTMLInputElement).checked)} /> {s}
            </label>
          ))}
        </fieldset>
      </form>
      {loading ? <Loading what="patch jobs" /> : null}
      {error ? <Failure error={error} /> : null}
      {data ? (
        <>
          <table data-testid="jobs-table">
            <caption class="visually-hidden">Patch jobs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">State</th>
                <th scope="col">Selection</th>
                <th scope="col">Created</th>
                <th scope="col">Updated</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {data.jobs.map((j) => (
                <tr key={j.id} data-job={j.id}>
                  <td>
                    <a href={href(['jobs', String(j.id)])}>Job {j.id}</a>
                  </td>
                  <td>{j.state}</td>
                  <td>{selection(j.spec)}</td>
                  <td>{when(j.createdAt)}</td>
                  <td>{when(j.updatedAt)}</td>
                  <td>{j.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.jobs.length === 0 ? <p class="muted">No patch job matches.</p> : null}
          <div class="pager">
            {cursor ? <a href={href(['jobs'], { state })}>First page</a> : null}
            {data.next ? <a href={href(['jobs'], { state, cursor: data.next })}>Next page</a> : null}
          </div>
        </>
      ) : null}
      <Source>
        <code>{apiPath('jobs', query)}</code>
      </Source>
    </>
  );
}
