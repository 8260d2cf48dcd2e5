import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollAgent } from '../../src/agent/enroll.js';
import { machineIdentity } from '../../src/agent/machine-id.js';
import { VigilError } from '../../src/common/errors.js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import type { Component } from '../../src/common/model.js';
import { decodeServerMessage, encodeAgentMessage, type AgentMsg, type ServerMsg } from '../../src/common/wire/codec.js';
import type { HostSummary } from '../../src/server/fleet-service.js';
import type { StoredFinding } from '../../src/store/fleet-store.js';
import { vigil } from '../helpers/cli.js';
import { startServer, waitFor, type ServerHandle } from '../helpers/fleet.js';
import { tempDir } from '../helpers/fixtures.js';

/**
 * Hosts through their lifecycle against a real `vigil server run`: enrolment over
 * gRPC with real tokens, streams over mutual TLS, the HTTP API and the CLI.
 */

const CONNECT = '/vigil.v1.AgentService/Connect';
/** Vulnerable in the bundled GHSA records (prototype pollution, CVE-2021-44906). */
const MINIMIST: Component = {
  ecosystem: 'npm',
  name: 'minimist',
  version: '1.2.5',
  purl: 'pkg:npm/minimist@1.2.5',
  locations: ['/srv/app/node_modules/minimist/package.json'],
  foundBy: 'test',
};

let tmp: { dir: string; cleanup: () => void };
let server: ServerHandle;
let caPem: string;

type Host = HostSummary & { connected: boolean };

async function newToken(): Promise<string> {
  const r = await vigil(['token', 'create', '--dir', path.join(server.dir, 'pki')]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').at(-1)!.trim();
}

function enrol(stateDir: string, tok: string, machineId?: string | null) {
  return enrollAgent({ server: `127.0.0.1:${server.grpcPort}`, token: tok, caFingerprint: server.fingerprint, caPem, stateDir, hostname: 'box.example', ...(machineId !== undefined ? { machineId } : {}) });
}

interface Raw {
  send(msg: AgentMsg): void;
  received: ServerMsg[];
  status: Promise<{ code: grpc.status; details: string }>;
  close(): void;
}

function identity(stateDir: string): { key: string; cert: string } {
  return { key: readFileSync(path.join(stateDir, 'agent.key'), 'utf8'), cert: readFileSync(path.join(stateDir, 'agent.crt'), 'utf8') };
}

/** A Connect stream with the given identity, sending exactly what it is told. */
function connect(creds: { key: string; cert: string }): Raw {
  const client = new grpc.Client(`127.0.0.1:${server.grpcPort}`, grpc.credentials.createSsl(Buffer.from(caPem), Buffer.from(creds.key), Buffer.from(creds.cert)), {
    'grpc.ssl_target_name_override': 'localhost',
  });
  const call = client.makeBidiStreamRequest<Buffer, Buffer>(CONNECT, (b) => b, (b) => b);
  const received: ServerMsg[] = [];
  call.on('data', (b: Buffer) => received.push(decodeServerMessage(b)));
  const status = new Promise<{ code: grpc.status; details: string }>((resolve) => {
    call.on('error', (err: grpc.ServiceError) => resolve({ code: err.code, details: err.details }));
    call.on('status', (s: grpc.StatusObject) => {
      if (s.code === grpc.status.OK) resolve({ code: s.code, details: s.details });
    });
  });
  return {
    send: (m) => call.write(Buffer.from(encodeAgentMessage(m))),
    received,
    status,
    close: () => {
      call.cancel();
      client.close();
    },
  };
}

const HELLO: AgentMsg = { kind: 'hello', agentVersion: 'test', agentEpoch: 1, lastAckedSeq: 0, capabilities: [] };

/** Connects, sends one snapshot holding minimist 1.2.5, waits for the ack; the stream stays open. */
async function connectWithFinding(stateDir: string): Promise<Raw> {
  const r = connect(identity(stateDir));
  r.send(HELLO);
  await waitFor('welcome', () => r.received.find((m) => m.kind === 'welcome'));
  r.send({ kind: 'snapshot', epoch: 1, seq: 1, chunkIndex: 0, chunkCount: 1, components: [MINIMIST], digest: inventoryDigest([MINIMIST]) });
  await waitFor('ack', () => r.received.find((m) => m.kind === 'ack'));
  return r;
}

async function hosts(): Promise<Host[]> {
  return (await server.api<{ hosts: Host[] }>('GET', 'hosts')).body.hosts;
}

async function findings(query: Record<string, string>): Promise<StoredFinding[]> {
  return (await server.api<{ findings: StoredFinding[] }>('GET', 'findings', query)).body.findings;
}

const cli = (args: string[]) => vigil([...args, '--api', `http://127.0.0.1:${server.apiPort}`], { env: { VIGIL_API_TOKEN: server.token } });

beforeAll(async () => {
  tmp = tempDir('vigil-hostlife-');
  server = await startServer(path.join(tmp.dir, 'server'));
  caPem = readFileSync(path.join(server.dir, 'pki/ca.crt'), 'utf8');
}, 300_000);

afterAll(async () => {
  await server?.proc.kill();
  tmp?.cleanup();
});

describe('enrolling the same machine again', () => {
  it('keeps its host: same id, inventory and findings, no second host; the old certificate is refused from then on', async () => {
    const stateDir = path.join(tmp.dir, 'same');
    expect(machineIdentity(stateDir)).toMatch(/^[0-9a-f]{32}$/);
    const first = await enrol(stateDir, await newToken());
    const oldCreds = identity(stateDir);
    const stream = await connectWithFinding(stateDir);
    const open = await waitFor('the finding', async () => {
      const f = await findings({ host: first.agentId, status: 'ACTIVE' });
      return f.length > 0 && f;
    });
    const count = (await hosts()).length;

    // The agent's state is lost (a reinstall); the machine enrols again with a new token.
    const again = await enrol(stateDir, await newToken());
    expect(again.agentId).toBe(first.agentId);
    expect((await hosts()).length).toBe(count);
    const h = (await hosts()).find((x) => x.id === first.agentId)!;
    expect(h).toMatchObject({ state: 'enrolled', seq: 1, components: 1 });
    expect((await findings({ host: first.agentId, status: 'ACTIVE' })).map((f) => f.id)).toEqual(open.map((f) => f.id));

    // The stream opened with the replaced certificate ended, and that certificate is refused.
    const ended = await stream.status;
    stream.close();
    expect(ended.code).toBe(grpc.status.PERMISSION_DENIED);
    const old = connect(oldCreds);
    old.send(HELLO);
    const refused = await old.status;
    old.close();
    expect(refused.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(refused.details).toMatch(/replaced/);

    // The new certificate connects to the same host, which goes online and keeps its findings.
    const now = connect(identity(stateDir));
    now.send(HELLO);
    expect(await waitFor('welcome', () => now.received.find((m) => m.kind === 'welcome'))).toMatchObject({ seq: 1, snapshotNeeded: false });
    expect((await server.api<Host>('GET', `hosts/${first.agentId}`)).body).toMatchObject({ state: 'online', connected: true });
    now.close();
    await waitFor('offline', async () => (await server.api<Host>('GET', `hosts/${first.agentId}`)).body.state === 'offline');
  });

  it('a claim of the machine id without a valid token changes nothing; another machine with a token is another host', async () => {
    const stateDir = path.join(tmp.dir, 'victim');
    const victim = await enrol(stateDir, await newToken());
    const claimed = machineIdentity(stateDir)!;
    const before = (await server.api<Host>('GET', `hosts/${victim.agentId}`)).body;

    const thief = await enrol(path.join(tmp.dir, 'thief'), 'vigil_et_not-a-token', claimed).catch((e: unknown) => e);
    expect(thief).toBeInstanceOf(VigilError);
    expect((thief as VigilError).message).toMatch(/UNAUTHENTICATED: unknown enrollment token/);
    expect((thief as VigilError).code).toBe('UNAUTHENTICATED');
    const after = (await server.api<Host>('GET', `hosts/${victim.agentId}`)).body;
    expect(after.lastSeenAt).toBe(before.lastSeenAt);
    // The victim's certificate still opens its stream.
    const s = connect(identity(stateDir));
    s.send(HELLO);
    await waitFor('welcome', () => s.received.find((m) => m.kind === 'welcome'));
    s.close();

    const other = await enrol(path.join(tmp.dir, 'other'), await newToken());
    expect(other.agentId).not.toBe(victim.agentId);
    // An agent that sends no machine id enrols as a new host every time.
    const a = await enrol(path.join(tmp.dir, 'anon'), await newToken(), null);
    const b = await enrol(path.join(tmp.dir, 'anon'), await newToken(), null);
    expect(a.agentId).not.toBe(b.agentId);
  });
});

describe('revoke and delete', () => {
  it('revoking closes the host’s findings as host-revoked; the machine cannot enrol again until the host is deleted; vigil hosts delete removes it', async () => {
    const stateDir = path.join(tmp.dir, 'revoked');
    const { agentId: id } = await enrol(stateDir, await newToken());
    const stream = await connectWithFinding(stateDir);
    await waitFor('the finding', async () => (await findings({ host: id, status: 'ACTIVE' })).length > 0);
    const openIds = (await findings({ host: id, status: 'ACTIVE' })).map((f) => f.id);

    const early = await cli(['hosts', 'delete', id]);
    expect(early.code).toBe(8);
    expect(early.stderr).toMatch(`host ${id} is online, not revoked; revoke it first (vigil hosts revoke ${id})`);

    const rev = await cli(['hosts', 'revoke', id, '--json']);
    expect(rev.code, rev.stderr).toBe(0);
    await stream.status;
    stream.close();

    // Counted as open nowhere: the API's counts, vigil hosts, vigil findings.
    expect((await server.api<Host>('GET', `hosts/${id}`)).body).toMatchObject({ state: 'revoked', findings: { total: 0 } });
    expect(await findings({ host: id, status: 'ACTIVE,SUPPRESSED' })).toEqual([]);
    const closed = await findings({ host: id, status: 'CLOSED' });
    expect(closed.map((f) => f.id).sort()).toEqual([...openIds].sort());
    expect(closed.every((f) => f.closeReason === 'host-revoked')).toBe(true);
    const listed = await cli(['hosts', 'list', '--json']);
    expect((JSON.parse(listed.stdout) as Host[]).find((x) => x.id === id)).toMatchObject({ state: 'revoked', findings: { total: 0 } });
    const active = await cli(['findings', 'list', '--host', id, '--json']);
    expect(active.code, active.stderr).toBe(0);
    expect(JSON.parse(active.stdout)).toEqual([]);
    const shown = await cli(['findings', 'show', id, openIds[0]!]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/CLOSED host-revoked/);
    expect(shown.stdout).toMatch(/EPISODE\s+OPENED\s+LAST SEEN\s+CLOSED\s+REASON/);

    // Re-enrolment of a revoked machine is refused, and the token is not spent.
    const tok = await newToken();
    const refused = await enrol(stateDir, tok).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VigilError);
    expect((refused as VigilError).code).toBe('CONFLICT');
    expect((refused as VigilError).message).toMatch(`FAILED_PRECONDITION: host ${id} was revoked; delete it (vigil hosts delete ${id}) before this machine enrols again`);

    const del = await cli(['hosts', 'delete', id, '--json']);
    expect(del.code, del.stderr).toBe(0);
    expect(JSON.parse(del.stdout)).toEqual({ id, hostname: 'box.example', components: 1, findings: openIds.length, episodes: 0, suppressions: 0 });
    expect((await server.api('GET', `hosts/${id}`)).status).toBe(404);
    expect(await findings({ host: id, status: 'ACTIVE,SUPPRESSED,CLOSED' })).toEqual([]);
    const gone = await cli(['hosts', 'delete', id]);
    expect(gone.code).toBe(3);

    // Deleted, the machine enrols again, as a new host, with the token the refusal left unspent.
    const fresh = await enrol(stateDir, tok);
    expect(fresh.agentId).not.toBe(id);
    const text = await cli(['hosts', 'revoke', fresh.agentId]);
    expect(text.code, text.stderr).toBe(0);
    const deleted = await cli(['hosts', 'delete', fresh.agentId]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe(`${fresh.agentId} (box.example) deleted: 0 components, 0 findings with 0 earlier episodes, 0 host suppressions\n`);
  });
});
