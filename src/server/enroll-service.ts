import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { VigilError } from '../common/errors.js';
import { decodeEnrollRequest, encodeEnrollResponse, type EnrollRequest, type EnrollResponse } from '../common/wire/codec.js';
import { grpcServiceError } from './grpc-errors.js';
import { loadServerPki, signAgentCsr, verifyAgentCsr, type ServerPki } from './pki.js';
import { checkToken, redeemToken } from './tokens.js';

export const ENROLL_PATH = '/vigil.v1.AgentService/Enroll';
/** Far above any real CSR; bounds what an unauthenticated caller can make the server buffer. */
export const MAX_ENROLL_MESSAGE_BYTES = 1024 * 1024;

// The request side stays raw bytes: grpc-js turns a throwing deserializer into INTERNAL,
// while a malformed request is the caller's fault and must read as INVALID_ARGUMENT.
const ENROLL_METHOD: grpc.MethodDefinition<Buffer, EnrollResponse> = {
  path: ENROLL_PATH,
  requestStream: false,
  responseStream: false,
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (r: EnrollResponse) => Buffer.from(encodeEnrollResponse(r)),
  responseDeserialize: (b: Buffer) => b as unknown as EnrollResponse,
};

export const ENROLL_SERVICE: grpc.ServiceDefinition = { Enroll: ENROLL_METHOD };

export function newAgentId(): string {
  return `a-${randomBytes(8).toString('hex')}`;
}

/**
 * What enrolment asks of the fleet. Without them (a bare enroll server) every
 * enrolment is a new host.
 */
export interface EnrollHooks {
  /**
   * The id of the host this machine already has, which the certificate will name, or
   * undefined for a new host. Throws CONFLICT when the machine's host is revoked.
   */
  hostFor(machineId: string | undefined): Promise<string | undefined>;
  /** The certificate is issued and the token spent: record the host before the agent gets the certificate. */
  enrolled(e: { agentId: string; machineId?: string; hostname: string; certPem: string }): Promise<void>;
}

/** A token file that does not parse is the server's failure, not the caller's credential (that is UNAUTHENTICATED). */
function tokenFailure(err: unknown): unknown {
  return err instanceof VigilError && err.code === 'INVALID_INPUT' ? new VigilError('INTERNAL', err.message, { cause: err }) : err;
}

/**
 * Enrol: the request is checked (parsed, key type, proof of possession), then the
 * token, spending nothing; only a caller holding a valid token learns whether its
 * machine has a host and whether that host is revoked (FAILED_PRECONDITION, token
 * kept). The certificate, naming the machine's host or a new one, is signed, the
 * token spent, the fleet told, and only then is the certificate returned.
 * Two enrolments of one machine at once would race for its host: the second is
 * refused (UNAVAILABLE) until the first is done.
 */
export function enrollHandler(pki: ServerPki, hooks?: EnrollHooks): grpc.handleUnaryCall<Buffer, EnrollResponse> {
  const inFlight = new Set<string>();
  return (call, callback) => {
    let machine: string | undefined;
    void (async () => {
      let req: EnrollRequest;
      try {
        req = decodeEnrollRequest(call.request);
        await verifyAgentCsr(req.publicKeyPem);
      } catch (err) {
        return callback(grpcServiceError(err));
      }
      try {
        checkToken(pki.dir, req.enrollmentToken);
      } catch (err) {
        return callback(grpcServiceError(tokenFailure(err)));
      }
      if (req.machineId !== undefined) {
        if (inFlight.has(req.machineId)) return callback(grpcServiceError(new VigilError('UNAVAILABLE', 'another enrolment of this machine is in progress; retry when it is done')));
        inFlight.add((machine = req.machineId));
      }
      let agentId: string;
      try {
        agentId = (await hooks?.hostFor(req.machineId)) ?? newAgentId();
      } catch (err) {
        return callback(grpcServiceError(err));
      }
      let certPem: string;
      try {
        certPem = await signAgentCsr(pki, req.publicKeyPem, agentId);
      } catch (err) {
        return callback(grpcServiceError(err));
      }
      try {
        redeemToken(pki.dir, req.enrollmentToken);
      } catch (err) {
        return callback(grpcServiceError(tokenFailure(err)));
      }
      const e: Parameters<EnrollHooks['enrolled']>[0] = { agentId, hostname: req.hostname, certPem };
      if (req.machineId !== undefined) e.machineId = req.machineId;
      if (hooks) await hooks.enrolled(e);
      callback(null, { agentId, clientCertificatePem: certPem, caCertificatePem: pki.caCertPem });
    })()
      .catch((err: unknown) => callback(grpcServiceError(err)))
      .finally(() => {
        if (machine !== undefined) inFlight.delete(machine);
      });
  };
}

export interface EnrollServer {
  server: grpc.Server;
  port: number;
}

export async function startEnrollServer(opts: { pkiDir: string; host: string; port: number }): Promise<EnrollServer> {
  const pki = await loadServerPki(opts.pkiDir);
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_ENROLL_MESSAGE_BYTES });
  server.addService(ENROLL_SERVICE, { Enroll: enrollHandler(pki) });
  // No client certificate is required: an enrolling agent has none yet; the token is its credential.
  const creds = grpc.ServerCredentials.createSsl(
    Buffer.from(pki.caCertPem),
    [{ cert_chain: Buffer.from(pki.serverCertPem), private_key: Buffer.from(pki.serverKeyPem) }],
    false,
  );
  const address = opts.host.includes(':') ? `[${opts.host}]:${opts.port}` : `${opts.host}:${opts.port}`;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, creds, (err, bound) => {
      if (err) reject(new VigilError('UNAVAILABLE', `cannot listen on ${address}: ${err.message}`, { cause: err }));
      else resolve(bound);
    });
  });
  return { server, port };
}

/** Let in-flight calls finish, but do not wait forever on a stuck client. */
export function stopGrpcServer(server: grpc.Server, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export const stopEnrollServer = stopGrpcServer;
