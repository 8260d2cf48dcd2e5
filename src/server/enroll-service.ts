import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { VigilError, describeError } from '../common/errors.js';
import { decodeEnrollRequest, encodeEnrollResponse, type EnrollRequest, type EnrollResponse } from '../common/wire/codec.js';
import { loadServerPki, signAgentCsr, type ServerPki } from './pki.js';
import { redeemToken } from './tokens.js';

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

function fail(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

export function newAgentId(): string {
  return `a-${randomBytes(8).toString('hex')}`;
}

/** Called once a certificate is issued, before it is returned: the fleet records the new host. */
export type OnEnrolled = (agentId: string, hostname: string, certPem: string) => Promise<void>;

export function enrollHandler(pki: ServerPki, onEnrolled?: OnEnrolled): grpc.handleUnaryCall<Buffer, EnrollResponse> {
  return (call, callback) => {
    void (async () => {
      let req: EnrollRequest;
      try {
        req = decodeEnrollRequest(call.request);
      } catch (err) {
        return callback(fail(grpc.status.INVALID_ARGUMENT, describeError(err)));
      }
      // The request is checked (parsed, key type, proof of possession) and signed before
      // the token is spent, so a malformed request does not burn a one-time token. The
      // certificate is returned only once the token is redeemed.
      const agentId = newAgentId();
      let certPem: string;
      try {
        certPem = await signAgentCsr(pki, req.publicKeyPem, agentId);
      } catch (err) {
        const bad = err instanceof VigilError && err.code === 'INVALID_INPUT';
        return callback(fail(bad ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL, describeError(err)));
      }
      try {
        redeemToken(pki.dir, req.enrollmentToken);
      } catch (err) {
        // A broken token file is the server's problem, not the caller's credentials.
        const auth = err instanceof VigilError && err.code === 'INVALID_INPUT';
        return callback(fail(auth ? grpc.status.UNAUTHENTICATED : grpc.status.INTERNAL, describeError(err)));
      }
      if (onEnrolled) await onEnrolled(agentId, req.hostname, certPem);
      callback(null, { agentId, clientCertificatePem: certPem, caCertificatePem: pki.caCertPem });
    })().catch((err: unknown) => callback(fail(grpc.status.INTERNAL, describeError(err))));
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
