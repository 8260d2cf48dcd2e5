import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentCsr } from '../../src/agent/identity.js';
import { ERROR_CODES, GRPC_CODE_KEY, GRPC_STATUS } from '../../src/common/errors.js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import type { Component } from '../../src/common/model.js';
import { decodeServerMessage, encodeAgentMessage, type AgentMsg, type ServerMsg } from '../../src/common/wire/codec.js';
import { initServerPki, loadServerPki, signAgentCsr } from '../../src/server/pki.js';
import type { HostSummary } from '../../src/server/fleet-service.js';
import { vigil } from '../helpers/cli.js';
import { addStatusPackage, dpkgCount, enroll, startAgent, startServer, waitFor, type AgentHandle, type ServerHandle } from '../helpers/fleet.js';
import { PKGDB, makeRoot, tempDir } from '../helpers/fixtures.js';

/**
 * Refusals on the agent stream, against a real `vigil server run`: each hostile
 * client is turned away with a status naming the problem while a well-behaved agent
 * on the same server keeps streaming.
 */

const CONNECT = '/vigil.v1.AgentService/Connect';
const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';

let tmp: { dir: string; cleanup: () => void };
let server: ServerHandle;
let good: AgentHandle;
let goodRoot: { root: string; cleanup: () => void };
let caPem: string;

interface Creds {
  key: string;
  cert: string;
}

function identity(stateDir: string): Creds {
  return { key: readFileSync(path.join(stateDir, 'agent.key'), 'utf8'), cert: readFileSync(path.join(stateDir, 'agent.crt'), 'utf8') };
}

interface Raw {
  send(msg: AgentMsg | Buffer): void;
  received: ServerMsg[];
  /** The status the stream ended with, and the error code named in its trailers. */
  status: Promise<{ code: grpc.status; details: string; named?: string }>;
  close(): void;
}

/** A Connect stream that sends exactly what it is told, as a broken or hostile agent would. */
function raw(creds?: Creds): Raw {
  const ssl = creds ? grpc.credentials.createSsl(Buffer.from(caPem), Buffer.from(creds.key), Buffer.from(creds.cert)) : grpc.credentials.createSsl(Buffer.from(caPem));
  const client = new grpc.Client(`127.0.0.1:${server.grpcPort}`, ssl, { 'grpc.ssl_target_name_override': 'localhost', 'grpc.max_send_message_length': 64 * 1024 * 1024 });
  const call = client.makeBidiStreamRequest<Buffer, Buffer>(CONNECT, (b) => b, (b) => b);
  const received: ServerMsg[] = [];
  call.on('data', (b: Buffer) => received.push(decodeServerMessage(b)));
  const status = new Promise<{ code: grpc.status; details: string; named?: string }>((resolve) => {
    call.on('error', (err: grpc.ServiceError) => {
      const named = err.metadata?.get(GRPC_CODE_KEY)[0];
      resolve({ code: err.code, details: err.details, ...(named !== undefined ? { named: String(named) } : {}) });
    });
    call.on('status', (s: grpc.StatusObject) => {
      if (s.code === grpc.status.OK) resolve({ code: s.code, details: s.details });
    });
  });
  return {
    send: (m) => call.write(Buffer.isBuffer(m) ? m : Buffer.from(encodeAgentMessage(m))),
    received,
    status,
    close: () => {
      call.cancel();
      client.close();
    },
  };
}

function hello(epoch = 1): AgentMsg {
  return { kind: 'hello', agentVersion: 'test', agentEpoch: epoch, lastAckedSeq: 0, capabilities: [] };
}

async function host(id: string): Promise<HostSummary & { connected: boolean }> {
  return (await server.api<HostSummary & { connected: boolean }>('GET', `hosts/${id}`)).body;
}

/** The well-behaved agent still delivers a change after whatever the last test did. */
async function goodAgentStillStreams(n: number): Promise<void> {
  addStatusPackage(goodRoot.root, `still-${n}`, '1.0-1');
  await waitFor('the well-behaved agent delivers a change', async () => {
    const h = await host(good.id);
    const l = good.local();
    return l.components === dpkgCount(goodRoot.root) && h.digest === l.digest && h.connected;
  });
}

beforeAll(async () => {
  tmp = tempDir('vigil-streamsec-');
  server = await startServer(path.join(tmp.dir, 'server'));
  caPem = readFileSync(path.join(server.dir, 'pki/ca.crt'), 'utf8');
  goodRoot = makeRoot({ 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') } });
  const stateDir = path.join(tmp.dir, 'good');
  good = startAgent(await enroll(server, stateDir), stateDir, goodRoot.root);
  await goodAgentStillStreams(0);
}, 300_000);

afterAll(async () => {
  await good?.proc.kill();
  await server?.proc.kill();
  goodRoot?.cleanup();
  tmp?.cleanup();
});

/** An RFC 9457 problem as the API answers it (src/server/api/problem.ts). */
function problem(code: keyof typeof ERROR_CODES, detail: string, instance: string): Record<string, unknown> {
  return { type: `urn:vigil:error:${code}`, title: ERROR_CODES[code].description, status: ERROR_CODES[code].http, detail, code, instance };
}

describe('Connect refuses what it must', () => {
  it('refuses a client without a certificate', async () => {
    const r = raw();
    r.send(hello());
    const st = await r.status;
    r.close();
    expect(st.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(st.details).toMatch(/no client certificate/);
    await goodAgentStillStreams(1);
  });

  it('refuses a certificate from another CA, even one naming an enrolled agent', async () => {
    const foreignDir = path.join(tmp.dir, 'foreign');
    await initServerPki(path.join(foreignDir, 'pki'));
    const pki = await loadServerPki(path.join(foreignDir, 'pki'));
    const csr = await createAgentCsr(path.join(foreignDir, 'agent'), 'mallory');
    const cert = await signAgentCsr(pki, csr, good.id);
    const r = raw({ key: readFileSync(path.join(foreignDir, 'agent/agent.key'), 'utf8'), cert });
    r.send(hello());
    const st = await r.status;
    r.close();
    expect(st.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(st.details).toMatch(/no client certificate issued by this server's CA/);
    await goodAgentStillStreams(2);
  });

  it("lets agent A write only its own inventory: the certificate, not the message, names the host", async () => {
    const aDir = path.join(tmp.dir, 'agent-a');
    const aId = await enroll(server, aDir);
    const before = await host(good.id);
    const r = raw(identity(aDir));
    r.send(hello(7));
    await waitFor('welcome', () => r.received.find((m) => m.kind === 'welcome'));
    // Whatever A sends lands on A: here, a snapshot that would replace the good host's inventory.
    const components: Component[] = [{ ecosystem: 'deb', name: 'evil', version: '1', purl: 'pkg:deb/debian/evil@1?arch=amd64', locations: [], foundBy: 'dpkg' } as Component];
    r.send({ kind: 'snapshot', epoch: 7, seq: 1, chunkIndex: 0, chunkCount: 1, components, digest: inventoryDigest(components) });
    await waitFor('ack', () => r.received.find((m) => m.kind === 'ack'));
    r.close();
    const a = await host(aId);
    expect(a.components).toBe(1);
    expect(a.digest).toBe(inventoryDigest(components));
    const after = await host(good.id);
    expect(after.digest).toBe(before.digest);
    expect(after.seq).toBe(before.seq);
  });

  it('asks for a rescan only an agent that said it does them, and refuses the rest at once with CONFLICT', async () => {
    const dir = path.join(tmp.dir, 'agent-no-rescan');
    const id = await enroll(server, dir);
    const r = raw(identity(dir));
    r.send({ kind: 'hello', agentVersion: '0.0.1-old', agentEpoch: 3, lastAckedSeq: 0, capabilities: [] });
    await waitFor('welcome', () => r.received.find((m) => m.kind === 'welcome'));
    await waitFor('host connected', async () => (await host(id)).connected);
    const refused = await server.api<{ detail?: string; code?: string }>('POST', `hosts/${id}/rescan`, { timeout: '5' });
    r.close();
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toMatch(/agent \(version 0\.0\.1-old\) does not rescan on request/);
    expect(r.received.some((m) => m.kind === 'rescan')).toBe(false);
  });

  it('refuses malformed bytes with INVALID_ARGUMENT, naming the problem', async () => {
    const dir = path.join(tmp.dir, 'agent-m');
    await enroll(server, dir);
    const r = raw(identity(dir));
    r.send(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    const st = await r.status;
    r.close();
    expect(st.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(st.details.length).toBeGreaterThan(10);
    await goodAgentStillStreams(3);
  });

  it('refuses a delta before hello, and a snapshot whose digest does not match its components', async () => {
    const dir = path.join(tmp.dir, 'agent-p');
    const id = await enroll(server, dir);
    const r = raw(identity(dir));
    r.send({ kind: 'heartbeat', seq: 1, digest: 'a'.repeat(64) });
    const st = await r.status;
    r.close();
    expect(st.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(st.details).toMatch(/first message must be hello/);

    const r2 = raw(identity(dir));
    r2.send(hello(3));
    await waitFor('welcome', () => r2.received.find((m) => m.kind === 'welcome'));
    r2.send({ kind: 'snapshot', epoch: 3, seq: 1, chunkIndex: 0, chunkCount: 1, components: [], digest: 'b'.repeat(64) });
    const resync = await waitFor('resync', () => r2.received.find((m) => m.kind === 'resync'));
    expect(resync).toMatchObject({ kind: 'resync', reason: 'digest-mismatch' });
    r2.close();
    expect((await host(id)).seq).toBeUndefined();
  });

  it('refuses an oversized message', async () => {
    const dir = path.join(tmp.dir, 'agent-o');
    await enroll(server, dir);
    const r = raw(identity(dir));
    r.send(hello());
    await waitFor('welcome', () => r.received.find((m) => m.kind === 'welcome'));
    r.send(Buffer.alloc(6 * 1024 * 1024, 0x41));
    const st = await r.status;
    r.close();
    expect(st.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    await goodAgentStillStreams(4);
  });

  it('closes the stream of an agent that floods it', async () => {
    const dir = path.join(tmp.dir, 'agent-f');
    await enroll(server, dir);
    const r = raw(identity(dir));
    r.send(hello());
    await waitFor('welcome', () => r.received.find((m) => m.kind === 'welcome'));
    for (let i = 0; i < 1000; i++) r.send({ kind: 'heartbeat', seq: 0, digest: 'c'.repeat(64) });
    const st = await r.status;
    r.close();
    expect(st.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(st.details).toMatch(/messages per second/);
    await goodAgentStillStreams(5);
  });

  it('ends a revoked agent stream at once and refuses it from then on', async () => {
    const dir = path.join(tmp.dir, 'agent-r');
    const id = await enroll(server, dir);
    const r = raw(identity(dir));
    r.send(hello());
    await waitFor('welcome', () => r.received.find((m) => m.kind === 'welcome'));
    const rev = await vigil(['hosts', 'revoke', id, '--json', '--api', `http://127.0.0.1:${server.apiPort}`], { env: { VIGIL_API_TOKEN: server.token } });
    expect(rev.code, rev.stderr).toBe(0);
    expect(JSON.parse(rev.stdout)).toMatchObject({ id, revokedAt: expect.any(String) });
    const st = await r.status;
    r.close();
    // The catalog's status for PERMISSION_DENIED, with the code named beside it.
    expect(st).toEqual({ code: GRPC_STATUS[ERROR_CODES.PERMISSION_DENIED.grpc], details: `agent ${id} was revoked`, named: 'PERMISSION_DENIED' });
    expect(st.code).toBe(grpc.status.PERMISSION_DENIED);

    const again = raw(identity(dir));
    again.send(hello());
    const st2 = await again.status;
    again.close();
    expect(st2.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(st2.named).toBe('PERMISSION_DENIED');
    expect(st2.details).toMatch(new RegExp(`^agent ${id} was revoked at `));
    await goodAgentStillStreams(6);
  });

  it('answers the API only with the bearer token, and every refusal with the catalog status and code name', async () => {
    const res = await fetch(`http://127.0.0.1:${server.apiPort}/api/v1/hosts`, { headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(ERROR_CODES.UNAUTHENTICATED.http);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toEqual(problem('UNAUTHENTICATED', 'unknown, revoked or expired API token', '/api/v1/hosts'));
    const none = await fetch(`http://127.0.0.1:${server.apiPort}/api/v1/hosts`);
    expect([none.status, ((await none.json()) as { code: string }).code]).toEqual([401, 'UNAUTHENTICATED']);
    const missing = await server.api<{ detail: string; code: string }>('GET', 'hosts/a-0000000000000000');
    expect(missing).toEqual({ status: ERROR_CODES.NOT_FOUND.http, body: problem('NOT_FOUND', 'no host a-0000000000000000', '/api/v1/hosts/a-0000000000000000') });
    expect(missing.status).toBe(404);
    const route = await server.api<{ detail: string; code: string }>('GET', 'nowhere');
    expect(route).toEqual({ status: 404, body: problem('NOT_FOUND', 'no route GET /api/v1/nowhere', '/api/v1/nowhere') });
    const malformed = await server.api<{ detail: string; code: string }>('GET', 'findings', { severity: 'severe' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ detail: expect.stringMatching(/^severity "severe" is not one of /), code: 'INVALID_INPUT', status: 400 });
    const gone = await vigil(['hosts', 'show', 'a-0000000000000000', '--api', `http://127.0.0.1:${server.apiPort}`], { env: { VIGIL_API_TOKEN: server.token } });
    expect(gone.code).toBe(ERROR_CODES.NOT_FOUND.exit);
    expect(gone.stderr).toMatch(/^vigil: no host a-0000000000000000$/m);
    const bad = await vigil(['findings', 'list', '--severity', 'severe', '--api', `http://127.0.0.1:${server.apiPort}`], { env: { VIGIL_API_TOKEN: server.token } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/severity "severe" is not one of/);
  });
});
