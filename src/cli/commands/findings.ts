import { SEVERITIES } from '../../advisories/model.js';
import { VigilError } from '../../common/errors.js';
import type { HostFinding } from '../../server/fleet-types.js';
import { apiCall, apiList, apiTarget } from '../api-client.js';
import { parse } from '../args.js';
import { table } from '../output.js';

export const FINDINGS_USAGE = `usage: vigil findings list [--host ID] [--severity SEV[,SEV]] [--status ACTIVE|CLOSED|SUPPRESSED[,...]]
                          [--cve ID] [--tag KEY=VALUE] [--format table|json] [--json]
       vigil findings show HOST FINDING [--json]

list  the fleet's findings from a Vigil server, highest Vigil score first. Without
      --status only ACTIVE findings are listed. --cve matches the vulnerability id
      or any alias. A finding lives in episodes: it opens, closes with a reason
      (upgraded, removed, advisory-withdrawn, advisory-changed, host-revoked,
      patched-by-job:N) and, if it comes back, reopens as a new episode; every
      episode is kept (EPISODE column; "episodes" in --json).
show  one finding (its id as listed by --json) with every episode.
API and token as for "vigil hosts".`;

export async function findingsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'show') return findingShow(rest);
  if (sub !== 'list') throw new VigilError('USAGE', `unknown findings subcommand ${JSON.stringify(sub ?? '')}; use list or show`);
  const { values } = parse(
    rest,
    {
      host: { type: 'string' },
      severity: { type: 'string' },
      status: { type: 'string' },
      cve: { type: 'string' },
      tag: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      api: { type: 'string' },
      'token-file': { type: 'string' },
    },
    0,
  );
  if (values.format !== undefined && values.format !== 'json' && values.format !== 'table') throw new VigilError('USAGE', `--format must be table or json (got ${JSON.stringify(values.format)})`);
  checkList('severity', values.severity, SEVERITIES, (v) => v.toLowerCase());
  checkList('status', values.status, ['ACTIVE', 'CLOSED', 'SUPPRESSED'], (v) => v.toUpperCase());
  const t = apiTarget({ api: values.api, tokenFile: values['token-file'] });
  const findings = await apiList<HostFinding>(t, 'findings', 'findings', {
    host: values.host,
    severity: values.severity,
    status: values.status ?? 'ACTIVE',
    cve: values.cve,
    tag: values.tag,
  });
  if (values.json || values.format === 'json') {
    process.stdout.write(JSON.stringify(findings, null, 2) + '\n');
    return 0;
  }
  if (findings.length === 0) {
    process.stdout.write('no findings\n');
    return 0;
  }
  const rows = findings.map((s) => {
    const f = s.finding;
    return [
      f.score.toFixed(1),
      f.severity,
      f.vulnerability,
      s.hostId,
      f.component.name,
      f.installedVersion,
      f.fixedVersion ?? (f.status === 'affected' ? '(no fix yet)' : ''),
      f.kev ? 'yes' : '',
      f.exposure !== 'none' ? f.exposure : '',
      s.status === 'CLOSED' ? `CLOSED ${s.closeReason ?? ''}` : s.status,
      String(s.episode),
      s.firstSeen,
    ];
  });
  process.stdout.write(table(['SCORE', 'SEVERITY', 'VULNERABILITY', 'HOST', 'PACKAGE', 'INSTALLED', 'FIXED IN', 'KEV', 'EXPOSURE', 'STATUS', 'EPISODE', 'FIRST SEEN'], rows));
  return 0;
}

async function findingShow(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, api: { type: 'string' }, 'token-file': { type: 'string' } }, 2);
  const [host, id] = positionals;
  if (!host || !id) throw new VigilError('USAGE', 'findings show needs a host ID and a finding ID');
  const s = await apiCall<HostFinding>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'GET', `hosts/${encodeURIComponent(host)}/findings/${encodeURIComponent(id)}`);
  if (values.json) {
    process.stdout.write(JSON.stringify(s, null, 2) + '\n');
    return 0;
  }
  const f = s.finding;
  const lines = [
    ['id', s.id],
    ['host', s.hostId],
    ['vulnerability', f.vulnerability],
    ['package', `${f.component.name} ${f.installedVersion}`],
    ['severity', `${f.severity} (score ${f.score.toFixed(1)})`],
    ['status', s.status === 'CLOSED' ? `CLOSED ${s.closeReason ?? ''}` : s.status],
  ];
  process.stdout.write(table(['FIELD', 'VALUE'], lines));
  process.stdout.write('\n');
  process.stdout.write(
    table(
      ['EPISODE', 'OPENED', 'LAST SEEN', 'CLOSED', 'REASON'],
      s.episodes.map((e) => [String(e.episode), e.firstSeen, e.lastSeen, e.closedAt ?? '(open)', e.closeReason ?? '']),
    ),
  );
  return 0;
}

/** A comma-separated flag value must name only known values: a typo is a usage error, not an empty list. */
function checkList(flag: string, value: string | undefined, allowed: readonly string[], norm: (v: string) => string): void {
  if (value === undefined) return;
  for (const item of value.split(',').map((v) => v.trim()).filter(Boolean)) {
    if (!allowed.includes(norm(item))) throw new VigilError('USAGE', `--${flag}: ${flag} ${JSON.stringify(item)} is not one of ${allowed.join(', ')}`);
  }
}
