import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { writeFileAtomicSync } from '../common/atomic-write.js';
import { VigilError, codeOfGrpcError, grpcStatusName } from '../common/errors.js';
import { decodeEnrollResponse, encodeEnrollRequest, type EnrollRequest, type EnrollResponse } from '../common/wire/codec.js';
import { createAgentCsr, storeAgentCertificate, verifyPinnedCa } from './identity.js';
import { machineIdentity } from './machine-id.js';

const ENROLL_PATH = '/vigil.v1.AgentService/Enroll';

export interface EnrollOptions {
  /** `host:port` of the Vigil server. */
  server: string;
  token: string;
  /** SHA-256 of the server CA, given to the operator by `vigil server init`. */
  caFingerprint: string;
  stateDir: string;
  /** The server CA, PEM. Read from `caFile` when absent. */
  caPem?: string;
  caFile?: string;
  hostname?: string;
  /** The machine identity sent (see machine-id.ts); derived from this machine and stateDir when absent, none when null. */
  machineId?: string | null;
  timeoutMs?: number;
}

export interface EnrollResult {
  agentId: string;
  stateDir: string;
}

function readCa(opts: EnrollOptions): string {
  if (opts.caPem !== undefined) return opts.caPem;
  if (opts.caFile === undefined) throw new VigilError('USAGE', 'the server CA certificate is required (--ca FILE)');
  try {
    return readFileSync(opts.caFile, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new VigilError(missing ? 'NOT_FOUND' : 'IO', `cannot read the server CA ${opts.caFile}`, { cause: err });
  }
}

/**
 * Enroll this host with a Vigil server and store the issued identity in stateDir.
 * The pin is checked before any connection: a CA that does not match is never trusted,
 * not even for one TLS handshake carrying the token.
 */
/**
 * Channel options for dialling `server`. TLS may not send an IP address as the
 * server name (RFC 6066), so a loopback address is verified under the name
 * "localhost", which every Vigil server certificate carries.
 */
export function channelNameOptions(server: string): grpc.ChannelOptions {
  const host = server.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === '127.0.0.1' || host === '::1' ? { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' } : {};
}

/** The server address an enrolled agent dials, beside its identity. */
export const SERVER_FILE = 'server';

export async function enrollAgent(opts: EnrollOptions): Promise<EnrollResult> {
  if (!/^[^\s]+:\d{1,5}$/.test(opts.server)) throw new VigilError('USAGE', `server must be HOST:PORT (got ${JSON.stringify(opts.server)})`);
  const caPem = readCa(opts);
  verifyPinnedCa(caPem, opts.caFingerprint);

  const hostname = opts.hostname ?? os.hostname();
  const csrPem = await createAgentCsr(opts.stateDir, hostname);
  const req: EnrollRequest = { enrollmentToken: opts.token, publicKeyPem: csrPem, hostname };
  const machineId = opts.machineId === undefined ? machineIdentity(opts.stateDir) : opts.machineId;
  if (machineId) req.machineId = machineId;

  // The pinned CA is the only root: the system trust store plays no part in agent ↔ server TLS.
  const client = new grpc.Client(opts.server, grpc.credentials.createSsl(Buffer.from(caPem)), channelNameOptions(opts.server));
  let res: EnrollResponse;
  try {
    res = await new Promise<EnrollResponse>((resolve, reject) => {
      client.makeUnaryRequest(
        ENROLL_PATH,
        (r: EnrollRequest) => Buffer.from(encodeEnrollRequest(r)),
        (b: Buffer) => decodeEnrollResponse(b),
        req,
        { deadline: Date.now() + (opts.timeoutMs ?? 30_000) },
        (err, value) => (err ? reject(err) : value ? resolve(value) : reject(new Error('empty enroll response'))),
      );
    });
  } catch (err) {
    const e = err as Partial<grpc.ServiceError>;
    if (typeof e.code === 'number') {
      throw new VigilError(codeOfGrpcError(e), `enrollment with ${opts.server} failed: ${grpcStatusName(e.code)}: ${e.details ?? e.message}`, { cause: err });
    }
    throw err;
  } finally {
    client.close();
  }
  // The server sends its CA back; it must be the very CA we pinned, not merely one signed by it.
  storeAgentCertificate(opts.stateDir, res.clientCertificatePem, res.caCertificatePem, opts.caFingerprint);
  // Later Connects identify us by the certificate alone, so the id we report must be the one it names.
  if (new X509Certificate(res.clientCertificatePem).subject !== `CN=${res.agentId}`)
    throw new VigilError('INVALID_INPUT', `issued certificate does not name agent ${JSON.stringify(res.agentId)}`);
  // `vigil agent run` dials this server unless the config names another.
  writeFileAtomicSync(path.join(opts.stateDir, SERVER_FILE), `${opts.server}\n`, { mode: 0o600, regularOnly: true });
  return { agentId: res.agentId, stateDir: opts.stateDir };
}
