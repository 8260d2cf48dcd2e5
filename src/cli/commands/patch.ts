import { VigilError } from '../../common/errors.js';
import type { JobRecord } from '../../store/job-store.js';
import type { JobView } from '../../server/patch-service.js';
import { apiCall, apiList, apiTarget } from '../api-client.js';
import { parse } from '../args.js';
import { table } from '../output.js';

export const PATCH_USAGE = `usage: vigil patch create (--cve ID | --severity SEV[,SEV] | --tag KEY=VALUE | --hosts ID[,ID])...
                          [--canary N] [--waves N|P%] [--concurrency N] [--failure-threshold 0.2]
                          [--window CRON --window-minutes M] [--deadline ISO] [--timeout SECONDS] [--json]
       vigil patch status JOB [--json]
       vigil patch list [--json]
       vigil patch pause|resume|cancel JOB [--json]

create   selects the active findings with a known fix (by CVE, severity, tag or
         hosts), groups their packages per host and rolls the upgrade out: the
         canary hosts first (default 1), then waves (a count or a percentage of the
         rest), at most --concurrency commands at once. --window (five-field cron,
         UTC) with --window-minutes limits when commands are sent; none is sent
         after --deadline. Each command is signed by the server's online key and
         verified by the host's executor; the host reports back with a rescan, and
         verified hosts close their findings with reason patched-by-job:JOB.
         Refused (exit 8) while a selected host is in another running or paused
         job, or while the online key is revoked or its delegation expired; a
         deadline in the past is refused (exit 4).

A host goes pending -> sent (signed) -> running (handed to its agent) ->
verified | failed, or pending -> skipped when it is never sent (deadline passed,
job failed or cancelled first). A job is running or paused until it ends:
  completed                every host verified
  completed_with_failures  some host failed or was skipped, and the failed share
                           of the hosts that ran is within --failure-threshold
  failed                   the failed share exceeded the threshold (checked at
                           each wave boundary and at the end), or no host verified
  cancelled                by "vigil patch cancel"
API and token as for "vigil hosts".`;

const COMMON = { api: { type: 'string' }, 'token-file': { type: 'string' }, json: { type: 'boolean' } } as const;

function print(json: boolean | undefined, value: unknown, text: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : text());
}

function viewText(v: JobView): string {
  const c = v.counts;
  const lines = [
    `job ${v.job.id}: ${v.job.state}${v.job.reason ? ` (${v.job.reason})` : ''}; created ${v.job.createdAt}`,
    `hosts: ${v.hosts.length} (verified ${c.verified}, failed ${c.failed}, running ${c.running}, sent ${c.sent}, pending ${c.pending}, skipped ${c.skipped}); findings closed: ${v.closed.length}`,
    '',
  ];
  const t = table(
    ['HOST', 'WAVE', 'STATE', 'PACKAGES', 'DETAIL'],
    v.hosts.map((h) => [h.hostId, String(h.wave), h.state, h.packages.map((p) => `${p.name}>=${p.fixedVersion}`).join(' '), h.detail ?? '']),
  );
  return lines.join('\n') + t;
}

export async function patchCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'create': {
      const { values } = parse(
        rest,
        {
          ...COMMON,
          cve: { type: 'string' },
          severity: { type: 'string' },
          tag: { type: 'string' },
          hosts: { type: 'string' },
          canary: { type: 'string' },
          waves: { type: 'string' },
          concurrency: { type: 'string' },
          'failure-threshold': { type: 'string' },
          window: { type: 'string' },
          'window-minutes': { type: 'string' },
          deadline: { type: 'string' },
          timeout: { type: 'string' },
        },
        0,
      );
      const t = apiTarget({ api: values.api, tokenFile: values['token-file'] });
      const r = await apiCall<{ jobId: number; hosts: Array<{ hostId: string; wave: number; packages: Array<{ name: string; fixedVersion: string }> }> }>(t, 'POST', 'jobs', {
        cve: values.cve,
        severity: values.severity,
        tag: values.tag,
        hosts: values.hosts,
        canary: values.canary,
        waves: values.waves,
        concurrency: values.concurrency,
        'failure-threshold': values['failure-threshold'],
        window: values.window,
        'window-minutes': values['window-minutes'],
        deadline: values.deadline,
        timeout: values.timeout,
      });
      print(values.json, r, () => `patch job ${r.jobId} created for ${r.hosts.length} hosts\n` + table(['HOST', 'WAVE', 'PACKAGES'], r.hosts.map((h) => [h.hostId, String(h.wave), h.packages.map((p) => `${p.name}>=${p.fixedVersion}`).join(' ')])));
      return 0;
    }
    case 'status': {
      const { values, positionals } = parse(rest, COMMON, 1);
      const v = await apiCall<JobView>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'GET', `jobs/${jobId(positionals[0])}`);
      print(values.json, v, () => viewText(v));
      return 0;
    }
    case 'list': {
      const { values } = parse(rest, COMMON, 0);
      const jobs = await apiList<JobRecord>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'jobs', 'jobs');
      print(values.json, jobs, () => (jobs.length ? table(['JOB', 'STATE', 'CREATED', 'REASON'], jobs.map((j) => [String(j.id), j.state, j.createdAt, j.reason ?? ''])) : 'no patch jobs\n'));
      return 0;
    }
    case 'pause':
    case 'resume':
    case 'cancel': {
      const { values, positionals } = parse(rest, COMMON, 1);
      const j = await apiCall<JobRecord>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'POST', `jobs/${jobId(positionals[0])}/${sub}`);
      print(values.json, j, () => `job ${j.id}: ${j.state}\n`);
      return 0;
    }
    default:
      throw new VigilError('USAGE', `unknown patch subcommand ${JSON.stringify(sub ?? '')}; use create, status, list, pause, resume or cancel`);
  }
}

function jobId(text: string | undefined): string {
  if (!text || !/^\d+$/.test(text)) throw new VigilError('USAGE', 'a job number is required');
  return text;
}
