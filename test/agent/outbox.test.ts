import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Component } from '../../src/common/model.js';
import type { Delta } from '../../src/agent/delta.js';
import { applyDelta, diffInventories, inventoryDigest, inventoryMap, type InventoryMap } from '../../src/agent/inventory-state.js';
import { inventoryDigestV2 } from '../../src/common/inventory-lthash.js';
import { LOG_FILE, Outbox, OutboxCorruptError, STATE_FILE, encodeRecord, type OutboxIo } from '../../src/agent/outbox.js';
import { silentLog, tempDir } from '../helpers/fixtures.js';
import { fixtureComponents, randomInventory, rng } from './fixture-components.js';

let pool: Component[];
beforeAll(async () => {
  pool = await fixtureComponents();
});

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = tempDir('vigil-outbox-');
  cleanups.push(t.cleanup);
  return t.dir;
}

const opts = { log: silentLog };

/** A chain of `n` deltas over random real inventories, starting from `inv0`. */
function chain(n: number, seed: number, epoch = 1, inv0: Component[] = [], src?: Component[]): { deltas: Delta[]; inventories: Component[][] } {
  const rand = rng(seed);
  const from = src ?? pool;
  const inventories = [inv0];
  const deltas: Delta[] = [];
  for (let i = 1; i <= n; i++) {
    const next = randomInventory(from, rand);
    const d = diffInventories(inventories[i - 1]!, next);
    deltas.push({ agentId: 'host-a', epoch, baseSeq: i - 1, seq: i, ...d, ports: [], digestAfter: inventoryDigest(next) });
    inventories.push(next);
  }
  return { deltas, inventories };
}

function entries(m: InventoryMap): Array<[string, Component]> {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('the outbox keeps unacknowledged deltas across restarts', () => {
  it('lists appended deltas in order, acks them, and remembers both after reopening', async () => {
    const d = dir();
    const { deltas } = chain(5, 1);
    const box = await Outbox.open(d, opts);
    expect(box.epoch).toBe(1);
    for (const x of deltas) await box.append(x);
    expect(box.pending().map((x) => x.seq)).toEqual([1, 2, 3, 4, 5]);

    const again = await Outbox.open(d, opts);
    expect(again.pending()).toEqual(deltas);
    await again.ack(2);
    await again.ack(2);
    expect(again.pending(3).map((x) => x.seq)).toEqual([4, 5]);

    const third = await Outbox.open(d, opts);
    expect(third.ackedSeq).toBe(2);
    expect(third.ackedDigest).toBe(deltas[1]!.digestAfter);
    expect(third.pending().map((x) => x.seq)).toEqual([3, 4, 5]);
    expect(third.lastSeq).toBe(5);
    await third.ack(5);
    expect((await Outbox.open(d, opts)).pending()).toEqual([]);
    expect(statSync(path.join(d, LOG_FILE)).size).toBe(0);
  });

  it('refuses a delta that does not follow the last one, and an ack for an unknown seq', async () => {
    const box = await Outbox.open(dir(), opts);
    const { deltas } = chain(3, 2);
    await expect(box.append(deltas[1]!)).rejects.toThrow(/does not follow seq 0/);
    await box.append(deltas[0]!);
    await expect(box.append({ ...deltas[1]!, epoch: 9 })).rejects.toThrow(/epoch/);
    await expect(box.ack(7)).rejects.toThrow(/not pending/);
  });

  it('drops records already acknowledged when a crash came between the state write and the compaction', async () => {
    const d = dir();
    const box = await Outbox.open(d, opts);
    const { deltas } = chain(3, 3);
    for (const x of deltas) await box.append(x);
    const state = JSON.parse(readFileSync(path.join(d, STATE_FILE), 'utf8'));
    writeFileSync(path.join(d, STATE_FILE), JSON.stringify({ ...state, ackedSeq: 2, ackedDigest: deltas[1]!.digestAfter }));
    const reopened = await Outbox.open(d, opts);
    expect(reopened.pending().map((x) => x.seq)).toEqual([3]);
  });
});

describe('recovery from a damaged log', () => {
  it('keeps every complete record and drops the torn one, wherever an append was cut', async () => {
    const d = dir();
    const box = await Outbox.open(d, opts);
    // Small records keep a cut at every byte offset quick.
    const { deltas } = chain(3, 4, 1, [], pool.slice(0, 3));
    for (const x of deltas) await box.append(x);
    const full = readFileSync(path.join(d, LOG_FILE));
    const lastLen = encodeRecord(deltas[2]!).length;
    const start = full.length - lastLen;
    for (let cut = start; cut < full.length; cut++) {
      const c = dir();
      copyFileSync(path.join(d, STATE_FILE), path.join(c, STATE_FILE));
      writeFileSync(path.join(c, LOG_FILE), full.subarray(0, cut));
      const r = await Outbox.open(c, opts);
      expect(r.pending()).toEqual(deltas.slice(0, 2));
      // The torn bytes are gone, so the retried append lands on a clean boundary.
      if ((cut - start) % 97 === 0 || cut === full.length - 1) {
        await r.append(deltas[2]!);
        expect((await Outbox.open(c, opts)).pending()).toEqual(deltas);
      }
    }
  });

  it('drops a last record whose CRC fails, as a crash that extended the file before its data reached the disk leaves', async () => {
    const d = dir();
    const box = await Outbox.open(d, opts);
    const { deltas } = chain(2, 5);
    for (const x of deltas) await box.append(x);
    const log = readFileSync(path.join(d, LOG_FILE));
    log.fill(0, log.length - 10);
    writeFileSync(path.join(d, LOG_FILE), log);
    expect((await Outbox.open(d, opts)).pending()).toEqual(deltas.slice(0, 1));
  });

  it('refuses a corrupt record in the middle, naming the file and offset, and reset() starts a new epoch', async () => {
    const d = dir();
    const box = await Outbox.open(d, opts);
    const { deltas } = chain(3, 6);
    for (const x of deltas) await box.append(x);
    const log = readFileSync(path.join(d, LOG_FILE));
    const second = encodeRecord(deltas[0]!).length;
    log[second + 20] = log[second + 20]! ^ 0xff;
    writeFileSync(path.join(d, LOG_FILE), log);
    const file = path.join(d, LOG_FILE);
    const err = await Outbox.open(d, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboxCorruptError);
    expect((err as OutboxCorruptError).message).toBe(`outbox ${file} is corrupt at offset ${second}: record fails its CRC; the agent state must be rebuilt`);
    expect((err as OutboxCorruptError).offset).toBe(second);

    const fresh = await Outbox.reset(d, opts);
    expect(fresh.epoch).toBe(2);
    expect(fresh.pending()).toEqual([]);
    // A new epoch's empty inventory, in the digest the agent now computes (v2).
    expect(fresh.ackedDigest).toBe(inventoryDigestV2([]));
    expect(fresh.lastDigestVersion).toBe(2);
    const { deltas: rebuilt } = chain(1, 7, 2);
    await fresh.append(rebuilt[0]!);
    expect((await Outbox.open(d, opts)).pending()).toEqual(rebuilt);
  });

  it('drops records of an earlier epoch left by a crash during reset', async () => {
    const d = dir();
    const box = await Outbox.open(d, opts);
    const { deltas } = chain(2, 8);
    for (const x of deltas) await box.append(x);
    const log = readFileSync(path.join(d, LOG_FILE));
    await box.reset();
    writeFileSync(path.join(d, LOG_FILE), log);
    const r = await Outbox.open(d, opts);
    expect(r.epoch).toBe(2);
    expect(r.pending()).toEqual([]);
  });
});

describe('a week offline', () => {
  it('coalesces 50 deltas into one whose application equals the 50 applied in order', async () => {
    const d = dir();
    const rand = rng(9);
    const inv0 = randomInventory(pool, rand);
    const box = await Outbox.open(d, opts);
    // The server already holds inv0 through an acknowledged first delta.
    const first = { ...diffInventories([], inv0), agentId: 'host-a', epoch: 1, baseSeq: 0, seq: 1, ports: [], digestAfter: inventoryDigest(inv0) };
    await box.append(first);
    await box.ack(1);
    const { deltas, inventories } = chain(51, 10, 1, inv0);
    // chain() numbers from inv0; shift by one so the backlog follows the acknowledged seq 1.
    const backlog = deltas.map((x) => ({ ...x, baseSeq: x.baseSeq + 1, seq: x.seq + 1 }));
    for (const x of backlog.slice(0, 50)) await box.append(x);
    expect(await box.coalesce(100)).toBeUndefined();

    const one = (await box.coalesce(10))!;
    expect(one.baseSeq).toBe(1);
    expect(one.seq).toBe(51);
    let stepwise = inventoryMap(inv0);
    for (const x of backlog.slice(0, 50)) stepwise = applyDelta(stepwise, x);
    const together = applyDelta(inventoryMap(inv0), one);
    expect(entries(together)).toEqual(entries(stepwise));
    expect(entries(together)).toEqual(entries(inventoryMap(inventories[50]!)));
    expect(inventoryDigest(together)).toBe(one.digestAfter);

    const reopened = await Outbox.open(d, opts);
    expect(reopened.pending()).toEqual([one]);
    await reopened.append(backlog[50]!);
    await reopened.ack(51);
    expect(reopened.ackedDigest).toBe(inventoryDigest(inventories[50]!));
    expect(reopened.pending().map((x) => x.seq)).toEqual([52]);
  });
});

describe('a full disk', () => {
  const enospc = (): NodeJS.ErrnoException => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

  it('surfaces ENOSPC from a partial append and leaves nothing half-written (injected write)', async () => {
    const d = dir();
    let full = false;
    const io: OutboxIo = {
      async write(fh, data) {
        if (!full) {
          await fh.write(data, 0, data.length);
          return;
        }
        await fh.write(data, 0, Math.floor(data.length / 2));
        throw enospc();
      },
    };
    const box = await Outbox.open(d, { ...opts, io });
    const { deltas } = chain(3, 11);
    await box.append(deltas[0]!);
    const size = statSync(path.join(d, LOG_FILE)).size;
    full = true;
    await expect(box.append(deltas[1]!)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(statSync(path.join(d, LOG_FILE)).size).toBe(size);
    await expect(box.ack(1)).rejects.toMatchObject({ code: 'IO', message: expect.stringMatching(/ENOSPC/) });
    expect((await Outbox.open(d, opts)).pending()).toEqual(deltas.slice(0, 1));
    full = false;
    await box.append(deltas[1]!);
    expect((await Outbox.open(d, opts)).pending()).toEqual(deltas.slice(0, 2));
  });

  const canMount = (() => {
    if (process.getuid?.() !== 0) return false;
    const probe = tempDir('vigil-mount-probe-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.dir], { stdio: 'ignore' });
      execFileSync('umount', [probe.dir], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    } finally {
      probe.cleanup();
    }
  })();

  it.skipIf(!canMount)('surfaces ENOSPC on a really full tmpfs and recovers once space is freed', async () => {
    const mnt = dir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    try {
      const d = path.join(mnt, 'outbox');
      mkdirSync(d);
      const box = await Outbox.open(d, opts);
      const { deltas } = chain(2, 12, 1, [], pool.slice(0, 2));
      const big = (x: Delta): Delta => ({ ...x, facts: { hostname: 'h'.repeat(12_000), os: 'debian', arch: 'amd64', addresses: [] } });
      await box.append(big(deltas[0]!));
      const size = statSync(path.join(d, LOG_FILE)).size;
      const filler = path.join(mnt, 'filler');
      const chunk = Buffer.alloc(4096, 1);
      try {
        for (;;) await writeFile(filler, chunk, { flag: 'a' });
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      await expect(box.append(big(deltas[1]!))).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(statSync(path.join(d, LOG_FILE)).size).toBe(size);
      expect((await Outbox.open(d, opts)).pending()).toEqual([big(deltas[0]!)]);
      rmSync(filler);
      await box.append(big(deltas[1]!));
      expect((await Outbox.open(d, opts)).pending()).toEqual([big(deltas[0]!), big(deltas[1]!)]);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
