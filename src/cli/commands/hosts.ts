import { VigilError } from '../../common/errors.js';
import type { RescanResult } from '../../server/connect-service.js';
import type { HostDetail, HostSummary } from '../../server/fleet-service.js';
import type { DeletedHost } from '../../store/fleet-store.js';
import { apiCall, apiList, apiTarget } from '../api-client.js';
import { parse } from '../args.js';
import { table } from '../output.js';

export const HOSTS_USAGE = `usage: vigil hosts list [--tag KEY=VALUE] [--format table|json] [--json]
       vigil hosts show ID [--json]
       vigil hosts rescan ID [--timeout SECONDS] [--json]
       vigil hosts revoke ID [--json]
       vigil hosts delete ID [--json]

Query and act on the hosts a Vigil server knows, through its HTTP API.
A host is enrolled, then online or offline as its agent's stream opens and
ends, then revoked, then deleted. Enrolling the same machine again (same
machine id and agent state directory, with a new token) keeps its host.
rescan   asks the host's agent for a full rescan, waits for the fresh inventory
         and prints what changed (packages and findings).
revoke   refuses the host's certificate from now on and ends its stream; its
         open findings close with reason host-revoked. The machine cannot
         enrol again until the host is deleted.
delete   removes a revoked host with its inventory and findings (exit 8 if
         the host is not revoked) and prints what it removed.
API: --api URL (or VIGIL_API_URL, default http://127.0.0.1:8080); token:
--token-file FILE (or VIGIL_API_TOKEN, default <data dir>/api.token).`;

type Listed = HostSummary & { connected: boolean };

const COMMON = { api: { type: 'string' }, 'token-file': { type: 'string' }, json: { type: 'boolean' }, format: { type: 'string' } } as const;

function wantsJson(v: { json?: boolean | undefined; format?: string | undefined }): boolean {
  if (v.format !== undefined && v.format !== 'json' && v.format !== 'table') throw new VigilError('USAGE', `--format must be table or json (got ${JSON.stringify(v.format)})`);
  return v.json === true || v.format === 'json';
}

function counts(h: HostSummary): string {
  const f = h.findings;
  return `${f.total} (${f.critical}C ${f.high}H ${f.medium}M ${f.low}L)`;
}

export async function hostsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list': {
      const { values } = parse(rest, { ...COMMON, tag: { type: 'string' } }, 0);
      const t = apiTarget({ api: values.api, tokenFile: values['token-file'] });
      const hosts = await apiList<Listed>(t, 'hosts', 'hosts', { tag: values.tag });
      if (wantsJson(values)) process.stdout.write(JSON.stringify(hosts, null, 2) + '\n');
      else if (hosts.length === 0) process.stdout.write('no hosts enrolled\n');
      else
        process.stdout.write(
          table(
            ['ID', 'HOSTNAME', 'OS', 'STATE', 'LAST SEEN', 'COMPONENTS', 'ACTIVE FINDINGS'],
            hosts.map((h) => [h.id, h.hostname, h.os ?? '', h.state, h.lastSeenAt, String(h.components), counts(h)]),
          ),
        );
      return 0;
    }
    case 'show': {
      const { values, positionals } = parse(rest, COMMON, 1);
      const id = need(positionals[0]);
      const h = await apiCall<HostDetail & { connected: boolean }>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'GET', `hosts/${encodeURIComponent(id)}`);
      if (wantsJson(values)) process.stdout.write(JSON.stringify(h, null, 2) + '\n');
      else {
        const lines = [
          ['id', h.id],
          ['hostname', h.hostname],
          ['os', h.os ?? ''],
          ['kernel', h.kernel ?? ''],
          ['agent', h.agentVersion],
          ['state', h.revokedAt ? `revoked ${h.revokedAt}` : h.state],
          ['tags', h.tags.join(' ')],
          ['enrolled', h.enrolledAt],
          ['last seen', h.lastSeenAt],
          ['inventory', h.seq !== undefined ? `epoch ${h.epoch} seq ${h.seq}, ${h.components} components, sha256:${h.digest}` : '(none yet)'],
          ['listening', String(h.facts.ports?.length ?? 0)],
          ['findings', counts(h)],
        ];
        process.stdout.write(table(['FIELD', 'VALUE'], lines));
      }
      return 0;
    }
    case 'rescan': {
      const { values, positionals } = parse(rest, { ...COMMON, timeout: { type: 'string' } }, 1);
      const id = need(positionals[0]);
      const r = await apiCall<RescanResult>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'POST', `hosts/${encodeURIComponent(id)}/rescan`, { timeout: values.timeout });
      if (wantsJson(values)) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else {
        const name = (key: string): string => key.split('\0')[0]!;
        const out = [`rescan of ${r.hostId}: seq ${r.before?.seq ?? '-'} → ${r.after?.seq ?? '-'}`];
        if (!r.added.length && !r.removed.length && !r.changed.length) out.push('no package changed');
        for (const c of r.changed) out.push(`  upgraded  ${name(c.key)}  ${c.from} → ${c.to}`);
        for (const c of r.added) out.push(`  added     ${name(c.key)}`);
        for (const c of r.removed) out.push(`  removed   ${name(c.key)}`);
        out.push(`findings opened: ${r.findingsOpened.length}, closed: ${r.findingsClosed.length}`);
        for (const f of r.findingsOpened) out.push(`  + ${f.finding.vulnerability} ${f.finding.component.name}`);
        for (const f of r.findingsClosed) out.push(`  - ${f.finding.vulnerability} ${f.finding.component.name} (${f.closeReason})`);
        process.stdout.write(out.join('\n') + '\n');
      }
      return 0;
    }
    case 'revoke': {
      const { values, positionals } = parse(rest, COMMON, 1);
      const id = need(positionals[0]);
      const h = await apiCall<{ id: string; revokedAt: string }>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'POST', `hosts/${encodeURIComponent(id)}/revoke`);
      if (wantsJson(values)) process.stdout.write(JSON.stringify(h) + '\n');
      else process.stdout.write(`${h.id} revoked at ${h.revokedAt}\n`);
      return 0;
    }
    case 'delete': {
      const { values, positionals } = parse(rest, COMMON, 1);
      const id = need(positionals[0]);
      const d = await apiCall<DeletedHost>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'DELETE', `hosts/${encodeURIComponent(id)}`);
      if (wantsJson(values)) process.stdout.write(JSON.stringify(d) + '\n');
      else
        process.stdout.write(
          `${d.id} (${d.hostname}) deleted: ${d.components} components, ${d.findings} findings with ${d.episodes} earlier episodes, ${d.suppressions} host suppressions\n`,
        );
      return 0;
    }
    default:
      throw new VigilError('USAGE', `unknown hosts subcommand ${JSON.stringify(sub ?? '')}; use list, show, rescan, revoke or delete`);
  }
}

function need(id: string | undefined): string {
  if (!id) throw new VigilError('USAGE', 'a host ID is required');
  return id;
}
