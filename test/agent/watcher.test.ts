import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchDatabases, type DatabaseWatch } from '../../src/agent/watcher.js';
import { COLLECTORS } from '../../src/inventory/registry.js';

/**
 * Real files and real inotify. Timers are generous and assertions are on counts and
 * order, never on milliseconds: the quiet period is far longer than the gaps in a
 * burst, and "no further call" is checked after several quiet periods.
 */
const QUIET = 800;

async function waitFor(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

describe('watchDatabases', () => {
  let root: string;
  let watch: DatabaseWatch | undefined;
  let calls: string[][];
  const file = (rel: string, text: string) => {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  };
  const start = async (quietMs = QUIET, maxWaitMs = 30_000) => {
    watch = watchDatabases({ root, collectors: COLLECTORS, quietMs, maxWaitMs, onChange: (names) => void calls.push(names) });
    await watch.ready;
  };
  /** Long enough that a second, wrongly split call would have fired. */
  const settle = () => sleep(QUIET * 3);

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'vigil-watch-'));
    calls = [];
  });
  afterEach(async () => {
    await watch?.close();
    watch = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  it('reports a burst of dpkg status rewrites once, after it goes quiet', async () => {
    file('var/lib/dpkg/status', 'Package: a\n');
    await start();
    for (let i = 0; i < 20; i++) {
      file('var/lib/dpkg/status', `Package: a\nVersion: ${i}\n`);
      await sleep(25);
    }
    await waitFor(() => calls.length > 0);
    await settle();
    expect(calls).toEqual([['dpkg']]);
  });

  it('sees dpkg replacing its status file by rename but not its scratch files alone', async () => {
    file('var/lib/dpkg/status', 'Package: a\n');
    await start();
    file('var/lib/dpkg/status-new', 'Package: a\nPackage: b\n');
    file('var/lib/dpkg/lock-frontend', '');
    file('var/lib/dpkg/lock', '');
    await settle();
    expect(calls).toEqual([]);
    renameSync(path.join(root, 'var/lib/dpkg/status-new'), path.join(root, 'var/lib/dpkg/status'));
    await waitFor(() => calls.length > 0);
    await settle();
    expect(calls).toEqual([['dpkg']]);
  });

  it('watches status.d as a directory', async () => {
    mkdirSync(path.join(root, 'var/lib/dpkg/status.d'), { recursive: true });
    await start();
    file('var/lib/dpkg/status.d/base-files', 'Package: base-files\n');
    file('var/lib/dpkg/status.d/tzdata.dpkg-new', 'Package: tzdata\n');
    await waitFor(() => calls.length > 0);
    await settle();
    expect(calls).toEqual([['dpkg']]);
  });

  it('maps rpm sqlite and apk database writes to their collectors', async () => {
    file('var/lib/rpm/rpmdb.sqlite', 'v1');
    file('lib/apk/db/installed', 'P:musl\n');
    await start();
    file('var/lib/rpm/rpmdb.sqlite', 'v2');
    await waitFor(() => calls.length > 0);
    file('lib/apk/db/installed', 'P:musl\nP:busybox\n');
    await waitFor(() => calls.length > 1);
    file('lib/apk/db/installed', 'P:musl\n');
    file('var/lib/rpm/rpmdb.sqlite', 'v3');
    await waitFor(() => calls.length > 2);
    await settle();
    // One burst touching both reports them together, in registry order.
    expect(calls).toEqual([['rpm-sqlite'], ['apk'], ['apk', 'rpm-sqlite']]);
  });

  it('sees a database created after the watch started', async () => {
    await start();
    file('var/lib/rpm/rpmdb.sqlite', 'new');
    await waitFor(() => calls.length > 0);
    await settle();
    expect(calls).toEqual([['rpm-sqlite']]);
  });

  it('fires at the maximum wait during a burst that never goes quiet', async () => {
    file('var/lib/dpkg/status', 'Package: a\n');
    await start(QUIET, 2 * QUIET);
    let writing = true;
    let firedWhileWriting = 0;
    const burst = (async () => {
      for (let i = 0; writing; i++) {
        file('var/lib/dpkg/status', `Package: a\nVersion: ${i}\n`);
        if (calls.length > 0 && firedWhileWriting === 0) firedWhileWriting = calls.length;
        await sleep(50);
      }
    })();
    await waitFor(() => calls.length > 0);
    await sleep(200);
    writing = false;
    await burst;
    await waitFor(() => calls.length > 1);
    await settle();
    expect(firedWhileWriting).toBeGreaterThan(0);
    expect(calls.every((c) => c.length === 1 && c[0] === 'dpkg')).toBe(true);
  });

  it('stops reporting once closed, even with a burst pending', async () => {
    file('var/lib/dpkg/status', 'Package: a\n');
    await start();
    file('var/lib/dpkg/status', 'Package: b\n');
    await sleep(100);
    await watch!.close();
    file('var/lib/dpkg/status', 'Package: c\n');
    await settle();
    expect(calls).toEqual([]);
  });
});
