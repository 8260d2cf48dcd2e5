import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInRoot, resolveInRoot } from '../../src/inventory/rootfs.js';
import { walk } from '../../src/inventory/walk.js';
import { tempDir } from '../helpers/fixtures.js';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

function tree(): string {
  const { dir, cleanup } = tempDir('vigil-walk-');
  cleanups.push(cleanup);
  const mk = (rel: string, content = 'x') => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  };
  mk('app/a/package.json', '{}');
  mk('app/b/c/d/e/deep.txt');
  mk('etc/secret', 'inside');
  symlinkSync('/etc', path.join(dir, 'app/abs-etc')); // absolute: must resolve inside the root
  symlinkSync('..', path.join(dir, 'app/a/loop')); // a loop back to app/
  symlinkSync('/nonexistent', path.join(dir, 'app/dangling'));
  execFileSync('mkfifo', [path.join(dir, 'app/fifo')]);
  return dir;
}

describe('the walk engine', () => {
  it('visits regular files, follows in-root symlinks once and skips loops, dangling links and FIFOs', async () => {
    const root = tree();
    const seen: string[] = [];
    const res = await walk({ root, starts: ['/app'] }, (rel) => seen.push(rel));
    expect(seen.sort()).toEqual(['/app/a/package.json', '/app/abs-etc/secret', '/app/b/c/d/e/deep.txt']);
    expect(res.problems).toEqual([]);
  });

  it('stops at the depth bound and says so', async () => {
    const root = tree();
    const seen: string[] = [];
    const res = await walk({ root, starts: ['/app'], maxDepth: 2 }, (rel) => seen.push(rel));
    expect(seen).not.toContain('/app/b/c/d/e/deep.txt');
    expect(res.problems.some((p) => p.code === 'skipped' && p.path === '/app/b/c/d')).toBe(true);
  });

  it('stops at the entry bound and says so', async () => {
    const root = tree();
    const res = await walk({ root, starts: ['/'], maxEntries: 3 }, () => {});
    expect(res.problems.at(-1)?.message).toMatch(/more than 3 entries/);
  });

  it('never enters skipped pseudo filesystems', async () => {
    const root = tree();
    const seen: string[] = [];
    await walk({ root, starts: ['/'], skipPaths: new Set(['/etc']) }, (rel) => seen.push(rel));
    expect(seen.some((p) => p.startsWith('/etc/'))).toBe(false);
  });
});

describe('root-confined file access', () => {
  it('resolves absolute and climbing symlinks inside the root', async () => {
    const root = tree();
    symlinkSync('../../../../../../etc/secret', path.join(root, 'app/climb'));
    expect(await resolveInRoot(root, '/app/abs-etc/secret')).toBe('/etc/secret');
    expect((await readInRoot(root, '/app/climb'))?.toString()).toBe('inside');
  });

  it('refuses FIFOs instead of blocking on them', async () => {
    const root = tree();
    await expect(readInRoot(root, '/app/fifo')).rejects.toThrow(/not a regular file/);
  });

  it('refuses files over the size cap', async () => {
    const root = tree();
    await expect(readInRoot(root, '/etc/secret', { maxBytes: 3 })).rejects.toThrow(/over the 3-byte limit/);
  });

  it('reports symlink loops as ELOOP', async () => {
    const root = tree();
    symlinkSync('/x2', path.join(root, 'x1'));
    symlinkSync('/x1', path.join(root, 'x2'));
    await expect(resolveInRoot(root, '/x1/file')).rejects.toThrow(/too many levels/);
  });
});
