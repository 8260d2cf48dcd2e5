import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVER_FILE, enrollAgent } from '../../agent/enroll.js';
import { defaultAgentConfig, loadAgentConfig, type AgentConfig } from '../../agent/config.js';
import { envAgentOverrides } from '../../common/config.js';
import { writeFileAtomicSync } from '../../common/atomic-write.js';
import { VigilError } from '../../common/errors.js';
import { DEFAULT_EXECUTOR_CONFIG } from '../../executor/config.js';
import type { OsInfo } from '../../common/model.js';
import { readOsRelease } from '../../inventory/collectors/os-release.js';
import { parse } from '../args.js';
import { untilSignal } from '../output.js';

export const AGENT_USAGE = `usage: vigil agent run [--config FILE] [--once]

run     keep the server's copy of this host's inventory current: watch the
        package databases, refresh on the configured schedule, stream deltas
        over mutual TLS and keep unacknowledged ones in a durable outbox.
        Config: FILE, else VIGIL_AGENT_CONFIG, else /etc/vigil/agent.yaml
        (optional). The server is the config's, else the one enrolled with.
        --once: collect, wait until the server holds the inventory, exit.
       vigil agent enroll --server HOST:PORT --token TOKEN --ca-fingerprint SHA256 --ca FILE [--state-dir DIR] [--json]

enroll  enroll this host with a Vigil server. FILE is the server's ca.crt; it is
        trusted only if its SHA-256 matches --ca-fingerprint (printed by
        "vigil server init"). A new key is made in DIR (default
        /var/lib/vigil/agent or VIGIL_AGENT_STATE_DIR) and never leaves it;
        the issued certificate is stored next to it. Prints the agent id.
        The machine is identified by a hash of /etc/machine-id and DIR: enrolling
        it again (new token) keeps its host, id and findings, and the previous
        certificate stops working; a revoked host must be deleted first (exit 8).
        --root-key-id KEYID pins the offline root signing key (printed by
        "vigil keys init"): the root-owned executor config FILE (default
        /etc/vigil/executor.json) is written with this host's id, that key id
        and the package manager of this host, so the executor runs only
        commands signed under that root for this host.`;

export async function agentCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'run') return agentRun(rest);
  if (sub !== 'enroll') throw new VigilError('USAGE', `unknown agent subcommand ${JSON.stringify(sub ?? '')}; use run or enroll`);
  const { values } = parse(
    rest,
    {
      server: { type: 'string' },
      token: { type: 'string' },
      'ca-fingerprint': { type: 'string' },
      ca: { type: 'string' },
      'state-dir': { type: 'string' },
      'root-key-id': { type: 'string' },
      'executor-config': { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  if (values['root-key-id'] !== undefined && !/^[0-9a-f]{64}$/.test(values['root-key-id'])) throw new VigilError('USAGE', '--root-key-id must be 64 lowercase hex digits (from "vigil keys init")');
  const env = envAgentOverrides();
  const server = values.server ?? env.server;
  const caFingerprint = values['ca-fingerprint'] ?? env.caFingerprint;
  for (const [name, v] of [['--server', server], ['--token', values.token], ['--ca-fingerprint', caFingerprint], ['--ca', values.ca]] as const)
    if (!v) throw new VigilError('USAGE', `${name} is required`);
  const stateDir = path.resolve(values['state-dir'] ?? env.stateDir ?? defaultAgentConfig().stateDir);
  const r = await enrollAgent({ server: server!, token: values.token!, caFingerprint: caFingerprint!, caFile: values.ca!, stateDir });
  if (values['root-key-id']) {
    const file = path.resolve(values['executor-config'] ?? DEFAULT_EXECUTOR_CONFIG);
    const manager = managerFor((await readOsRelease('/')).os);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    writeFileAtomicSync(file, JSON.stringify({ hostId: r.agentId, rootKeyId: values['root-key-id'], manager }, null, 2) + '\n', { mode: 0o600, regularOnly: true });
    process.stderr.write(`vigil: executor trust written to ${file} (root key ${values['root-key-id'].slice(0, 16)}…, ${manager})\n`);
  }
  if (values.json) process.stdout.write(JSON.stringify({ agentId: r.agentId, stateDir: r.stateDir }) + '\n');
  else {
    process.stderr.write(`vigil: enrolled; identity stored in ${r.stateDir}\n`);
    process.stdout.write(`${r.agentId}\n`);
  }
  return 0;
}

/** The config's server, else the address stored at enrollment. */
export function withEnrolledServer(cfg: AgentConfig): AgentConfig {
  if (cfg.server) return cfg;
  try {
    const server = readFileSync(path.join(cfg.stateDir, SERVER_FILE), 'utf8').trim();
    return server ? { ...cfg, server } : cfg;
  } catch {
    return cfg;
  }
}

async function agentRun(argv: string[]): Promise<number> {
  const { values } = parse(argv, { config: { type: 'string' }, once: { type: 'boolean' } }, 0);

  const cfg = withEnrolledServer(loadAgentConfig(values.config));
  const { AgentDaemon } = await import('../../agent/daemon.js');
  const daemon = new AgentDaemon({ config: values.once ? { ...cfg, watch: { ...cfg.watch, enabled: false } } : cfg });
  await daemon.start();
  if (values.once) {
    // A server that refuses this agent (revoked, replaced certificate) ends the run with that code's exit status.
    await daemon.whenSynced().catch(async (err: unknown) => {
      await daemon.stop();
      throw err;
    });
    const st = daemon.status();
    await daemon.stop();
    process.stdout.write(JSON.stringify(st) + '\n');
    return 0;
  }
  await untilSignal(() => daemon.stop());
  return 0;
}

/** The package manager the executor drives on a host of this release. */
function managerFor(os: OsInfo | undefined): string {
  const ids = [os?.id ?? '', ...(os?.idLike ?? [])];
  if (ids.some((i) => i === 'debian' || i === 'ubuntu')) return 'apt';
  if (ids.includes('alpine')) return 'apk';
  if (ids.some((i) => i === 'suse' || i === 'opensuse' || i === 'sles')) return 'zypper';
  if (ids.some((i) => ['rhel', 'fedora', 'centos', 'almalinux', 'rocky', 'ol', 'amzn', 'azurelinux', 'mariner'].includes(i))) return 'dnf';
  throw new VigilError('NOT_COVERED', `no supported package manager for ${os?.prettyName ?? os?.id ?? 'this release'}; write the executor config by hand`);
}
