import { useState } from 'preact/hooks';
import { ApiError, apiGet, apiPath, apiSend, session, type Query, type Answer } from '../api';
import { href, navigate } from '../route';
import { Failure } from '../ui';

type Preview = Answer<'/api/v1/jobs/preview'>;

const FIELDS: Array<[string, string, string]> = [
  ['hosts', 'Hosts (ids, comma-separated)', ''],
  ['tag', 'Hosts with tag (key=value)', ''],
  ['cve', 'Vulnerability', ''],
  ['severity', 'Severities (comma-separated)', ''],
  ['package', 'Packages (comma-separated)', ''],
  ['canary', 'Canary hosts', '1'],
  ['waves', 'Waves (count or percent, 20%)', '1'],
  ['failure-threshold', 'Failure threshold (0 to 1)', '0.2'],
  ['window', 'Maintenance window (cron, UTC)', ''],
  ['window-minutes', 'Window length (minutes)', '120'],
  ['deadline', 'Deadline (ISO time)', ''],
];

/** A new patch job: the form prefilled from the address (`#/jobs/new?hosts=H&package=P`), the exact commands previewed, then created. */
export function NewJob({ params }: { params: URLSearchParams; onUnauthorized: (m: string) => void }) {
  const [values, setValues] = useState<Query>(() => Object.fromEntries(FIELDS.map(([k, , d]) => [k, params.get(k) ?? d])));
  const [preview, setPreview] = useState<{ query: string; data: Preview }>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  if (!session.can('operator')) {
    return (
      <>
        <h1>New patch job</h1>
        <p data-testid="no-create">Creating a patch job needs an operator token; this session's token is a {session.current()?.role}.</p>
      </>
    );
  }
  const query = (): Query => Object.fromEntries(Object.entries(values).filter(([, v]) => v));
  const key = JSON.stringify(query());
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const doPreview = () => run(async () => setPreview({ query: key, data: await apiGet<Preview>('jobs/preview', query()) }));
  const create = () =>
    run(async () => {
      const r = await apiSend<{ jobId: number }>('POST', 'jobs', undefined, query());
      navigate(href(['jobs', String(r.jobId)]));
    });
  const current = preview && preview.query === key ? preview.data : undefined;
  return (
    <>
      <h1>New patch job</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void doPreview();
        }}
      >
        {FIELDS.map(([k, label]) => (
          <div class="field" key={k}>
            <label for={`job-${k}`}>{label}</label>
            <input id={`job-${k}`} name={k} value={values[k] ?? ''} onInput={(e) => setValues({ ...values, [k]: (e.target as HTMLInputElement).value })} />
          </div>
        ))}
        <button class="primary" type="submit" disabled={busy}>
          Preview commands
        </button>
      </form>
      {error ? <Failure error={error instanceof ApiError ? error : new Error(error.message)} /> : null}
      {current ? (
        <section aria-labelledby="preview-heading" data-testid="preview">
          <h2 id="preview-heading">
            Preview: {current.hosts.length} host(s) in {current.waves} wave(s)
          </h2>
          {current.problem ? (
            <div class="error" role="alert">
              The job would be refused now: {current.problem}
            </div>
          ) : null}
          <table>
            <caption class="visually-hidden">Hosts the job would patch, with the commands each runs</caption>
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Wave</th>
                <th scope="col">Packages</th>
                <th scope="col">Commands</th>
              </tr>
            </thead>
            <tbody>
              {current.hosts.map((h) => (
                <tr key={h.hostId} data-host={h.hostId}>
                  <td>
                    <a href={href(['hosts', h.hostId])}>{h.hostname}</a>
                  </td>
                  <td>{h.wave}</td>
                  <td>{h.packages.map((p) => `${p.name} ≥ ${p.fixedVersion}`).join(', ')}</td>
                  <td>
                    <pre class="command" data-testid="commands">
                      {h.steps.map((s) => `${s.argv.join(' ')}${s.required ? '' : '   (may fail)'}`).join('\n')}
                    </pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="source">
            Source: <code>{apiPath('jobs/preview', query())}</code>; each host's executor runs these under chroot when its root is not /.
          </p>
          <button class="primary" type="button" disabled={busy || !!current.problem || current.hosts.length === 0} onClick={() => void create()} data-testid="start-job">
            Start the job
          </button>
        </section>
      ) : null}
    </>
  );
}
