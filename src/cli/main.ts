import { envLogLevel } from '../common/config.js';
import { ERROR_CODES, VigilError, describeError } from '../common/errors.js';
import { setLogLevel } from '../common/log.js';
import { vigilVersion } from '../common/version.js';
import { DB_USAGE, dbCommand } from './commands/db.js';
import { EXPLAIN_USAGE, explainCommand } from './commands/explain.js';
import { PORTS_USAGE, portsCommand } from './commands/ports.js';
import { SCAN_USAGE, scanCommand } from './commands/scan.js';
import { VERSION_USAGE, versionCommand } from './commands/version.js';
import { SBOM_USAGE, sbomCommand } from './commands/sbom.js';

interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  sbom: { summary: 'inventory a host, rootfs, image or project as an SBOM', usage: SBOM_USAGE, run: sbomCommand },
  ports: { summary: 'list listening sockets with process, package and exposure', usage: PORTS_USAGE, run: portsCommand },
  scan: { summary: 'find known vulnerabilities in a host, rootfs, project or lockfile', usage: SCAN_USAGE, run: scanCommand },
  explain: { summary: 'show how each advisory record about a vulnerability was decided', usage: EXPLAIN_USAGE, run: explainCommand },
  db: { summary: 'import advisory feeds and show the database status', usage: DB_USAGE, run: dbCommand },
  version: { summary: 'compare two versions with a package format\'s rules', usage: VERSION_USAGE, run: versionCommand },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`);
  return `usage: vigil <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nglobal options: --log-level LEVEL (or VIGIL_LOG_LEVEL), --version, --help\n`;
}

export async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  const levelAt = args.indexOf('--log-level');
  if (levelAt >= 0) {
    setLogLevel(args[levelAt + 1] ?? 'info');
    args.splice(levelAt, 2);
  } else if (envLogLevel()) {
    setLogLevel(envLogLevel()!);
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
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    const code = err instanceof VigilError ? err.exitCode : 1;
    process.stderr.write(`vigil: ${describeError(err)}\n`);
    return code;
  }
}
