import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentKey } from '../../src/common/identity.js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import { inventoryDigestV2 } from '../../src/common/inventory-lthash.js';
import type { Component } from '../../src/common/model.js';
import { INVENTORY_DIGEST_V2, type ServerMsg } from '../../src/common/wire/messages.js';
import type { HostSummary } from '../../src/server/fleet-service.js';
import { fixtureComponents } from '../agent/fixture-components.js';
import { connectRaw, type RawAgent } from '../helpers/raw-agent.js';
import { enroll, startServer, waitFor, type ServerHandle } from '../helpers/fleet.js';
import { tempDir } from '../helpers/fixtures.js';

/**
 * Digest versions negotiated per stream, against a real `vigil server run`: a stream
 * whose hello announces `inventory-digest-v2` is checked with v2, one that does not
 * (an older agent) with v1 exactly as before, and a host whose agent is upgraded
 * keeps its seq: its stored digest is converted once, no snapshot needed.
 */

let tmp: { dir: string; cleanup: () => void };
let server: ServerHandle;
let pool: Component[];
const open: RawAgent[] = [];

beforeAll(async () => {
  tmp = tempDir('vigil-digestneg-');
  server = await startServer(path.join(tmp.dir, 'server'));
  pool = (await fixtureComponents()).slice(0, 60);
}, 120_000);
afterAll(async () => {
  for (const a of open) a.close();
  await server?.proc.kill();
  tmp?.cleanup();
});

type Version = 1 | 2;
const digestOf = (v: Version, cs: Component[]): string => (v === 2 ? inventoryDigestV2(cs) : inventoryDigest(cs));

async function agent(name: string): Promise<{ id: string; stateDir: string }> {
  const stateDir = path.join(tmp.dir, name);
  return { id: await enroll(server, stateDir), stateDir };
}

async function next(a: RawAgent, seen: number, kind: ServerMsg['kind']): Promise<ServerMsg> {
  return waitFor(kind, () => a.received.slice(seen).find((m) => m.kind === kind || m.kind === 'resync'));
}

async function connect(stateDir: string, capabilities: string[], epoch = 1): Promise<{ a: RawAgent; welcome: ServerMsg }> {
  const a = connectRaw(server, stateDir);
  open.push(a);
  a.send({ kind: 'hello', agentVersion: 'test', agentEpoch: epoch, lastAckedSeq: 0, capabilities });
  return { a, welcome: await next(a, 0, 'welcome') };
}

/** Sends a delta from `from` to `to` at `seq` with `to`'s digest in `v`, then a heartbeat at it; resolves with the server's answer to the delta. */
async function deltaAndHeartbeat(a: RawAgent, v: Version, seq: number, from: Component[], to: Component[]): Promise<ServerMsg> {
  const had = new Set(from.map(componentKey));
  const has = new Set(to.map(componentKey));
  const seen = a.received.length;
  a.send({ kind: 'delta', epoch: 1, baseSeq: seq - 1, seq, added: to.filter((c) => !had.has(componentKey(c))), removed: [...had].filter((k) => !has.has(k)), digestAfter: digestOf(v, to) });
  const reply = await next(a, seen, 'ack');
  a.send({ kind: 'heartbeat', seq, digest: digestOf(v, to) });
  return reply;
}

async function hostDigest(id: string): Promise<string | undefined> {
  return (await server.api<HostSummary>('GET', `hosts/${id}`)).body.digest;
}

describe('inventory digest negotiation', () => {
  it('checks a stream that announces inventory-digest-v2 with v2, and one that does not with v1, on the same server', async () => {
    const runs: Array<{ v: Version; caps: string[] }> = [
      { v: 2, caps: ['snapshot-chunks', 'rescan', INVENTORY_DIGEST_V2] },
      { v: 1, caps: [] },
    ];
    for (const { v, caps } of runs) {
      const { id, stateDir } = await agent(`agent-v${v}`);
      const { a } = await connect(stateDir, caps);
      const inv = pool.slice(0, 40);
      a.send({ kind: 'snapshot', epoch: 1, seq: 1, chunkIndex: 0, chunkCount: 1, components: inv, digest: digestOf(v, inv) });
      expect(await next(a, 1, 'ack')).toEqual({ kind: 'ack', seq: 1 });
      expect(await deltaAndHeartbeat(a, v, 2, inv, pool.slice(2, 43))).toEqual({ kind: 'ack', seq: 2 });
      expect(await deltaAndHeartbeat(a, v, 3, pool.slice(2, 43), pool.slice(2, 44))).toEqual({ kind: 'ack', seq: 3 });
      expect(await hostDigest(id)).toBe(digestOf(v, pool.slice(2, 44)));
      // The other version's digest is wrong on this stream: the server asks for a resync.
      const seen = a.received.length;
      const to = pool.slice(2, 45);
      a.send({ kind: 'delta', epoch: 1, baseSeq: 3, seq: 4, added: [pool[44]!], removed: [], digestAfter: digestOf(v === 2 ? 1 : 2, to) });
      expect(await next(a, seen, 'ack')).toMatchObject({ kind: 'resync', reason: 'digest-mismatch' });
      expect(a.received.filter((m) => m.kind === 'resync')).toHaveLength(1);
    }
  });

  it('keeps an upgraded agent’s seq: its host’s v1 digest is converted once at the hello, heartbeats and deltas go on in v2', async () => {
    const { id, stateDir } = await agent('upgraded');
    const old = await connect(stateDir, ['snapshot-chunks', 'rescan']);
    const inv = pool.slice(10, 50);
    old.a.send({ kind: 'snapshot', epoch: 1, seq: 1, chunkIndex: 0, chunkCount: 1, components: inv, digest: inventoryDigest(inv) });
    await next(old.a, 1, 'ack');
    expect(await deltaAndHeartbeat(old.a, 1, 2, inv, pool.slice(10, 51))).toEqual({ kind: 'ack', seq: 2 });
    expect(await hostDigest(id)).toBe(inventoryDigest(pool.slice(10, 51)));
    old.a.close();

    const upgraded = await connect(stateDir, ['snapshot-chunks', 'rescan', INVENTORY_DIGEST_V2]);
    expect(upgraded.welcome).toEqual({ kind: 'welcome', seq: 2, epoch: 1, snapshotNeeded: false });
    expect(await hostDigest(id)).toBe(inventoryDigestV2(pool.slice(10, 51)));
    expect(await deltaAndHeartbeat(upgraded.a, 2, 3, pool.slice(10, 51), pool.slice(11, 51))).toEqual({ kind: 'ack', seq: 3 });
    expect(await deltaAndHeartbeat(upgraded.a, 2, 4, pool.slice(11, 51), pool.slice(11, 52))).toEqual({ kind: 'ack', seq: 4 });
    expect(upgraded.a.received.filter((m) => m.kind === 'resync')).toEqual([]);
    upgraded.a.close();

    // Downgraded again: back to v1, the same way.
    const again = await connect(stateDir, []);
    expect(again.welcome).toEqual({ kind: 'welcome', seq: 4, epoch: 1, snapshotNeeded: false });
    expect(await deltaAndHeartbeat(again.a, 1, 5, pool.slice(11, 52), pool.slice(11, 53))).toEqual({ kind: 'ack', seq: 5 });
    expect(await deltaAndHeartbeat(again.a, 1, 6, pool.slice(11, 53), pool.slice(12, 53))).toEqual({ kind: 'ack', seq: 6 });
    expect(again.a.received.filter((m) => m.kind === 'resync')).toEqual([]);
    expect(await hostDigest(id)).toBe(inventoryDigest(pool.slice(12, 53)));
  });
});
