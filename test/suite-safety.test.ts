import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VigilError } from '../src/common/errors.js';
import { copyTree, mountsUnder, removeTree } from '../src/bench/tree-copy.js';
import { REPO, tempDir } from './helpers/fixtures.js';

/**
 * The test suite must not harm its machine: trees with live mounts inside are never
 * copied or deleted through, the cached rootfs is built once under a lock and
 * published atomically, and stale mounts in the cache are cleared before a run.
 */

const isRoot = process.getuid?.() === 0;
const SCRIPT = path.join(REPO, 'scripts/fixtures/debootstrap-rootfs.sh');
const tmp = tempDir('vigil-suite-safety-');
afterAll(tmp.cleanup);

let n = 0;
function fresh(name: string): string {
  const dir = path.join(tmp.dir, `${name}-${++n}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function tmpfs(at: string): void {
  mkdirSync(at, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', at]);
}

describe('mountsUnder', () => {
  it('lists mount points strictly inside a directory, deepest first, with mountinfo escapes decoded', () => {
    const info = [
      '22 1 0:21 / /proc rw,nosuid - proc proc rw',
      '30 22 0:30 / /srv/tree rw - tmpfs tmpfs rw',
      '31 30 0:31 / /srv/tree/a\\040b rw - tmpfs tmpfs rw',
      '32 31 0:32 / /srv/tree/a\\040b/proc rw - proc proc rw',
      '33 1 0:33 / /srv/tree-other rw - tmpfs tmpfs rw',
      '',
    ].join('\n');
    expect(mountsUnder('/srv/tree', info)).toEqual(['/srv/tree/a b/proc', '/srv/tree/a b']);
    expect(mountsUnder('/srv/tree/', info)).toEqual(['/srv/tree/a b/proc', '/srv/tree/a b']);
    expect(mountsUnder('/srv/nothing', info)).toEqual([]);
  });
});

describe.skipIf(!isRoot)('copies and removals of trees with mounts inside', () => {
  it('refuses to copy a tree with a file system mounted inside it, naming the mount', () => {
    const src = fresh('src');
    writeFileSync(path.join(src, 'file'), 'x');
    tmpfs(path.join(src, 'proc'));
    writeFileSync(path.join(src, 'proc/huge'), 'live data');
    const dest = path.join(tmp.dir, `dest-${n}`);
    try {
      let err: unknown;
      try {
        copyTree(src, dest);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(VigilError);
      expect((err as VigilError).code).toBe('CONFLICT');
      expect((err as VigilError).message).toContain(path.join(src, 'proc'));
      expect(existsSync(dest)).toBe(false);
    } finally {
      execFileSync('umount', [path.join(src, 'proc')]);
    }
  });

  it('copies a tree as cp -a does: modes, owners, symlinks and special files kept', () => {
    const src = fresh('plain');
    writeFileSync(path.join(src, 'setuid'), 'x');
    chmodSync(path.join(src, 'setuid'), 0o4755);
    execFileSync('chown', ['12345:54321', path.join(src, 'setuid')]);
    execFileSync('ln', ['-s', '/etc/passwd', path.join(src, 'link')]);
    execFileSync('mkfifo', [path.join(src, 'fifo')]);
    const dest = path.join(tmp.dir, `plain-copy-${n}`);
    copyTree(src, dest);
    const stat = (f: string) => execFileSync('stat', ['-c', '%A %u %g %F', f], { encoding: 'utf8' }).trim();
    for (const f of ['setuid', 'link', 'fifo']) expect(stat(path.join(dest, f))).toBe(stat(path.join(src, f)));
    expect(() => copyTree(src, dest)).toThrow(/destination already exists/);
  });

  it('removes a tree after unmounting what is mounted inside it, leaving the mounted files alone', () => {
    const outside = fresh('outside');
    writeFileSync(path.join(outside, 'precious'), 'keep me');
    const tree = fresh('tree');
    mkdirSync(path.join(tree, 'mnt'));
    execFileSync('mount', ['--bind', outside, path.join(tree, 'mnt')]);
    removeTree(tree);
    expect(existsSync(tree)).toBe(false);
    expect(mountsUnder(tmp.dir)).toEqual([]);
    expect(readFileSync(path.join(outside, 'precious'), 'utf8')).toBe('keep me');
  });

  it('the tests’ temporary directories are removed the same way', () => {
    const outside = fresh('outside');
    writeFileSync(path.join(outside, 'precious'), 'keep me');
    const t = tempDir('vigil-suite-safety-inner-');
    mkdirSync(path.join(t.dir, 'mnt'));
    execFileSync('mount', ['--bind', outside, path.join(t.dir, 'mnt')]);
    t.cleanup();
    expect(existsSync(t.dir)).toBe(false);
    expect(readFileSync(path.join(outside, 'precious'), 'utf8')).toBe('keep me');
  });
});

/**
 * The fixture script with debootstrap replaced by a program that takes a while, counts
 * its runs and, when asked, leaves a file system mounted inside the tree as a killed
 * second stage does; locking, publishing and the mount checks are the script's own,
 * with real flock and real mounts.
 */
describe.skipIf(!isRoot)('the cached rootfs fixture script', () => {
  function fakeDebootstrap(opts: { leaveMount?: boolean } = {}): { cache: string; env: NodeJS.ProcessEnv; runs: () => number } {
    const base = fresh('fixture');
    const cache = path.join(base, 'cache');
    const bin = path.join(base, 'bin');
    const count = path.join(base, 'runs');
    mkdirSync(bin);
    writeFileSync(count, '');
    // debootstrap --variant=V SUITE TARGET MIRROR
    writeFileSync(
      path.join(bin, 'debootstrap'),
      [
        '#!/bin/sh',
        'set -e',
        `echo run >> '${count}'`,
        'sleep 1',
        'mkdir -p "$3/etc" "$3/var/lib/dpkg"',
        'echo "ID=debian" > "$3/etc/os-release"',
        opts.leaveMount ? 'mkdir -p "$3/proc" && mount -t tmpfs -o size=1m tmpfs "$3/proc" && echo live > "$3/proc/pagemap"' : 'true',
        '',
      ].join('\n'),
    );
    chmodSync(path.join(bin, 'debootstrap'), 0o755);
    return { cache, env: { ...process.env, VIGIL_CACHE_DIR: cache, PATH: `${bin}:${process.env.PATH}` }, runs: () => readFileSync(count, 'utf8').split('\n').filter(Boolean).length };
  }

  function run(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const p = spawn('bash', [SCRIPT, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      p.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr }));
    });
  }

  it('two builders at once run debootstrap once; the second waits and prints the finished tree', async () => {
    const f = fakeDebootstrap();
    const [a, b] = await Promise.all([run(f.env, 'bookworm', 'minbase'), run(f.env, 'bookworm', 'minbase')]);
    const dest = path.join(f.cache, 'rootfs/bookworm-minbase');
    expect(a, a.stderr).toMatchObject({ code: 0, stdout: dest });
    expect(b, b.stderr).toMatchObject({ code: 0, stdout: dest });
    expect(f.runs()).toBe(1);
    expect(readFileSync(path.join(dest, 'etc/os-release'), 'utf8')).toBe('ID=debian\n');
    expect(existsSync(path.join(dest, '.vigil-complete'))).toBe(true);
    // Nothing half-built is left beside it.
    expect(execFileSync('ls', ['-A', path.join(f.cache, 'rootfs')], { encoding: 'utf8' }).trim()).toBe('bookworm-minbase');
  });

  it('never publishes a tree with a file system mounted inside it', async () => {
    const f = fakeDebootstrap({ leaveMount: true });
    const r = await run(f.env, 'bookworm', 'minbase');
    const dest = path.join(f.cache, 'rootfs/bookworm-minbase');
    expect(r.code, r.stderr).toBe(0);
    expect(mountsUnder(f.cache)).toEqual([]);
    expect(existsSync(path.join(dest, 'proc/pagemap'))).toBe(false);
    expect(existsSync(path.join(dest, '.vigil-complete'))).toBe(true);
  });

  it('unmounts a stale mount a killed run left in the cached tree before handing the tree out', async () => {
    const f = fakeDebootstrap();
    expect((await run(f.env, 'bookworm', 'minbase')).code).toBe(0);
    const dest = path.join(f.cache, 'rootfs/bookworm-minbase');
    tmpfs(path.join(dest, 'proc'));
    const r = await run(f.env, 'bookworm', 'minbase');
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: dest });
    expect(r.stderr).toContain(`unmounting stale ${path.join(dest, 'proc')}`);
    expect(mountsUnder(f.cache)).toEqual([]);
    expect(f.runs()).toBe(1);
  });

  it('the check at the start of the suite unmounts stale mounts anywhere in the cache', async () => {
    const f = fakeDebootstrap();
    tmpfs(path.join(f.cache, 'rootfs/.build-bookworm-minbase.XXXXXX/root/proc'));
    tmpfs(path.join(f.cache, 'rootfs/.build-bookworm-minbase.XXXXXX/root/sys'));
    const r = await run(f.env, '--clear-stale');
    expect(r.code, r.stderr).toBe(0);
    expect(mountsUnder(f.cache)).toEqual([]);
    expect(f.runs()).toBe(0);
  });

  it('without root, the check refuses to start and names the stale mount', async () => {
    const f = fakeDebootstrap();
    const stale = path.join(f.cache, 'rootfs/bookworm-minbase/proc');
    tmpfs(stale);
    try {
      for (let d = f.cache; d !== path.dirname(tmp.dir); d = path.dirname(d)) chmodSync(d, 0o755);
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const p = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', SCRIPT, '--clear-stale'], { env: f.env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
        p.on('close', (code) => resolve({ code, stderr }));
      });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`stale mounts inside ${f.cache}`);
      expect(r.stderr).toContain(stale);
    } finally {
      execFileSync('umount', [stale]);
    }
  });

  it('a tree left without its completion mark is moved aside and replaced, not used', async () => {
    const f = fakeDebootstrap();
    const dest = path.join(f.cache, 'rootfs/bookworm-minbase');
    mkdirSync(path.join(dest, 'etc'), { recursive: true });
    writeFileSync(path.join(dest, 'etc/half-built'), '');
    const r = await run(f.env, 'bookworm', 'minbase');
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: dest });
    expect(existsSync(path.join(dest, 'etc/half-built'))).toBe(false);
    expect(existsSync(path.join(dest, '.vigil-complete'))).toBe(true);
    expect(execFileSync('ls', ['-A', path.join(f.cache, 'rootfs')], { encoding: 'utf8' }).trim()).toBe('bookworm-minbase');
  });
});
