import path from 'node:path';
import { dataDir } from '../../common/config.js';
import { VigilError } from '../../common/errors.js';
import { initServerPki } from '../../server/pki.js';
import { parse } from '../args.js';

export const SERVER_USAGE = `usage: vigil server init [--dir DIR] [--hostname NAME]... [--json]

init  create the server's CA and TLS certificate (ECDSA P-256) in DIR, default
      <data dir>/pki, and print the CA fingerprint that agents pin at install.
      The certificate names each --hostname plus localhost and 127.0.0.1.
      Refuses to replace an existing CA.`;

export function pkiDir(dir: string | undefined): string {
  return path.resolve(dir ?? path.join(dataDir(), 'pki'));
}

export async function serverCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'init') throw new VigilError('USAGE', `unknown server subcommand ${JSON.stringify(sub ?? '')}; use init`);
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
