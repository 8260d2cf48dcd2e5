import path from 'node:path';
import { dataDir } from '../../common/config.js';
import { VigilError } from '../../common/errors.js';
import { startEnrollServer, stopEnrollServer } from '../../server/enroll-service.js';
import { initServerPki } from '../../server/pki.js';
import { parse } from '../args.js';

export const SERVER_USAGE = `usage: vigil server init [--dir DIR] [--hostname NAME]... [--json]

init  create the server's CA and TLS certificate (ECDSA P-256) in DIR, default
      <data dir>/pki, and print the CA fingerprint that agents pin at install.
      The certificate names each --hostname plus localhost and 127.0.0.1.
      Refuses to replace an existing CA.
       vigil server enroll-listen [--dir DIR] --listen HOST:PORT

enroll-listen  accept agent enrollments (gRPC over TLS with the server
      certificate in DIR) until SIGINT or SIGTERM. Port 0 picks a free port;
      "listening on HOST:PORT" on stderr gives the one bound.`;

export function pkiDir(dir: string | undefined): string {
  return path.resolve(dir ?? path.join(dataDir(), 'pki'));
}

export async function serverCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'enroll-listen') return enrollListen(rest);
  if (sub !== 'init') throw new VigilError('USAGE', `unknown server subcommand ${JSON.stringify(sub ?? '')}; use init or enroll-listen`);
  const { values } = parse(rest, { dir: { type: 'string' }, hostname: { type: 'string', multiple: true }, json: { type: 'boolean' } }, 0);
  const r = await initServerPki(pkiDir(values.dir), { hostnames: values.hostname ?? [] });
  if (values.json) {
    process.stdout.write(JSON.stringify({ dir: r.dir, fingerprint: r.fingerprint, hostnames: r.hostnames }) + '\n');
  } else {
    process.stderr.write(`vigil: server PKI created in ${r.dir} for ${r.hostnames.join(', ')}\n`);
    process.stdout.write(`sha256:${r.fingerprint}\n`);
  }
  return 0;
}

async function enrollListen(argv: string[]): Promise<number> {
  const { values } = parse(argv, { dir: { type: 'string' }, listen: { type: 'string' } }, 0);
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(values.listen ?? '');
  if (!m || Number(m[2]) > 65535) throw new VigilError('USAGE', `--listen must be HOST:PORT (got ${JSON.stringify(values.listen ?? '')})`);
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const { server, port } = await startEnrollServer({ pkiDir: pkiDir(values.dir), host, port: Number(m[2]) });
  process.stderr.write(`listening on ${m[1]}:${port}\n`);
  await new Promise<void>((resolve) => {
    // Once only, and the handlers stay installed: a second signal during the drain
    // neither starts a second shutdown nor falls through to Node's default exit.
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      void stopEnrollServer(server).then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
