import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../../common/config.js';
import { VigilError } from '../../common/errors.js';
import { startEnrollServer, stopEnrollServer } from '../../server/enroll-service.js';
import { PKI_FILES, initServerPki, loadServerPki } from '../../server/pki.js';
import { DataDirLock } from '../../store/data-dir-lock.js';
import { readPublicKeyFile, keyId } from '../../common/signing.js';
import { bundlePin, setBundlePin } from '../../store/sqlite-advisory-bundle.js';
import { SqliteAdvisoryStore } from '../../store/sqlite-advisories.js';
import { dbFile, openForMatching } from '../advisory-db.js';
import { untilSignal } from '../output.js';
import { parse } from '../args.js';
import { parseSla } from '../../server/fleet-kpis.js';

export const SERVER_USAGE = `usage: vigil server run [--data-dir DIR] [--pki DIR] [--listen HOST:PORT] [--api-listen HOST:PORT]
                        [--api-cert PEM --api-key PEM] [--advisory-poll SECONDS] [--advisory-bundle-key PUBKEY]
                        [--sla critical=7,high=30,medium=90,low=180] [--live-heartbeat SECONDS]

run   serve agents (gRPC over mutual TLS, default 0.0.0.0:8443) and the HTTP
      API (bearer token in <data dir>/api.token, default 127.0.0.1:8080) until
      SIGINT or SIGTERM. Fleet state in <data dir>/fleet.db (SQLite); advisories
      in <data dir>/advisories.db, filled from the bundled snapshot when empty.
      Imports by "vigil db import|update" into that database re-match the hosts
      they touch (checked every --advisory-poll seconds, default 2). The CA is
      created in --pki (default <data dir>/pki) when missing. The API is plain
      HTTP on a loopback address and HTTPS with the server's certificate (the
      fleet CA's) elsewhere; --api-cert and --api-key serve it over HTTPS with
      the operator's certificate and key instead, on any address.
      --advisory-bundle-key pins advisories.db to that Ed25519 key: feed imports
      into it (db import FILE, db update, the bundled snapshot) are refused and
      only "vigil db import --verify PUBKEY BUNDLE" of a bundle signed by it is
      taken. Starting without the option removes the pin.
      --sla sets how many days a finding of each severity may stay open, for the
      dashboard's SLA compliance (GET /api/v1/stats/kpis); a severity left out
      keeps its default (critical 7, high 30, medium 90, low 180), =none drops it.
      --live-heartbeat sets how often an idle live stream (GET .../events) gets
      a comment line, so proxies keep it open (1..3600 seconds, default 15).
       vigil server init [--dir DIR] [--hostname NAME]... [--json]

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
  if (sub === 'run') return serverRun(rest);
  if (sub !== 'init') throw new VigilError('USAGE', `unknown server subcommand ${JSON.stringify(sub ?? '')}; use run, init or enroll-listen`);
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

/** HOST:PORT (IPv6 in brackets) as host and port. */
export function listenAddress(flag: string, text: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(text);
  if (!m || Number(m[2]) > 65535) throw new VigilError('USAGE', `${flag} must be HOST:PORT (got ${JSON.stringify(text)})`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

function display(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Creates the CA when the directory has none; returns the CA fingerprint either way. */
export async function ensurePki(dir: string): Promise<string> {
  if (!existsSync(path.join(dir, PKI_FILES.caCert))) {
    const r = await initServerPki(dir, {});
    process.stderr.write(`vigil: server PKI created in ${r.dir}; agents pin sha256:${r.fingerprint}\n`);
    return r.fingerprint;
  }
  return (await loadServerPki(dir)).fingerprint;
}

async function serverRun(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      'data-dir': { type: 'string' },
      pki: { type: 'string' },
      listen: { type: 'string' },
      'api-listen': { type: 'string' },
      'api-cert': { type: 'string' },
      'api-key': { type: 'string' },
      'advisory-poll': { type: 'string' },
      'advisory-bundle-key': { type: 'string' },
      sla: { type: 'string' },
      'live-heartbeat': { type: 'string' },
    },
    0,
  );
  const dir = path.resolve(values['data-dir'] ?? dataDir());
  const pki = values.pki ? path.resolve(values.pki) : path.join(dir, 'pki');
  const grpcAt = listenAddress('--listen', values.listen ?? '0.0.0.0:8443');
  const apiAt = listenAddress('--api-listen', values['api-listen'] ?? '127.0.0.1:8080');
  if ((values['api-cert'] === undefined) !== (values['api-key'] === undefined)) throw new VigilError('USAGE', '--api-cert and --api-key go together: the certificate and its private key (PEM)');
  const apiTls = values['api-cert'] !== undefined ? { certFile: path.resolve(values['api-cert']), keyFile: path.resolve(values['api-key']!) } : undefined;
  const poll = Number(values['advisory-poll'] ?? '2');
  if (!Number.isFinite(poll) || poll <= 0 || poll > 3600) throw new VigilError('USAGE', '--advisory-poll must be 1..3600 seconds');
  parseSla(values.sla);
  const heartbeat = Number(values['live-heartbeat'] ?? '15');
  if (!Number.isInteger(heartbeat) || heartbeat < 1 || heartbeat > 3600) throw new VigilError('USAGE', '--live-heartbeat must be 1..3600 seconds');
  const bundleKey = values['advisory-bundle-key'] === undefined ? undefined : keyId(readPublicKeyFile(values['advisory-bundle-key']));
  // The lock comes first: a second server on this directory stops before it touches anything.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = DataDirLock.acquire(dir);
  let srv;
  try {
    await ensurePki(pki);
    await pinAdvisories(dir, bundleKey);
    const { startServer } = await import('../../server/run.js');
    srv = await startServer({ dataDir: dir, pkiDir: pki, grpcHost: grpcAt.host, grpcPort: grpcAt.port, apiHost: apiAt.host, apiPort: apiAt.port, advisoryPollMs: poll * 1000, lock, ...(apiTls ? { apiTls } : {}), ...(values.sla ? { sla: values.sla } : {}), liveHeartbeatMs: heartbeat * 1000 });
  } catch (err) {
    lock.release();
    throw err;
  }
  process.stderr.write(`listening on grpc ${display(grpcAt.host, srv.grpcPort)} api ${display(apiAt.host, srv.apiPort)}\n`);
  await Promise.race([
    untilSignal(() => srv.stop()),
    new Promise<never>((_, reject) => srv.worker.once('exit', (err: Error) => reject(new VigilError('INTERNAL', `matcher worker failed: ${err.message}`)))),
  ]);
  return 0;
}

/**
 * Pinned: advisories.db takes only bundles signed by the key (the store refuses feed
 * imports while the pin is in its meta table), and is never filled from the bundled
 * snapshot. Not pinned: a pin a previous start left is removed, and an empty
 * database is filled from the snapshot as usual.
 */
async function pinAdvisories(dir: string, keyid: string | undefined): Promise<void> {
  const file = dbFile(dir);
  if (keyid === undefined) {
    const was = bundlePin(file);
    if (was !== undefined) {
      setBundlePin(file, undefined);
      process.stderr.write(`vigil: ${file} was pinned to advisory bundle key ${was}; started without --advisory-bundle-key, feed imports are allowed again\n`);
    }
    (await openForMatching(dir, false)).close();
    return;
  }
  setBundlePin(file, keyid);
  const store = new SqliteAdvisoryStore(file, { readonly: true });
  const feeds = store.sources().length;
  store.close();
  process.stderr.write(
    feeds === 0
      ? `vigil: ${file} holds no advisories and takes only bundles signed by ${keyid}: vigil db import --verify PUBKEY BUNDLE --db ${dir}\n`
      : `vigil: advisories only from bundles signed by ${keyid}\n`,
  );
}

async function enrollListen(argv: string[]): Promise<number> {
  const { values } = parse(argv, { dir: { type: 'string' }, listen: { type: 'string' } }, 0);
  const at = listenAddress('--listen', values.listen ?? '');
  const { server, port } = await startEnrollServer({ pkiDir: pkiDir(values.dir), host: at.host, port: at.port });
  process.stderr.write(`listening on ${display(at.host, port)}\n`);
  await untilSignal(() => stopEnrollServer(server));
  return 0;
}
