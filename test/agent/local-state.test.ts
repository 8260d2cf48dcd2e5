import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ListeningPort } from '../../src/common/model.js';
import { componentKey, inventoryMap } from '../../src/agent/inventory-state.js';
import { LocalInventory } from '../../src/agent/local-state.js';
import type { Component } from '../../src/common/model.js';
import { silentLog, tempDir } from '../helpers/fixtures.js';
import { fixtureComponents } from './fixture-components.js';

/**
 * The agent's local state across restarts: component changes rewrite inventory.json,
 * host-state changes (sockets, components in use) only append to the outbox, and a
 * restart after either continues the same epoch from the right state.
 */

let components: Component[];
beforeAll(async () => {
  components = (await fixtureComponents()).slice(0, 200);
});
const dirs: Array<{ cleanup: () => void }> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

const SSH: ListeningPort = { protocol: 'tcp', address: '0.0.0.0', port: 22, exposure: 'any', inode: 1001 };
const WEB: ListeningPort = { protocol: 'tcp6', address: '::', port: 443, exposure: 'any', inode: 1002 };

async function opened(dir: string): Promise<{ local: LocalInventory; newEpochs: number[] }> {
  const newEpochs: number[] = [];
  const local = new LocalInventory(dir, silentLog, () => newEpochs.push(Date.now()));
  await local.open();
  return { local, newEpochs };
}

describe('the local state', () => {
  it('commits host state without rewriting inventory.json, and a restart continues from it', async () => {
    const t = tempDir('vigil-local-state-');
    dirs.push(t);
    const { local } = await opened(t.dir);
    const used = [componentKey(components[3]!)];
    expect((await local.commit({ components: inventoryMap(components), ports: [SSH], inUse: used }, 'a-1')).appended).toBe(true);
    const file = path.join(t.dir, 'inventory.json');
    const written = readFileSync(file, 'utf8');
    const epoch = local.head.epoch;
    const digest = local.head.digest;

    // A socket opens and another component is in use: one delta, inventory.json as it was.
    const used2 = [...used, componentKey(components[7]!)].sort();
    const r = await local.commitHostState({ ports: [SSH, WEB], inUse: used2 }, 'a-1');
    expect(r).toEqual({ seq: 2, appended: true });
    const [delta] = local.outbox.pending(1);
    expect(delta).toMatchObject({ seq: 2, baseSeq: 1, added: [], removed: [], ports: [SSH, WEB], inUse: used2, digestAfter: digest });
    expect(readFileSync(file, 'utf8')).toBe(written);
    // The same state again is no delta.
    expect(await local.commitHostState({ ports: [WEB, SSH], inUse: used2 }, 'a-1')).toEqual({ seq: 2, appended: false });
    // The components are those of the state.
    expect((await local.components()).length).toBe(local.head.count);
    local.close();

    // A restart: same epoch, the seq and host state of the last delta, the same components.
    const again = await opened(t.dir);
    expect(again.newEpochs).toEqual([]);
    expect(again.local.head).toMatchObject({ epoch, seq: 2, digest, ports: [SSH, WEB], inUse: used2, count: inventoryMap(components).size });
    // A component change then writes the file at the new seq.
    const fewer = components.slice(1);
    const c = await again.local.commit({ components: inventoryMap(fewer), ports: [SSH, WEB] }, 'a-1');
    expect(c).toEqual({ seq: 3, appended: true });
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { seq: number; inUse: string[] };
    expect(saved.seq).toBe(3);
    // Components in use that are still installed stay in use until the processes are read again.
    expect(saved.inUse).toEqual(used2.filter((k) => k !== componentKey(components[0]!)));
    again.local.close();
  });

  it('continues the epoch after host-state deltas were acknowledged and dropped from the outbox', async () => {
    const t = tempDir('vigil-local-state-');
    dirs.push(t);
    const { local } = await opened(t.dir);
    await local.commit({ components: inventoryMap(components), ports: [SSH] }, 'a-1');
    await local.commitHostState({ ports: [SSH, WEB] }, 'a-1');
    await local.commitHostState({ ports: [WEB] }, 'a-1');
    await local.outbox.ack(3);
    local.close();
    const again = await opened(t.dir);
    expect(again.newEpochs).toEqual([]);
    // The sockets of acknowledged deltas are gone with them: the next collection reads them anew.
    expect(again.local.head).toMatchObject({ seq: 3, digest: local.head.digest });
    expect((await again.local.components()).length).toBe(inventoryMap(components).size);
    again.local.close();
  });
});
