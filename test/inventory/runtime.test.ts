import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Component, ListeningPort, Problem } from '../../src/common/model.js';
import { canonicalOwners } from '../../src/inventory/owners.js';
import { markInUse, parseMapsPaths } from '../../src/inventory/runtime.js';
import { FIXTURES, REPO, makeRoot, tempDir } from '../helpers/fixtures.js';
import { dpkgOwnerName, hasDpkg, hostDpkgPackages } from './live-host.js';

const pkg = (name: string): Component => ({ ecosystem: 'deb', name, version: '1', purl: `pkg:deb/debian/${name}@1`, locations: [], foundBy: 't' });

describe('parseMapsPaths', () => {
  it('lists each file-backed path of a real python3 maps file once', () => {
    const text = readFileSync(path.join(FIXTURES, 'proc/maps-python3.11-http-server'), 'utf8');
    // Reference: the sixth column wherever it is an absolute path.
    const expected = new Set(text.split('\n').map((l) => l.trim().split(/\s+/)[5]).filter((p): p is string => !!p?.startsWith('/')));
    const paths = parseMapsPaths(text);
    expect(new Set(paths.keys())).toEqual(expected);
    expect(paths.get('/usr/lib/x86_64-linux-gnu/libc.so.6')).toBe(false);
    expect(paths.has('/usr/bin/python3.11')).toBe(true);
    expect([...paths.keys()].some((p) => p.startsWith('['))).toBe(false);
  });

  it('strips " (deleted)", keeps spaces in paths and skips named anonymous mappings', () => {
    const text = [
      '7f0000000000-7f0000001000 r-xp 00000000 fe:00 123    /usr/lib/libold.so.1 (deleted)',
      '7f0000001000-7f0000002000 r--p 00001000 fe:00 123    /usr/lib/libold.so.1 (deleted)',
      '7f0000002000-7f0000003000 r--p 00000000 fe:00 124    /opt/My App/lib.so',
      '7f0000003000-7f0000004000 rw-p 00000000 00:00 0      [anon:jit/code]',
      '7f0000004000-7f0000005000 rw-p 00000000 00:00 0 ',
      '7f0000005000-7f0000006000 rw-s 00000000 00:01 77     /memfd:shm (deleted)',
      'truncated',
      '',
    ].join('\n');
    expect([...parseMapsPaths(text)]).toEqual([
      ['/usr/lib/libold.so.1', true],
      ['/opt/My App/lib.so', false],
      ['/memfd:shm', true],
    ]);
  });
});

describe('canonicalOwners', () => {
  const { root, cleanup } = makeRoot({ 'usr/bin/bash': '', 'usr/lib/x86_64-linux-gnu/libc.so.6': '', 'opt/real/tool': '', 'usr/sbin/x': '' });
  afterAll(cleanup);
  beforeAll(() => {
    symlinkSync('usr/bin', path.join(root, 'bin'));
    symlinkSync('/usr/lib', path.join(root, 'lib'));
    mkdirSync(path.join(root, 'opt/vendor'));
    symlinkSync('../real', path.join(root, 'opt/vendor/current'));
    symlinkSync('loop', path.join(root, 'loop'));
  });

  it('adds the real-path key of files under symlinked directories and keeps the packaged one', async () => {
    const bash = pkg('bash');
    const libc = pkg('libc6');
    const tool = pkg('tool');
    const direct = pkg('usr-bin-bash');
    const owners = new Map([
      ['/bin/bash', bash],
      ['/lib/x86_64-linux-gnu/libc.so.6', libc],
      ['/opt/vendor/current/tool', tool],
      ['/missing/dir/file', tool],
      ['/loop/file', tool],
      ['/usr/sbin/x', direct],
    ]);
    const out = await canonicalOwners(root, owners);
    expect(out.get('/usr/bin/bash')).toBe(bash);
    expect(out.get('/bin/bash')).toBe(bash);
    expect(out.get('/usr/lib/x86_64-linux-gnu/libc.so.6')).toBe(libc);
    expect(out.get('/opt/real/tool')).toBe(tool);
    expect(out.get('/missing/dir/file')).toBe(tool);
    expect(out.size).toBe(owners.size + 3);
    expect(owners.has('/usr/bin/bash')).toBe(false);
  });

  it('lets a directly listed path keep its owner when an alias resolves onto it', async () => {
    const bash = pkg('bash');
    const other = pkg('other');
    const out = await canonicalOwners(root, new Map([['/usr/bin/bash', bash], ['/bin/bash', other]]));
    expect(out.get('/usr/bin/bash')).toBe(bash);
    expect(out.get('/bin/bash')).toBe(other);
  });
});

describe('markInUse on a synthetic /proc', () => {
  const { dir, cleanup } = tempDir('vigil-proc-');
  afterAll(cleanup);
  const owned = { foo: pkg('foo'), libfoo: pkg('libfoo'), libold: pkg('libold'), unused: pkg('unused'), container: pkg('container') };
  const owners = new Map([
    ['/usr/bin/foo', owned.foo],
    ['/usr/lib/libfoo.so.1', owned.libfoo],
    ['/usr/lib/libold.so.2', owned.libold],
    ['/usr/share/unused', owned.unused],
    ['/usr/bin/in-container', owned.container],
  ]);
  const line = (p: string) => `7f0000000000-7f0000001000 r-xp 00000000 fe:00 1 ${p}`;
  const proc = (pid: number, maps: string[] | undefined, links: Record<string, string>) => {
    mkdirSync(path.join(dir, String(pid), 'ns'), { recursive: true });
    if (maps) writeFileSync(path.join(dir, String(pid), 'maps'), maps.map(line).join('\n') + '\n');
    for (const [name, target] of Object.entries(links)) symlinkSync(target, path.join(dir, String(pid), name));
  };

  beforeAll(() => {
    proc(1, [], { exe: '/sbin/init', 'ns/mnt': 'mnt:[1]' });
    proc(2, [], {}); // kernel thread: no exe link
    proc(10, ['/usr/bin/foo', '/usr/lib/libfoo.so.1', '/usr/lib/libold.so.2 (deleted)'], { exe: '/usr/bin/foo', 'ns/mnt': 'mnt:[1]' });
    proc(11, ['/usr/lib/libfoo.so.1'], { exe: '/usr/bin/foo (deleted)' });
    proc(20, undefined, { exe: '/usr/bin/foo', maps: 'maps' }); // maps cannot be read
    proc(30, ['/usr/bin/in-container'], { exe: '/usr/bin/in-container', 'ns/mnt': 'mnt:[2]' });
  });

  it('marks packages executed or mapped, with pids, stale mappings and one problem', async () => {
    const components = Object.values(owned).map((c) => ({ ...c }));
    const byName = new Map(components.map((c) => [c.name, c]));
    const r = await markInUse({ procRoot: dir, owners: new Map([...owners].map(([p, c]) => [p, byName.get(c.name)!])) });
    expect([...r.used].map((c) => c.name).sort()).toEqual(['foo', 'libfoo', 'libold']);
    expect(Object.fromEntries([...r.pids].map(([c, pids]) => [c.name, pids]))).toEqual({ foo: [10, 11], libfoo: [10, 11], libold: [10] });
    expect(Object.fromEntries([...r.stale].map(([c, pids]) => [c.name, pids]))).toEqual({ foo: [11], libold: [10] });
    expect(r.processes).toBe(3);
    expect(byName.get('foo')!.inUse).toBe(true);
    expect(byName.get('unused')!.inUse).toBeUndefined();
    expect(byName.get('container')!.inUse).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ collector: 'runtime', code: 'unreadable', path: dir });
    expect(r.problems[0]!.message).toMatch(/^1 process could not be inspected \(1 failed, first pid 20: ELOOP/);
  });
});

describe.runIf(hasDpkg && existsSync('/usr/bin/python3'))('markInUse on this machine', () => {
  let python: ChildProcess;
  beforeAll(async () => {
    python = spawn('/usr/bin/python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '0'], { cwd: '/', stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      python.stdout!.on('data', (d: Buffer) => d.toString().includes('Serving HTTP') && resolve());
      python.once('exit', (code) => reject(new Error(`python3 exited ${code}`)));
    });
  });
  afterAll(() => python.kill());

  it('finds libc, zlib, libssl and the python interpreter in use by a running python3 through usrmerge paths', async () => {
    const { owners } = await hostDpkgPackages();
    const canonical = await canonicalOwners('/', owners);
    const started = performance.now();
    const r = await markInUse({ owners: canonical });
    console.log(`markInUse: ${r.processes} processes, ${r.used.size} packages in use, ${(performance.now() - started).toFixed(1)} ms`);
    const pidsOf = (used: typeof r, name: string) => [...used.pids].find(([c]) => c.name === name)?.[1] ?? [];
    // As dpkg lists them: /lib before usrmerge, the real file name behind the soname link.
    const packaged = ['/lib/x86_64-linux-gnu/libc.so.6', '/lib/x86_64-linux-gnu/libz.so.1', '/usr/lib/x86_64-linux-gnu/libssl.so.3', '/usr/bin/python3']
      .filter((p) => existsSync(p))
      .map((p) => path.posix.join(path.posix.dirname(p), path.posix.basename(realpathSync(p))));
    let checked = 0;
    for (const file of packaged) {
      const owner = await dpkgOwnerName(file);
      if (!owner) continue;
      expect(pidsOf(r, owner), owner).toContain(python.pid);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
    const libc = await dpkgOwnerName('/lib/x86_64-linux-gnu/libc.so.6');
    if (libc) expect(pidsOf(r, libc)).toContain(process.pid);

    // Without re-keying, a usrmerged host loses zlib: dpkg lists /lib, the kernel reports /usr/lib.
    const zlib = await dpkgOwnerName('/lib/x86_64-linux-gnu/libz.so.1');
    if (zlib && realpathSync('/lib') !== '/lib') {
      const raw = await markInUse({ owners });
      expect(pidsOf(raw, zlib)).not.toContain(python.pid);
    }
  });
});

const run = promisify(execFile);

/**
 * An unprivileged agent: transpile the modules under test to plain JS (Node 20
 * cannot run TypeScript) and run them as `nobody`, which may not look into
 * this root-owned process or its sockets.
 */
describe.runIf(process.geteuid?.() === 0)('as an unprivileged user', () => {
  const { dir, cleanup } = tempDir('vigil-unpriv-');
  let server: net.Server;
  let port = 0;
  afterAll(() => {
    server?.close();
    cleanup();
  });

  beforeAll(async () => {
    const modules = ['src/common/errors.ts', 'src/inventory/problems.ts', 'src/inventory/rootfs.ts', 'src/inventory/ports.parse.ts', 'src/inventory/ports.ts', 'src/inventory/runtime.ts'];
    for (const m of modules) {
      const { outputText } = ts.transpileModule(readFileSync(path.join(REPO, m), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      mkdirSync(path.dirname(path.join(dir, m)), { recursive: true });
      writeFileSync(path.join(dir, m.replace(/\.ts$/, '.js')), outputText);
    }
    writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(
      path.join(dir, 'probe.js'),
      `import { listeningPorts } from './src/inventory/ports.js';
import { markInUse } from './src/inventory/runtime.js';
const ports = await listeningPorts();
const runtime = await markInUse({ owners: new Map() });
process.stdout.write(JSON.stringify({ ports, runtime: { processes: runtime.processes, problems: runtime.problems } }));`,
    );
    chmodSync(dir, 0o755);
    server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  it('reports sockets of other users’ processes without a pid and says so once', async () => {
    const { stdout } = await run(process.execPath, [path.join(dir, 'probe.js')], { uid: 65534, gid: 65534, cwd: '/' });
    const out = JSON.parse(stdout) as { ports: { ports: ListeningPort[]; problems: Problem[] }; runtime: { processes: number; problems: Problem[] } };
    const mine = out.ports.ports.find((p) => p.protocol === 'tcp' && p.port === port);
    expect(mine).toMatchObject({ address: '127.0.0.1', exposure: 'loopback', inode: expect.any(Number) });
    expect(mine!.pid).toBeUndefined();
    expect(out.ports.problems).toHaveLength(1);
    expect(out.ports.problems[0]).toMatchObject({ collector: 'ports', code: 'unreadable', path: '/proc' });
    expect(out.ports.problems[0]!.message).toMatch(/^\d+ process(es)? could not be inspected \(\d+ permission denied.*: \d+ listening sockets? ha(s|ve) no known process$/);
    // The probe itself is inspectable; what root runs is not.
    expect(out.runtime.processes).toBeGreaterThanOrEqual(1);
    expect(out.runtime.problems).toHaveLength(1);
    expect(out.runtime.problems[0]!.message).toMatch(/permission denied/);
    // Kernel threads refuse nobody too, but are not worth reporting.
    const userland = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          return (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[6]) & 0x00200000) === 0;
        } catch {
          return false;
        }
      }).length;
    const reported = Number(/^(\d+) process/.exec(out.runtime.problems[0]!.message)![1]);
    expect(reported).toBeLessThanOrEqual(userland);
  });
});
