import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutorResult } from '../../src/common/executor-protocol.js';
import { copyTree } from '../../src/bench/tree-copy.js';
import { dpkgQueryInstalled, rootfsFixture, vigil } from '../helpers/cli.js';
import { REPO, tempDir } from '../helpers/fixtures.js';
import { HOST, makeKeys, signed, writeConfig } from './helpers.js';

/**
 * The executor with the real apt: a copy of a Debian 12 rootfs, a local apt
 * repository holding vigil-demo, and `vigil executor serve` running
 * `chroot <root> apt-get ...` for a signed command.
 */

const keys = makeKeys();
const tmp = tempDir('vigil-executor-apt-');
const served: ChildProcess[] = [];
afterAll(async () => {
  for (const p of served) {
    p.kill('SIGTERM');
    if (p.exitCode === null) await new Promise((res) => p.once('exit', res));
  }
  tmp.cleanup();
});

function demoDeb(version: string): string {
  const dir = path.join(tmp.dir, `build-${version}`);
  mkdirSync(path.join(dir, 'DEBIAN'), { recursive: true });
  mkdirSync(path.join(dir, 'usr/share/vigil-demo'), { recursive: true });
  writeFileSync(
    path.join(dir, 'DEBIAN/control'),
    `Package: vigil-demo\nVersion: ${version}\nArchitecture: all\nMaintainer: Vigil tests <tests@example.invalid>\nDescription: demo package for the executor tests\n`,
  );
  writeFileSync(path.join(dir, 'usr/share/vigil-demo/version'), `${version}\n`);
  const deb = path.join(tmp.dir, `vigil-demo_${version}_all.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', dir, deb], { stdio: 'ignore' });
  return deb;
}

/** A host root with its own repository of `debs`, only that repository in sources.list, and 1.0-1 installed. */
function hostRoot(name: string, rootfs: string, debs: string[], installed: string): string {
  const root = path.join(tmp.dir, name);
  copyTree(rootfs, root);
  const repo = path.join(root, 'srv/repo');
  mkdirSync(repo, { recursive: true });
  for (const d of debs) copyFileSync(d, path.join(repo, path.basename(d)));
  writeFileSync(path.join(repo, 'Packages'), execFileSync('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] }));
  writeFileSync(path.join(root, 'etc/apt/sources.list'), 'deb [trusted=yes] file:/srv/repo ./\n');
  rmSync(path.join(root, 'var/lib/apt/lists'), { recursive: true, force: true });
  mkdirSync(path.join(root, 'var/lib/apt/lists/partial'), { recursive: true });
  execFileSync('chroot', [root, 'dpkg', '-i', `/srv/repo/${path.basename(installed)}`], { stdio: 'ignore' });
  return root;
}

async function serve(name: string, root: string): Promise<string> {
  const dir = path.join(tmp.dir, `executor-${name}`);
  mkdirSync(dir, { mode: 0o700 });
  const socket = path.join(dir, 'executor.sock');
  const config = writeConfig(path.join(dir, 'executor.json'), { hostId: HOST, rootKeyId: keys.root.keyid, manager: 'apt', root, stateDir: path.join(dir, 'state'), timeoutSeconds: 300 });
  const p = spawn(process.execPath, [path.join(REPO, 'bin/vigil.js'), 'executor', 'serve', '--config', config, '--socket', socket], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, VIGIL_LOG_LEVEL: 'warn' },
  });
  served.push(p);
  for (let i = 0; i < 200 && !existsSync(socket); i++) await new Promise((res) => setTimeout(res, 50));
  expect(existsSync(socket)).toBe(true);
  return socket;
}

async function submit(socket: string, bytes: Buffer): Promise<{ code: number; result: ExecutorResult; ms: number }> {
  const file = path.join(tmp.dir, `cmd-${Date.now()}.json`);
  writeFileSync(file, bytes);
  const t0 = performance.now();
  const r = await vigil(['executor', 'submit', '--socket', socket, '--file', file], { timeoutMs: 600_000 });
  return { code: r.code, result: JSON.parse(r.stdout) as ExecutorResult, ms: performance.now() - t0 };
}

const dpkgVersion = (root: string) => dpkgQueryInstalled(path.join(root, 'var/lib/dpkg')).find((l) => l.startsWith('vigil-demo\t'))?.split('\t')[1];

// chroot and dpkg -i in the copied root need root.
describe.skipIf(process.getuid?.() !== 0)('a patch with the real apt-get in a chroot', () => {
  let fixed: string;
  let stale: string;

  beforeAll(() => {
    const rootfs = rootfsFixture();
    const v1 = demoDeb('1.0-1');
    const v2 = demoDeb('1.0-2');
    fixed = hostRoot('host-fixed', rootfs, [v1, v2], v1);
    stale = hostRoot('host-stale', rootfs, [v1], v1);
    expect(dpkgVersion(fixed)).toBe('1.0-1');
  });

  it('upgrades vigil-demo from 1.0-1 to 1.0-2 and verifies it', async () => {
    const socket = await serve('fixed', fixed);
    const { code, result, ms } = await submit(socket, signed(keys, { packages: [{ name: 'vigil-demo', version: '1.0-2' }] }));
    console.log(`executor: real apt-get update + install in a chroot took ${ms.toFixed(0)} ms`);
    expect(result).toMatchObject({ outcome: 'completed', exitCode: 0, hostId: HOST, verified: true });
    expect(code).toBe(0);
    expect(result.before).toEqual([{ name: 'vigil-demo', version: '1.0-1' }]);
    expect(result.after).toEqual([{ name: 'vigil-demo', version: '1.0-2' }]);
    expect(result.outputTail).toContain('Unpacking vigil-demo (1.0-2) over (1.0-1)');
    // What dpkg itself says, and the file the new version ships.
    expect(dpkgVersion(fixed)).toBe('1.0-2');
    expect(readFileSync(path.join(fixed, 'usr/share/vigil-demo/version'), 'utf8')).toBe('1.0-2\n');
  });

  it('reports a host whose repository has no fixed version as not verified', async () => {
    const socket = await serve('stale', stale);
    const { result } = await submit(socket, signed(keys, { packages: [{ name: 'vigil-demo', version: '1.0-2' }] }));
    expect(['completed', 'failed']).toContain(result.outcome);
    expect(result.verified).toBe(false);
    expect(result.before).toEqual([{ name: 'vigil-demo', version: '1.0-1' }]);
    expect(result.after).toEqual([{ name: 'vigil-demo', version: '1.0-1' }]);
    expect(dpkgVersion(stale)).toBe('1.0-1');
  });
});
