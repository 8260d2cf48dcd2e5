import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollAgent } from '../../src/agent/enroll.js';
import { createAgentCsr } from '../../src/agent/identity.js';
import { decodeEnrollResponse, encodeEnrollRequest } from '../../src/common/wire/codec.js';
import { ENROLL_PATH, startEnrollServer, stopEnrollServer } from '../../src/server/enroll-service.js';
import { agentIdFromCert, initServerPki } from '../../src/server/pki.js';
import { createToken } from '../../src/server/tokens.js';
import { tempDir } from '../helpers/fixtures.js';

let tmp: { dir: string; cleanup: () => void };
let pkiDir: string;
let caPem: string;
let fingerprint: string;
let server: grpc.Server;
let target: string;

beforeAll(async () => {
  tmp = tempDir('vigil-enroll-');
  pkiDir = path.join(tmp.dir, 'pki');
  const r = await initServerPki(pkiDir);
  caPem = r.caCert;
  fingerprint = r.fingerprint;
  const s = await startEnrollServer({ pkiDir, host: '127.0.0.1', port: 0 });
  server = s.server;
  target = `127.0.0.1:${s.port}`;
});
afterAll(async () => {
  if (server) await stopEnrollServer(server);
  tmp.cleanup();
});

/** A client that sends whatever bytes it is given, as a broken or hostile peer would. */
function rawEnroll(body: Buffer): Promise<{ code: grpc.status; details: string } | { code: grpc.status.OK; agentId: string }> {
  const client = new grpc.Client(target, grpc.credentials.createSsl(Buffer.from(caPem)));
  return new Promise((resolve) => {
    client.makeUnaryRequest(ENROLL_PATH, (b: Buffer) => b, (b: Buffer) => decodeEnrollResponse(b), body, { deadline: Date.now() + 15_000 }, (err, res) => {
      client.close();
      if (err) resolve({ code: err.code, details: err.details });
      else resolve({ code: grpc.status.OK, agentId: res!.agentId });
    });
  });
}

async function goodRequest(token: string, stateDir: string): Promise<Buffer> {
  const csr = await createAgentCsr(stateDir, 'host-1');
  return Buffer.from(encodeEnrollRequest({ enrollmentToken: token, publicKeyPem: csr, hostname: 'host-1' }));
}

describe('AgentService.Enroll over gRPC', () => {
  it('enrolls with a token: the agent gets an id and a 0600 certificate the CA vouches for', async () => {
    const { token } = createToken(pkiDir, { ttlSeconds: 600 });
    const stateDir = path.join(tmp.dir, 'agent-1');
    const r = await enrollAgent({ server: target, token, caFingerprint: fingerprint, caPem, stateDir, hostname: 'host-1' });
    expect(r.agentId).toMatch(/^a-[0-9a-f]{16}$/);
    const certFile = path.join(stateDir, 'agent.crt');
    expect(statSync(certFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(stateDir, 'agent.key')).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(readFileSync(certFile));
    expect(cert.verify(new X509Certificate(caPem).publicKey)).toBe(true);
    expect(agentIdFromCert(cert, caPem)).toBe(r.agentId);
    expect(readFileSync(path.join(stateDir, 'ca.crt'), 'utf8')).toBe(caPem);

    // The token was good for one enrollment only.
    await expect(enrollAgent({ server: target, token, caFingerprint: fingerprint, caPem, stateDir: path.join(tmp.dir, 'agent-1b') })).rejects.toThrow(
      /UNAUTHENTICATED: enrollment token already used/,
    );
  });

  it('each enrollment gets its own agent id', async () => {
    const { token } = createToken(pkiDir, { ttlSeconds: 600, uses: 2 });
    const a = await enrollAgent({ server: target, token, caFingerprint: fingerprint, caPem, stateDir: path.join(tmp.dir, 'agent-2a') });
    const b = await enrollAgent({ server: target, token, caFingerprint: fingerprint, caPem, stateDir: path.join(tmp.dir, 'agent-2b') });
    expect(a.agentId).not.toBe(b.agentId);
  });

  it('an unknown token is UNAUTHENTICATED', async () => {
    const r = await rawEnroll(await goodRequest('not-a-token', path.join(tmp.dir, 'agent-3')));
    expect(r).toEqual({ code: grpc.status.UNAUTHENTICATED, details: 'unknown enrollment token' });
  });

  it('refuses a CA whose fingerprint does not match the pin, before any RPC and without spending the token', async () => {
    const { token } = createToken(pkiDir, { ttlSeconds: 600 });
    const stateDir = path.join(tmp.dir, 'agent-4');
    await expect(enrollAgent({ server: target, token, caFingerprint: '00'.repeat(32), caPem, stateDir })).rejects.toThrow(
      `server CA fingerprint ${fingerprint} does not match the pinned ${'00'.repeat(32)}`,
    );
    // Nothing was sent: the same token still enrolls.
    const r = await enrollAgent({ server: target, token, caFingerprint: fingerprint, caPem, stateDir });
    expect(r.agentId).toMatch(/^a-/);
  });

  it('answers garbage with INVALID_ARGUMENT and keeps serving', async () => {
    const bad = await rawEnroll(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    const { token } = createToken(pkiDir, { ttlSeconds: 600 });
    const good = await rawEnroll(await goodRequest(token, path.join(tmp.dir, 'agent-5')));
    expect(good.code).toBe(grpc.status.OK);
  });

  it('answers a CSR that cannot be parsed with INVALID_ARGUMENT', async () => {
    const { token } = createToken(pkiDir, { ttlSeconds: 600 });
    const r = await rawEnroll(Buffer.from(encodeEnrollRequest({ enrollmentToken: token, publicKeyPem: 'not a csr', hostname: 'h' })));
    expect(r).toEqual({ code: grpc.status.INVALID_ARGUMENT, details: 'certificate request cannot be parsed' });
    // The malformed request did not spend the token.
    const good = await rawEnroll(await goodRequest(token, path.join(tmp.dir, 'agent-6')));
    expect(good.code).toBe(grpc.status.OK);
  });

  it('answers a machine id that is not 32 lowercase hex digits with INVALID_ARGUMENT, without spending the token', async () => {
    const { token } = createToken(pkiDir, { ttlSeconds: 600 });
    const csr = await createAgentCsr(path.join(tmp.dir, 'agent-7'), 'host-1');
    const r = await rawEnroll(Buffer.from(encodeEnrollRequest({ enrollmentToken: token, publicKeyPem: csr, hostname: 'h', machineId: '../../etc/passwd' })));
    expect(r).toEqual({ code: grpc.status.INVALID_ARGUMENT, details: 'wire: enroll_request.machine_id: must be 32 lowercase hex digits' });
    const good = await rawEnroll(Buffer.from(encodeEnrollRequest({ enrollmentToken: token, publicKeyPem: csr, hostname: 'h', machineId: 'ab'.repeat(16) })));
    expect(good.code).toBe(grpc.status.OK);
  });

  it('rejects a request over 1 MiB with RESOURCE_EXHAUSTED', async () => {
    const r = await rawEnroll(Buffer.from(encodeEnrollRequest({ enrollmentToken: 'x', publicKeyPem: 'A'.repeat(1024 * 1024 + 1), hostname: 'h' })));
    expect(r.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });
});
