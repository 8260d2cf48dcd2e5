import { envLogLevel } from '../common/config.js';
import { ERROR_CODES, VigilError, describeError } from '../common/errors.js';
import { setLogLevel } from '../common/log.js';
import { vigilVersion } from '../common/version.js';
import { runCommandEnd } from './command-end.js';
interface LoadedCommand {
  usage: string;
  run(argv: string[]): Promise<number>;
}

interface Command {
  summary: string;
  /** Loaded on use: `vigil sbom` need not load the matcher, the TLS stack or the advisory store. */
  load(): Promise<LoadedCommand>;
  /** The subcommand run when none is named (`vigil hosts` lists them). */
  defaultSub?: string;
}

/** pino's levels. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const COMMANDS: Record<string, Command> = {
  sbom: { summary: 'inventory a host, rootfs, image or project as an SBOM', load: async () => { const m = await import('./commands/sbom.js'); return { usage: m.SBOM_USAGE, run: m.sbomCommand }; } },
  ports: { summary: 'list listening sockets with process, package and exposure', load: async () => { const m = await import('./commands/ports.js'); return { usage: m.PORTS_USAGE, run: m.portsCommand }; } },
  scan: { summary: 'find known vulnerabilities in a host, rootfs, image, project or lockfile', load: async () => { const m = await import('./commands/scan.js'); return { usage: m.SCAN_USAGE, run: m.scanCommand }; } },
  checks: { summary: 'run configuration checks (a benchmark of YAML checks) against this host or a root directory', load: async () => { const m = await import('./commands/checks.js'); return { usage: m.CHECKS_USAGE, run: m.checksCommand }; } },
  explain: { summary: 'show how each advisory record about a vulnerability was decided', load: async () => { const m = await import('./commands/explain.js'); return { usage: m.EXPLAIN_USAGE, run: m.explainCommand }; } },
  db: { summary: 'import or update advisory feeds and show the database status', load: async () => { const m = await import('./commands/db.js'); return { usage: m.DB_USAGE, run: m.dbCommand }; } },
  server: { summary: 'run the server (agents over mTLS gRPC, HTTP API); create its CA', load: async () => { const m = await import('./commands/server.js'); return { usage: m.SERVER_USAGE, run: m.serverCommand }; } },
  agent: { summary: 'run the agent daemon; enroll this host with a server', load: async () => { const m = await import('./commands/agent.js'); return { usage: m.AGENT_USAGE, run: m.agentCommand }; } },
  up: { summary: 'embedded default: a server on SQLite plus an agent for this host, then its findings', load: async () => { const m = await import('./commands/up.js'); return { usage: m.UP_USAGE, run: m.upCommand }; } },
  hosts: { summary: 'list, show, rescan, revoke or delete the hosts a server knows', load: async () => { const m = await import('./commands/hosts.js'); return { usage: m.HOSTS_USAGE, run: m.hostsCommand }; }, defaultSub: 'list' },
  findings: { summary: "list the fleet's findings from a server, or show one with its episodes", load: async () => { const m = await import('./commands/findings.js'); return { usage: m.FINDINGS_USAGE, run: m.findingsCommand }; }, defaultSub: 'list' },
  report: { summary: "export the fleet's open findings as CSV, JSON, SARIF or HTML (one page per host with --per-host)", load: async () => { const m = await import('./commands/report.js'); return { usage: m.REPORT_USAGE, run: m.reportCommand }; } },
  rules: { summary: "manage the server's suppression rules; import VEX documents as rules", load: async () => { const m = await import('./commands/rules.js'); return { usage: m.RULES_USAGE, run: m.rulesCommand }; }, defaultSub: 'list' },
  events: { summary: 'list the events the server stored (finding, host and job state changes)', load: async () => { const m = await import('./commands/events.js'); return { usage: m.EVENTS_USAGE, run: m.eventsCommand }; }, defaultSub: 'list' },
  routes: { summary: 'route events by EventBridge pattern to webhooks, JSON lines or syslog', load: async () => { const m = await import('./commands/events.js'); return { usage: m.ROUTES_USAGE, run: m.routesCommand }; }, defaultSub: 'list' },
  deliveries: { summary: 'list event deliveries and dead letters; redeliver one', load: async () => { const m = await import('./commands/events.js'); return { usage: m.DELIVERIES_USAGE, run: m.deliveriesCommand }; }, defaultSub: 'list' },
  executor: { summary: 'run the root executor that verifies signed commands and patches this host', load: async () => { const m = await import('./commands/executor.js'); return { usage: m.EXECUTOR_USAGE, run: m.executorCommand }; } },
  keys: { summary: 'create the root signing key, delegate and rotate online keys for signed commands', load: async () => { const m = await import('./commands/keys.js'); return { usage: m.KEYS_USAGE, run: m.keysCommand }; } },
  patch: { summary: 'roll out signed patch commands across the fleet, with canary, waves and verification', load: async () => { const m = await import('./commands/patch.js'); return { usage: m.PATCH_USAGE, run: m.patchCommand }; } },
  token: { summary: 'create an enrollment token for a new agent', load: async () => { const m = await import('./commands/token.js'); return { usage: m.TOKEN_USAGE, run: m.tokenCommand }; } },
  version: { summary: "compare two versions with a package format's rules", load: async () => { const m = await import('./commands/version.js'); return { usage: m.VERSION_USAGE, run: m.versionCommand }; } },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`);
  return `usage: vigil <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nglobal options: --log-level LEVEL (or VIGIL_LOG_LEVEL), --version, --help\n`;
}

export async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  const levelAt = args.indexOf('--log-level');
  const level = levelAt >= 0 ? args[levelAt + 1] : envLogLevel();
  if (levelAt >= 0) args.splice(levelAt, 2);
  if (level !== undefined) {
    if (!LOG_LEVELS.includes(level)) {
      process.stderr.write(`vigil: ${levelAt >= 0 ? '--log-level' : 'VIGIL_LOG_LEVEL'} must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(level)})\n`);
      return ERROR_CODES.USAGE.exit;
    }
    setLogLevel(level);
  }
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || (name === 'version' && rest.length === 0)) {
    process.stdout.write(`vigil ${vigilVersion()}\n`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`vigil: unknown command ${JSON.stringify(name)}; run "vigil --help"\n`);
    return ERROR_CODES.USAGE.exit;
  }
  const loaded = await cmd.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(loaded.usage + '\n');
    return 0;
  }
  if (cmd.defaultSub && (rest.length === 0 || rest[0]!.startsWith('-'))) rest.unshift(cmd.defaultSub);
  try {
    return await loaded.run(rest);
  } catch (err) {
    const code = err instanceof VigilError ? err.exitCode : ERROR_CODES.INTERNAL.exit;
    process.stderr.write(`vigil: ${describeError(err)}\n`);
    return code;
  } finally {
    // An in-process API over a data directory (vigil hosts after vigil up --once) ends with the command.
    await runCommandEnd();
  }
}
