import { useEffect, useState } from 'preact/hooks';
import { apiEvents, apiPath, apiSend, session } from '../api';
import { href } from '../route';
import { Failure, Loading, Source, when } from '../ui';
import { selection, type Job } from './jobs';

interface JobHost {
  hostId: string;
  wave: number;
  manager: string;
  packages: Array<{ name: string; fixedVersion: string }>;
  state: string;
  sentAt?: string;
  finishedAt?: string;
  detail?: string;
  result?: { outcome: string; verified: boolean; before: Array<{ name: string; version?: string }>; after: Array<{ name: string; version?: string }>; reason?: string };
}
interface JobView {
  job: Job;
  hosts: JobHost[];
  counts: Record<string, number>;
  closed: Array<{ hostId: string; finding: string; vulnerability: string; package: string; closedAt: string; remediationSeconds: number }>;
}

const ACTIVE = new Set(['running', 'paused']);

/** One patch job, live: GET /api/v1/jobs/N/events sends its snapshot, then each change as the patch service records it. */
export function JobDetail({ id }: { id: string; onUnauthorized: (m: string) => void }) {
  const [view, setView] = useState<JobView>();
  const [live, setLive] = useState<'connecting' | 'live' | 'reconnecting' | 'ended'>('connecting');
  const [error, setError] = useState<Error>();
  useEffect(() => {
    let ended = false;
    // A job that is over ends its stream: close ours too instead of reconnecting.
    const over = (state: string) => {
      if (ACTIVE.has(state) || ended) return;
      ended = true;
      close();
      setLive('ended');
    };
    const show = (v: JobView) => {
      setView(v);
      over(v.job.state);
    };
    const close = apiEvents(
      `jobs/${encodeURIComponent(id)}/events`,
      {
        snapshot: show,
        view: show,
        job: (e: { state: Job['state']; reason?: string }) => setView((v) => (v ? { ...v, job: { ...v.job, state: e.state, ...(e.reason ? { reason: e.reason } : {}) } } : v)),
        host: (e: { hostId: string; state: string; detail?: string }) =>
          setView((v) => (v ? { ...v, hosts: v.hosts.map((h) => (h.hostId === e.hostId ? { ...h, state: e.state, ...(e.detail ? { detail: e.detail } : {}) } : h)) } : v)),
      },
      (open) => !ended && setLive(open ? 'live' : 'reconnecting'),
    );
    return () => {
      ended = true;
      close();
    };
  }, [id]);
  if (!view) return live === 'reconnecting' ? <Failure error={new Error(`no live stream for job ${id}`)} /> : <Loading what={`job ${id}`} />;
  const act = async (action: 'pause' | 'resume' | 'cancel') => {
    setError(undefined);
    try {
      await apiSend('POST', `jobs/${view.job.id}/${action}`);
    } catch (err) {
      setError(err as Error);
    }
  };
  const st = view.job.state;
  return (
    <>
      <h1>
        Patch job {view.job.id}: <span data-testid="job-state">{st}</span>
      </h1>
      <p role="status" class="muted" data-testid="live">
        {live === 'live' ? 'Live: changes appear as they happen.' : live === 'ended' ? 'The job is over.' : 'Connecting to the live stream…'}
      </p>
      <dl class="facts">
        <dt>Selection</dt>
        <dd>{selection(view.job.spec)}</dd>
        <dt>Created</dt>
        <dd>{when(view.job.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{when(view.job.updatedAt)}</dd>
        {view.job.reason ? (
          <>
            <dt>Reason</dt>
            <dd>{view.job.reason}</dd>
          </>
        ) : null}
        <dt>Hosts</dt>
        <dd data-testid="counts">
          {Object.entries(view.counts)
            .filter(([, n]) => n > 0)
            .map(([s, n]) => `${n} ${s}`)
            .join(', ')}
        </dd>
      </dl>
      {session.can('operator') ? (
        <p class="pager">
          {st === 'running' ? (
            <button type="button" onClick={() => void act('pause')}>
              Pause
            </button>
          ) : null}
          {st === 'paused' ? (
            <button type="button" onClick={() => void act('resume')}>
              Resume
            </button>
          ) : null}
          {ACTIVE.has(st) ? (
            <button type="button" onClick={() => void act('cancel')}>
              Cancel
            </button>
          ) : null}
        </p>
      ) : null}
      {error ? <Failure error={error} /> : null}
      <h2 id="hosts-heading">Hosts</h2>
      <table data-testid="job-hosts">
        <caption class="visually-hidden">Each host of the job with its state and the evidence of its verification</caption>
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Wave</th>
            <th scope="col">State</th>
            <th scope="col">Packages</th>
            <th scope="col">Before → after</th>
            <th scope="col">Verification</th>
          </tr>
        </thead>
        <tbody>
          {view.hosts.map((h) => (
            <tr key={h.hostId} data-host={h.hostId}>
              <td>
                <a href={href(['hosts', h.hostId])}>{h.hostId}</a>
              </td>
              <td>{h.wave}</td>
              <td data-testid="host-state">{h.state}</td>
              <td>{h.packages.map((p) => `${p.name} ≥ ${p.fixedVersion}`).join(', ')}</td>
              <td data-testid="evidence">
                {h.result
                  ? h.result.before
                      .map((b) => `${b.name} ${b.version ?? 'absent'} → ${h.result!.after.find((a) => a.name === b.name)?.version ?? 'absent'}`)
                      .join(', ')
                  : ''}
              </td>
              <td>
                {h.result ? `${h.result.outcome}, ${h.result.verified ? 'verified' : 'not verified'}` : ''}
                {h.detail ? <div class="muted">{h.detail}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.closed.length ? (
        <>
          <h2>Findings the job closed</h2>
          <ul data-testid="closed">
            {view.closed.map((c) => (
              <li key={`${c.hostId} ${c.finding}`}>
                <a href={href(['hosts', c.hostId, 'findings', c.finding])}>{c.vulnerability}</a> in {c.package} on {c.hostId}, closed {when(c.closedAt)} ({c.remediationSeconds} s after first seen)
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Source>
        <code>{apiPath(`jobs/${view.job.id}/events`)}</code> (server-sent events; the same as <code>{apiPath(`jobs/${view.job.id}`)}</code>, live)
      </Source>
    </>
  );
}
