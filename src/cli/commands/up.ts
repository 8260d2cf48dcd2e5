import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { defaultAgentConfig } from '../../agent/config.js';
import { loadAgentIdentity } from '../../agent/identity.js';
import { dataDir } from '../../common/config.js';
import { VigilError } from '../../common/errors.js';
import type { HostFinding } from '../../server/fleet-types.js';
import type { HostSummary } from '../../server/fleet-service.js';
import { DataDirLock } from '../../store/data-dir-lock.js';
import type { RemediationPlan } from '../../matcher/remediation.js';
import { apiCall, apiList } from '../api-client.js';
import { openForMatching } from '../advisory-db.js';
import { parse } from '../args.js';
import { table } from '../output.js';
import { ensurePki, listenAddress } from './server.js';

export const UP_USAGE = `usage: vigil up [--data-dir DIR] [--listen HOST:PORT] [--api-listen HOST:PORT] [--once] [--top N] [--json]

The embedded default: one process runs a Vigil server on SQLite with the bundled
advisory snapshot and an agent for this host, enrolled over mutual TLS on
loopback, then shows the host's findings (highest Vigil score first, the top N,
default 20, plus counts by severity). It keeps running (agent watching the
package databases, API on --api-listen, default 127.0.0.1:8080, so "vigil
hosts list" and "vigil findings list" work) until SIGINT or SIGTERM; --once
exits after showing the findings. State in DIR (default the data directory):
server/ and agent/. --json prints the host and all its active findings as one
JSON object instead of the table.`;

export async function upCommand(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    { 'data-dir': { type: 'string' }, listen: { type: 'string' }, 'api-listen': { type: 'string' }, once: { type: 'boolean' }, top: { type: 'string' }, json: { type: 'boolean' } },
    0,
  );
  const top = Number(values.top ?? '20');
  if (!Number.isInteger(top) || top < 0) throw new VigilError('USAGE', '--top must be a whole number');
  const base = path.resolve(values['data-dir'] ?? dataDir());
  const serverDir = path.join(base, 'server');
  const pkiDir = path.join(serverDir, 'pki');
  const agentDir = path.join(base, 'agent');
  // --once picks free ports so it never collides with a running server.
  const grpcAt = listenAddress('--listen', values.listen ?? (values.once ? '127.0.0.1:0' : '127.0.0.1:8443'));
  const apiAt = listenAddress('--api-listen', values['api-listen'] ?? (values.once ? '127.0.0.1:0' : '127.0.0.1:8080'));

  // The lock comes first: with a server already running here, up stops before it touches anything.
  mkdirSync(serverDir, { recursive: true, mode: 0o700 });
  const lock = DataDirLock.acquire(serverDir);
  let fingerprint: string;
  let srv;
  const { startServer, apiToken } = await import('../../server/run.js');
  try {
    fingerprint = await ensurePki(pkiDir);
    (await openForMatching(serverDir, false)).close();
    srv = await startServer({ dataDir: serverDir, pkiDir, grpcHost: grpcAt.host, grpcPort: grpcAt.port, apiHost: apiAt.host, apiPort: apiAt.port, lock });
  } catch (err) {
    lock.release();
    throw err;
  }
  const server = `127.0.0.1:${srv.grpcPort}`;
  const { AgentDaemon } = await import('../../agent/daemon.js');
  let daemon: InstanceType<typeof AgentDaemon> | undefined;
  try {
    if (!loadAgentIdentity(agentDir)) {
      const { createToken } = await import('../../server/tokens.js');
      const { enrollAgent } = await import('../../agent/enroll.js');
      const { token } = createToken(pkiDir, { ttlSeconds: 300, uses: 1 });
      const r = await enrollAgent({ server, token, caFingerprint: fingerprint, caFile: path.join(pkiDir, 'ca.crt'), stateDir: agentDir });
      process.stderr.write(`vigil: this host enrolled as ${r.agentId}\n`);
    }
    const cfg = { ...defaultAgentConfig(), server, caFingerprint: fingerprint, stateDir: agentDir };
    if (values.once) cfg.watch = { ...cfg.watch, enabled: false };
    daemon = new AgentDaemon({ config: cfg });
    process.stderr.write('vigil: inventorying this host and sending it to the server…\n');
    await daemon.start();
    await daemon.whenSynced();
    const id = daemon.status().agentId;
    const api = { url: `http://${apiAt.host.includes(':') ? `[${apiAt.host}]` : apiAt.host}:${srv.apiPort}`, token: apiToken(serverDir) };
    const host = await apiCall<HostSummary>(api, 'GET', `hosts/${id}`);
    const findings = await apiList<HostFinding>(api, 'findings', 'findings', { host: id, status: 'ACTIVE' });
    const remediation = await apiCall<RemediationPlan>(api, 'GET', `hosts/${id}/remediation`);
    process.stdout.write(values.json ? JSON.stringify({ host, findings, remediation }) + '\n' : render(host, findings, top) + renderFixes(remediation));
    if (values.once) return 0;
    process.stderr.write(`vigil: serving agents on ${server}, API on ${api.url} (token in ${path.join(serverDir, 'api.token')}); Ctrl-C stops\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  } finally {
    await daemon?.stop();
    await srv.stop();
  }
}

/** The plan's commands only: what to run on this host, in order. */
function renderFixes(plan: RemediationPlan): string {
  if (plan.steps.length === 0) return '';
  const lines = ['', 'to fix what has a fix, on this host:'];
  for (const s of plan.steps) {
    const sources = s.groups.length;
    const unit = s.manager === 'go' ? 'modules' : ['apt', 'dnf', 'apk'].includes(s.manager) ? 'source packages' : 'packages';
    lines.push(`  ${s.manager} (${s.where}; ${sources} ${unit}):`);
    for (const c of s.commands) lines.push(`    ${c}`);
    for (const n of s.groups.flatMap((g) => g.notes)) lines.push(`    note: ${n}`);
  }
  return lines.join('\n') + '\n';
}

function render(h: HostSummary, findings: HostFinding[], top: number): string {
  const f = h.findings;
  const lines = [
    `host ${h.hostname} (${h.id}) ${h.os ?? ''}: ${h.components} components, ${f.total} active findings`,
    `  critical ${f.critical}, high ${f.high}, medium ${f.medium}, low ${f.low}, negligible ${f.negligible}, unknown ${f.unknown}`,
    '',
  ];
  if (findings.length === 0) return lines.join('\n') + 'no known vulnerabilities found\n';
  const sorted = [...findings].sort((a, b) => b.finding.score - a.finding.score || a.finding.vulnerability.localeCompare(b.finding.vulnerability));
  const rows = sorted.slice(0, top).map((s) => {
    const x = s.finding;
    return [
      s.finding.score.toFixed(1),
      s.finding.severity,
      s.finding.vulnerability,
      s.finding.component.name,
      x.installedVersion,
      x.fixedVersion ?? (x.status === 'affected' ? '(no fix yet)' : `(${x.status})`),
      x.kev ? 'yes' : '',
      x.exposure === 'none' ? '' : x.exposure,
    ];
  });
  const more = sorted.length > top ? `… and ${sorted.length - top} more: vigil findings --host ${h.id}\n` : '';
  return lines.join('\n') + table(['SCORE', 'SEVERITY', 'VULNERABILITY', 'PACKAGE', 'INSTALLED', 'FIXED IN', 'KEV', 'EXPOSURE'], rows) + more;
}
