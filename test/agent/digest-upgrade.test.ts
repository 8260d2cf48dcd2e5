import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Delta } from '../../src/agent/delta.js';
import { applyDelta, diffInventories, inventoryDigest, inventoryMap } from '../../src/agent/inventory-state.js';
import { LocalInventory } from '../../src/agent/local-state.js';
import { encodeRecord } from '../../src/agent/outbox.js';
import { DigestState, inventoryDigestV2 } from '../../src/common/inventory-lthash.js';
import type { Component, ListeningPort } from '../../src/common/model.js';
import { silentLog, tempDir } from '../helpers/fixtures.js';
import { fixtureComponents } from './fixture-components.js';

/**
 * An agent upgraded from v1 digests: its state directory, as the v1 agent wrote it
 * (outbox/state.json, outbox/deltas.log, inventory.json, every digest v1 and no
 * version beside any), opens in the same epoch and seq with its digests recomputed as
 * v2, rather than taken for a corrupt state that needs a new epoch.
 */

const EPOCH = 1_700_000_000_000;
const SSH: ListeningPort = { protocol: 'tcp', address: '0.0.0.0', port: 22, exposure: 'any', inode: 1001 };
let pool: Component[];
const dirs: Array<{ cleanup: () => void }> = [];
beforeAll(async () => {
  pool = [...inventoryMap(await fixtureComponents()).values()].slice(0, 120);
});
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

/** The inventories at seq 1, 2, 3 of the v1 agent. */
const inventories = (): Component[][] => [pool.slice(0, 100), pool.slice(5, 105), pool.slice(5, 110)];

/** A v1 delta record, as the v1 outbox appended it: no digestVersion, digestAfter v1. */
function v1Delta(seq: number, from: Component[], to: Component[]): Delta {
  return { agentId: 'a-1', epoch: EPOCH, baseSeq: seq - 1, seq, ...diffInventories(from, to), ports: [SSH], digestAfter: inventoryDigest(to) };
}

/** Writes a state directory as the v1 agent left it: acknowledged up to `acked`, the deltas after it pending, inventory.json at `fileSeq`. */
function writeV1(dir: string, acked: number, fileSeq: number): void {
  const inv = inventories();
  mkdirSync(path.join(dir, 'outbox'), { recursive: true });
  writeFileSync(path.join(dir, 'outbox', 'state.json'), JSON.stringify({ format: 1, epoch: EPOCH, ackedSeq: acked, ackedDigest: inventoryDigest(inv[acked - 1]!) }));
  const records = [1, 2, 3].filter((s) => s > acked).map((s) => v1Delta(s, s === 1 ? [] : inv[s - 2]!, inv[s - 1]!));
  writeFileSync(path.join(dir, 'outbox', 'deltas.log'), Buffer.concat(records.map(encodeRecord)));
  const file = inv[fileSeq - 1]!;
  writeFileSync(path.join(dir, 'inventory.json'), JSON.stringify({ epoch: EPOCH, seq: fileSeq, digest: inventoryDigest(file), components: file, ports: [SSH] }));
}

async function opened(dir: string): Promise<{ local: LocalInventory; newEpochs: number }> {
  let newEpochs = 0;
  const local = new LocalInventory(dir, silentLog, () => newEpochs++);
  await local.open();
  return { local, newEpochs };
}

function stateDir(): string {
  const t = tempDir('vigil-digest-upgrade-');
  dirs.push(t);
  return t.dir;
}

describe('an agent upgraded from v1 digests', () => {
  it('keeps its epoch and seq when everything was acknowledged: the acknowledged digest and inventory.json become v2, once', async () => {
    const dir = stateDir();
    writeV1(dir, 3, 3);
    const inv = inventories()[2]!;
    const { local, newEpochs } = await opened(dir);
    expect(newEpochs).toBe(0);
    expect(local.head).toMatchObject({ epoch: EPOCH, seq: 3, digest: inventoryDigestV2(inv), digestVersion: 2, count: inv.length });
    expect(local.outbox.ackedSeq).toBe(3);
    expect(local.outbox.ackedDigest).toBe(inventoryDigestV2(inv));
    expect(JSON.parse(readFileSync(path.join(dir, 'outbox', 'state.json'), 'utf8'))).toMatchObject({ ackedDigestVersion: 2 });
    const file = JSON.parse(readFileSync(path.join(dir, 'inventory.json'), 'utf8')) as { digest: string; digestVersion: number; digestState: string };
    expect(file).toMatchObject({ digest: inventoryDigestV2(inv), digestVersion: 2 });
    expect(DigestState.fromBuffer(Buffer.from(file.digestState, 'base64')).equals(DigestState.of(inv))).toBe(true);
    // The next change is a v2 delta from the upgraded state.
    const next = pool.slice(5, 111);
    expect(await local.commit({ components: inventoryMap(next), ports: [SSH] }, 'a-1')).toEqual({ seq: 4, appended: true });
    expect(local.outbox.pending()).toMatchObject([{ seq: 4, baseSeq: 3, digestAfter: inventoryDigestV2(next), digestVersion: 2 }]);
    local.close();
    // Opened again, nothing is left to upgrade and nothing changes.
    const before = readFileSync(path.join(dir, 'inventory.json'), 'utf8');
    const again = await opened(dir);
    expect(again.newEpochs).toBe(0);
    expect(again.local.head).toMatchObject({ epoch: EPOCH, seq: 4, digest: inventoryDigestV2(next) });
    expect(readFileSync(path.join(dir, 'inventory.json'), 'utf8')).toBe(before);
    again.local.close();
  });

  it('sends pending v1 deltas as one delta carrying the v2 digest of the latest inventory', async () => {
    const dir = stateDir();
    writeV1(dir, 1, 3);
    const inv = inventories();
    const { local, newEpochs } = await opened(dir);
    expect(newEpochs).toBe(0);
    expect(local.head).toMatchObject({ epoch: EPOCH, seq: 3, digest: inventoryDigestV2(inv[2]!) });
    const pending = local.outbox.pending();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ epoch: EPOCH, baseSeq: 1, seq: 3, digestAfter: inventoryDigestV2(inv[2]!), digestVersion: 2 });
    // Applied to what the server holds at seq 1, it gives the inventory at seq 3.
    const applied = applyDelta(inventoryMap(inv[0]!), pending[0]!);
    expect(inventoryDigestV2(applied)).toBe(pending[0]!.digestAfter);
    local.close();
  });

  it('replays a pending v1 delta onto an inventory.json left one step behind by a crash, then upgrades', async () => {
    const dir = stateDir();
    writeV1(dir, 1, 2);
    const inv = inventories();
    const { local, newEpochs } = await opened(dir);
    expect(newEpochs).toBe(0);
    expect(local.head).toMatchObject({ epoch: EPOCH, seq: 3, digest: inventoryDigestV2(inv[2]!), count: inv[2]!.length });
    expect(local.outbox.pending()).toMatchObject([{ baseSeq: 1, seq: 3, digestAfter: inventoryDigestV2(inv[2]!) }]);
    expect((await local.components()).length).toBe(inv[2]!.length);
    local.close();
  });

  it('still starts a new epoch when the v1 files really disagree', async () => {
    const dir = stateDir();
    writeV1(dir, 3, 3);
    // inventory.json holds another inventory (its own v1 digest) than the one the server acknowledged.
    const file = JSON.parse(readFileSync(path.join(dir, 'inventory.json'), 'utf8')) as { components: Component[]; digest: string };
    file.components = file.components.slice(1);
    file.digest = inventoryDigest(file.components);
    writeFileSync(path.join(dir, 'inventory.json'), JSON.stringify(file));
    const { local } = await opened(dir);
    expect(local.head.epoch).toBeGreaterThan(EPOCH);
    expect(local.head).toMatchObject({ seq: 0, digest: inventoryDigestV2([]), digestVersion: 2 });
    local.close();
  });
});
