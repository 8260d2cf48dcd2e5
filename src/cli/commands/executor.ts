import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../../common/errors.js';
import { submitToExecutor } from '../../common/executor-client.js';
import { DEFAULT_EXECUTOR_CONFIG, loadExecutorConfig } from '../../executor/config.js';
import { startExecutor, type ListenTarget } from '../../executor/server.js';
import { parse } from '../args.js';
import { untilSignal } from '../output.js';

export const EXECUTOR_USAGE = `usage: vigil executor serve [--config FILE] [--socket PATH] [--socket-owner UID:GID]

serve   run the executor (as root): verify each signed command sent to its Unix
        socket and run this host's package manager for it, one at a time, until
        SIGINT or SIGTERM. FILE (default ${DEFAULT_EXECUTOR_CONFIG}) names the
        host id, the pinned root key id and the package manager. The socket is
        the one systemd passes (vigil-executor.socket), or PATH, created 0600
        and given to UID:GID when --socket-owner is set.
       vigil executor submit --socket PATH --file SIGNED_COMMAND [--timeout SECONDS]

submit  send the signed command in SIGNED_COMMAND (its exact bytes) to the
        executor at PATH and print the result as JSON. Exits 0 when the command
        completed, 1 when it was refused or failed. --timeout defaults to 3600.`;

export async function executorCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'serve') return serve(rest);
  if (sub === 'submit') return submit(rest);
  throw new VigilError('USAGE', `unknown executor subcommand ${JSON.stringify(sub ?? '')}; use serve or submit`);
}

function owner(value: string): { uid: number; gid: number } {
  const m = /^(\d{1,10}):(\d{1,10})$/.exec(value);
  if (!m) throw new VigilError('USAGE', `--socket-owner must be UID:GID in numbers (got ${JSON.stringify(value)})`);
  return { uid: Number(m[1]), gid: Number(m[2]) };
}

/** The socket systemd passed this process (sd_listen_fds(3)): exactly one, at fd 3. */
function activatedSocket(): ListenTarget {
  const { LISTEN_PID, LISTEN_FDS } = process.env;
  if (LISTEN_PID !== String(process.pid) || LISTEN_FDS === undefined)
    throw new VigilError('USAGE', 'no socket was passed by systemd (LISTEN_FDS, LISTEN_PID); start vigil-executor.socket, or give --socket PATH');
  if (LISTEN_FDS !== '1') throw new VigilError('USAGE', `systemd passed ${LISTEN_FDS} sockets; the executor takes exactly one`);
  delete process.env.LISTEN_PID;
  delete process.env.LISTEN_FDS;
  delete process.env.LISTEN_FDNAMES;
  return { fd: 3 };
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parse(argv, { config: { type: 'string' }, socket: { type: 'string' }, 'socket-owner': { type: 'string' } }, 0);
  if (values['socket-owner'] !== undefined && values.socket === undefined) throw new VigilError('USAGE', '--socket-owner needs --socket');
  const config = loadExecutorConfig(path.resolve(values.config ?? DEFAULT_EXECUTOR_CONFIG));
  let listen: ListenTarget;
  if (values.socket === undefined) listen = activatedSocket();
  else {
    const target: ListenTarget = { path: path.resolve(values.socket) };
    if (values['socket-owner'] !== undefined) target.owner = owner(values['socket-owner']);
    listen = target;
  }
  const executor = await startExecutor({ config, listen });
  await untilSignal(() => executor.close());
  return 0;
}

async function submit(argv: string[]): Promise<number> {
  const { values } = parse(argv, { socket: { type: 'string' }, file: { type: 'string' }, timeout: { type: 'string' } }, 0);
  if (!values.socket) throw new VigilError('USAGE', '--socket is required');
  if (!values.file) throw new VigilError('USAGE', '--file is required');
  const timeout = values.timeout === undefined ? 3600 : /^\d{1,6}$/.test(values.timeout) ? Number(values.timeout) : NaN;
  if (!(timeout >= 1)) throw new VigilError('USAGE', `--timeout must be a positive number of seconds (got ${JSON.stringify(values.timeout)})`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(values.file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new VigilError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `cannot read ${values.file}: ${code ?? (err as Error).message}`, { cause: err });
  }
  const result = await submitToExecutor(values.socket, bytes, timeout * 1000);
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return result.outcome === 'completed' ? 0 : 1;
}
