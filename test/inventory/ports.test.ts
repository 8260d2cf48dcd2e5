import { execFile, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Component, ListeningPort } from '../../src/common/model.js';
import { canonicalOwners } from '../../src/inventory/owners.js';
import { classifyExposure, formatIpv6, parseProcNet, type SocketProtocol } from '../../src/inventory/ports.parse.js';
import { listeningPorts } from '../../src/inventory/ports.js';
import { FIXTURES, tempDir } from '../helpers/fixtures.js';
import { dpkgOwnerName, hasDpkg, hostDpkgPackages } from './live-host.js';

const PROC_FIXTURES = path.join(FIXTURES, 'proc');
const fixture = (name: string): string => readFileSync(path.join(PROC_FIXTURES, name), 'utf8');
const listeners = (text: string, protocol: SocketProtocol) =>
  parseProcNet(text, protocol, { littleEndian: true }).sockets.map((s) => `${s.local.address} ${s.local.port} ${s.inode}`);

describe('parseProcNet on tables captured from a Debian 12 host', () => {
  it('keeps TCP listeners and drops established and time-wait sockets', () => {
    expect(listeners(fixture('tcp'), 'tcp')).toEqual(['127.0.0.1 18081 22995', '192.0.2.2 18086 23000', '0.0.0.0 18082 22996', '0.0.0.0 2024 624']);
  });

  it('decodes IPv6 words in host byte order, including IPv4-mapped addresses', () => {
    expect(listeners(fixture('tcp6'), 'tcp6')).toEqual(['::ffff:127.0.0.1 18085 22999', 'fd00::2 18087 23001', '::1 18083 22997', ':: 18084 22998']);
  });

  it('treats bound, unconnected UDP sockets as listening and skips connected ones', () => {
    expect(listeners(fixture('udp'), 'udp')).toEqual(['0.0.0.0 15353 23002', '127.0.0.1 15354 23003']);
    expect(listeners(fixture('udp6'), 'udp6')).toEqual([':: 15355 23004', '::1 15356 23005']);
  });

  it('returns every socket with its state when asked for all of them', () => {
    const all = parseProcNet(fixture('tcp'), 'tcp', { listeningOnly: false, littleEndian: true });
    expect(all.errors).toEqual([]);
    expect(all.sockets.map((s) => [s.state, s.listening, s.remote.port])).toEqual([
      [0x0a, true, 0],
      [0x0a, true, 0],
      [0x0a, true, 0],
      [0x0a, true, 0],
      [0x06, false, 50776],
      [0x01, false, 18081],
      [0x01, false, 58424],
    ]);
    expect(all.sockets[4]!.inode).toBe(0);
  });

  it('reads the same text differently on a big-endian host', () => {
    expect(listeners(fixture('tcp'), 'tcp').length).toBe(4);
    const be = parseProcNet(fixture('tcp'), 'tcp', { littleEndian: false }).sockets.map((s) => s.local.address);
    expect(be[0]).toBe('1.0.0.127');
  });
});

describe('parseProcNet on malformed input', () => {
  const good = '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0';
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
  const bad = [
    '   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000', // truncated
    'garbage line with no structure at all, none',
    '   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99999999999999999999 1', // inode overflows
    '   3: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 99999999999        0 1 1', // uid over 32 bits
    '   4: 0100007F00:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1', // address too long
    '   5: 0100007F:1F9000 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1', // port too long
    '   6: 0100007F 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1', // no port
    '   7: 0100007F:1F90 00000000:0000 ZZ 00000000:00000000 00:00000000 00000000     0        0 7 1', // bad state
    '   x: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1', // bad slot
    '   8: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 -7 1', // negative inode
  ];

  it('collects one error per bad line, with its line number, and keeps the good lines', () => {
    const text = [header, good, ...bad, good.replace('4242', '4343'), ''].join('\n');
    const r = parseProcNet(text, 'tcp', { littleEndian: true });
    expect(r.sockets.map((s) => [s.local.address, s.local.port, s.uid, s.inode])).toEqual([
      ['127.0.0.1', 8080, 1000, 4242],
      ['127.0.0.1', 8080, 1000, 4343],
    ]);
    expect(r.errors.map((e) => e.line)).toEqual(bad.map((_, i) => i + 3));
    expect(r.errors.every((e) => e.message.length > 0)).toBe(true);
  });

  it('rejects an IPv4-length address in the IPv6 table', () => {
    const r = parseProcNet(good, 'tcp6', { littleEndian: true });
    expect(r.sockets).toEqual([]);
    expect(r.errors).toHaveLength(1);
  });

  it('survives empty text, a lone header and a huge line', () => {
    expect(parseProcNet('', 'udp')).toEqual({ sockets: [], errors: [] });
    expect(parseProcNet(header + '\n', 'udp')).toEqual({ sockets: [], errors: [] });
    const huge = parseProcNet('x'.repeat(1_000_000), 'udp');
    expect(huge.errors).toHaveLength(1);
    expect(huge.errors[0]!.text.length).toBeLessThan(300);
  });
});

describe('addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.53.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.1', 'private'],
    ['169.254.169.254', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['fd00::2', 'private'],
    ['fc00::1', 'private'],
    ['fe80::1', 'private'],
    ['febf::1', 'private'],
    ['224.0.0.251', 'private'],
    ['ff02::fb', 'private'],
    ['0.0.0.0', 'any'],
    ['::', 'any'],
    ['172.32.0.1', 'any'],
    ['100.128.0.1', 'any'],
    ['192.0.2.2', 'any'],
    ['8.8.8.8', 'any'],
    ['2001:db8::1', 'any'],
    ['fec0::1', 'any'],
    ['::ffff:8.8.8.8', 'any'],
  ] as const)('%s is %s', (address, exposure) => {
    expect(classifyExposure(address)).toBe(exposure);
  });

  it('formats IPv6 as RFC 5952 text', () => {
    const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
    expect(formatIpv6(bytes('00000000000000000000000000000000'))).toBe('::');
    expect(formatIpv6(bytes('00000000000000000000000000000001'))).toBe('::1');
    expect(formatIpv6(bytes('20010db8000000000001000000000001'))).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(bytes('20010db8000100000001000100010001'))).toBe('2001:db8:1:0:1:1:1:1');
    expect(formatIpv6(bytes('fe800000000000000000000000000001'))).toBe('fe80::1');
    expect(formatIpv6(bytes('00000000000000000000ffffc0000202'))).toBe('::ffff:192.0.2.2');
  });
});

describe('listeningPorts on a synthetic /proc', () => {
  const { dir, cleanup } = tempDir('vigil-proc-');
  afterAll(cleanup);
  const sshd: Component = { ecosystem: 'deb', name: 'openssh-server', version: '1:9.2p1-2', purl: 'pkg:deb/debian/openssh-server@1:9.2p1-2', locations: [], foundBy: 't' };
  const proc = (pid: number | string, files: Record<string, string>, links: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, String(pid), name)), { recursive: true });
      writeFileSync(path.join(dir, String(pid), name), content);
    }
    for (const [name, target] of Object.entries(links)) {
      mkdirSync(path.dirname(path.join(dir, String(pid), name)), { recursive: true });
      symlinkSync(target, path.join(dir, String(pid), name));
    }
  };

  beforeAll(() => {
    mkdirSync(path.join(dir, 'net'));
    writeFileSync(path.join(dir, 'net/tcp'), fixture('tcp') + 'junk\n');
    writeFileSync(path.join(dir, 'net/tcp6'), fixture('tcp6'));
    writeFileSync(path.join(dir, 'net/udp'), fixture('udp'));
    // No udp6: a kernel without IPv6 UDP is not a problem.
    // init holds 22995 too, as with socket activation: the daemon wins.
    proc(1, { comm: 'systemd\n' }, { exe: '/usr/lib/systemd/systemd', 'fd/0': '/dev/null', 'fd/7': 'socket:[22995]', 'fd/8': 'socket:[22996]' });
    proc(300, { comm: 'sshd\n' }, { exe: '/usr/sbin/sshd (deleted)', 'fd/3': 'socket:[22995]', 'fd/4': 'pipe:[1]' });
    // A worker forked from 300 shares its socket; the master keeps it.
    proc(301, { comm: 'sshd\n' }, { exe: '/usr/sbin/sshd', 'fd/3': 'socket:[22995]', 'fd/5': 'socket:[22999]' });
    proc(400, { comm: 'kworker/0:1\n' }, {});
    // Two processes whose fd directories cannot be read.
    proc(500, { comm: 'secret\n' }, { exe: '/usr/bin/secret' });
    symlinkSync('fd', path.join(dir, '500/fd'));
    proc(501, { comm: 'secret\n' }, { exe: '/usr/bin/secret' });
    symlinkSync('fd', path.join(dir, '501/fd'));
  });

  it('joins sockets to the lowest non-init pid, its executable and package, sorted', async () => {
    const { ports, problems } = await listeningPorts({ procRoot: dir, owners: new Map([['/usr/sbin/sshd', sshd]]) });
    const keys = ports.map((p) => `${p.protocol} ${p.address}:${p.port}`);
    expect(keys).toEqual([
      'tcp 0.0.0.0:2024',
      'tcp 127.0.0.1:18081',
      'tcp 0.0.0.0:18082',
      'tcp 192.0.2.2:18086',
      'tcp6 ::1:18083',
      'tcp6 :::18084',
      'tcp6 ::ffff:127.0.0.1:18085',
      'tcp6 fd00::2:18087',
      'udp 0.0.0.0:15353',
      'udp 127.0.0.1:15354',
    ]);
    const byPort = new Map(ports.map((p) => [p.port, p]));
    expect(byPort.get(18081)).toEqual<ListeningPort>({
      protocol: 'tcp',
      address: '127.0.0.1',
      port: 18081,
      exposure: 'loopback',
      inode: 22995,
      pid: 300,
      process: 'sshd',
      executable: '/usr/sbin/sshd',
      package: sshd.purl,
    });
    expect(byPort.get(18082)).toMatchObject({ pid: 1, process: 'systemd', executable: '/usr/lib/systemd/systemd', exposure: 'any' });
    expect(byPort.get(18082)!.package).toBeUndefined();
    expect(byPort.get(18085)).toMatchObject({ pid: 301, exposure: 'loopback' });
    expect(byPort.get(18087)).toMatchObject({ exposure: 'private' });
    expect(byPort.get(18086)).toMatchObject({ exposure: 'any' });
    expect(byPort.get(2024)!.pid).toBeUndefined();

    // One problem for the malformed tcp line, one for both uninspectable processes.
    expect(problems.map((p) => [p.collector, p.code, p.path])).toEqual([
      ['ports', 'malformed-record', `${dir}/net/tcp`],
      ['ports', 'unreadable', dir],
    ]);
    expect(problems[1]!.message).toMatch(/^2 processes could not be inspected .*: \d+ listening sockets have no known process$/);
  });

  it('searches the previous holders first and stops once every socket is placed', async () => {
    const { dir: small, cleanup: done } = tempDir('vigil-proc-hint-');
    try {
      mkdirSync(path.join(small, 'net'));
      writeFileSync(path.join(small, 'net/tcp'), fixture('tcp').split('\n').slice(0, 2).join('\n'));
      for (const pid of [200, 300]) {
        mkdirSync(path.join(small, `${pid}/fd`), { recursive: true });
        symlinkSync('socket:[22995]', path.join(small, `${pid}/fd/3`));
      }
      const cold = await listeningPorts({ procRoot: small });
      expect(cold.ports.map((p) => p.pid)).toEqual([200]);
      const previous = cold.ports.map((p) => ({ ...p, pid: 300 }));
      const warm = await listeningPorts({ procRoot: small, previous });
      expect(warm.ports.map((p) => p.pid)).toEqual([300]);
    } finally {
      done();
    }
  });

  it('gives no package to a process in another mount namespace', async () => {
    const { dir: other, cleanup: done } = tempDir('vigil-proc-ns-');
    try {
      mkdirSync(path.join(other, 'net'));
      writeFileSync(path.join(other, 'net/tcp'), fixture('tcp'));
      mkdirSync(path.join(other, '1/ns'), { recursive: true });
      symlinkSync('mnt:[4026531832]', path.join(other, '1/ns/mnt'));
      mkdirSync(path.join(other, '300/fd'), { recursive: true });
      mkdirSync(path.join(other, '300/ns'), { recursive: true });
      symlinkSync('mnt:[4026532999]', path.join(other, '300/ns/mnt'));
      symlinkSync('/usr/sbin/sshd', path.join(other, '300/exe'));
      symlinkSync('socket:[22995]', path.join(other, '300/fd/3'));
      const { ports } = await listeningPorts({ procRoot: other, owners: new Map([['/usr/sbin/sshd', sshd]]) });
      const p = ports.find((x) => x.port === 18081)!;
      expect(p).toMatchObject({ pid: 300, executable: '/usr/sbin/sshd' });
      expect(p.package).toBeUndefined();
    } finally {
      done();
    }
  });
});

const run = promisify(execFile);

describe('listeningPorts on this machine', () => {
  const opened: Array<{ close(): void }> = [];
  let tcpLoopback = 0;
  let tcpAny = 0;
  let udpLoopback = 0;
  let tcp6Loopback = 0;
  let python: ChildProcess | undefined;
  let pythonPort = 0;

  beforeAll(async () => {
    const listen = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const s = net.createServer();
        s.once('error', reject);
        s.listen({ host, port: 0, ipv6Only: true }, () => {
          opened.push(s);
          resolve((s.address() as net.AddressInfo).port);
        });
      });
    tcpLoopback = await listen('127.0.0.1');
    tcpAny = await listen('0.0.0.0');
    tcp6Loopback = await listen('::1').catch(() => 0);
    const u = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => u.bind(0, '127.0.0.1', resolve));
    opened.push(u);
    udpLoopback = u.address().port;
  });

  afterAll(() => {
    for (const s of opened) s.close();
    python?.kill();
  });

  it('finds this process’s TCP and UDP listeners with pid, node executable and exposure', async () => {
    const started = performance.now();
    const { ports, problems } = await listeningPorts();
    const ms = performance.now() - started;
    console.log(`listeningPorts: ${ports.length} listeners in ${ms.toFixed(1)} ms`);
    const comm = (await readFile('/proc/self/comm', 'utf8')).trim();
    const mine = (protocol: string, port: number) => ports.find((p) => p.protocol === protocol && p.port === port);
    const exe = realpathSync(process.execPath);
    expect(mine('tcp', tcpLoopback)).toMatchObject({ address: '127.0.0.1', exposure: 'loopback', pid: process.pid, executable: exe, process: comm });
    expect(mine('tcp', tcpAny)).toMatchObject({ address: '0.0.0.0', exposure: 'any', pid: process.pid, executable: exe });
    expect(mine('udp', udpLoopback)).toMatchObject({ address: '127.0.0.1', exposure: 'loopback', pid: process.pid });
    if (tcp6Loopback) expect(mine('tcp6', tcp6Loopback)).toMatchObject({ address: '::1', exposure: 'loopback', pid: process.pid });
    // Problems here can only be about processes we may not inspect, and at most one.
    expect(problems.filter((p) => p.code === 'unreadable').length).toBeLessThanOrEqual(1);
    expect(problems.filter((p) => p.code !== 'unreadable')).toEqual([]);
  });

  it('reads another process’s network namespace when asked, here our own', async () => {
    const { ports } = await listeningPorts({ namespacePid: process.pid });
    expect(ports.find((p) => p.protocol === 'tcp' && p.port === tcpLoopback)).toMatchObject({ pid: process.pid });
  });

  it('parses the real tables without errors and agrees with ss', async () => {
    const ss = async () => {
      const { stdout } = await run('ss', ['-H', '-l', '-n', '-t', '-u']);
      return new Set(stdout.split('\n').filter(Boolean).map((l) => `${l.split(/\s+/)[0]} ${l.split(/\s+/)[4]!.replace(/.*:/, '')}`));
    };
    const tables = ['tcp', 'tcp6', 'udp', 'udp6'] as const;
    const texts = await Promise.all(tables.map((t) => readFile(`/proc/net/${t}`, 'utf8').catch(() => '')));
    for (const [i, t] of tables.entries()) expect(parseProcNet(texts[i]!, t).errors).toEqual([]);
    if (!existsSync('/usr/bin/ss') && !existsSync('/bin/ss')) return;
    const before = await ss();
    const { ports } = await listeningPorts();
    const after = await ss();
    const ours = new Set(ports.map((p) => `${p.protocol.replace('6', '')} ${p.port}`));
    // Compare only what was listening throughout, since other tests may open ports meanwhile.
    for (const key of before) if (after.has(key)) expect(ours).toContain(key);
  });

  it.runIf(hasDpkg && existsSync('/usr/bin/python3'))(
    'maps a dpkg-owned python3 http.server to its pid, executable and package',
    async () => {
      python = spawn('/usr/bin/python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '0'], { cwd: '/', stdio: ['ignore', 'pipe', 'inherit'] });
      pythonPort = await new Promise<number>((resolve, reject) => {
        let out = '';
        python!.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = / port (\d+) /.exec(out);
          if (m) resolve(Number(m[1]));
        });
        python!.once('exit', (code) => reject(new Error(`python3 exited ${code}`)));
      });
      const { components, owners } = await hostDpkgPackages();
      expect(components.length).toBeGreaterThan(0);
      const canonical = await canonicalOwners('/', owners);
      const { ports } = await listeningPorts({ owners: canonical });
      const p = ports.find((x) => x.protocol === 'tcp' && x.port === pythonPort);
      const exe = realpathSync('/usr/bin/python3');
      expect(p).toMatchObject({ address: '127.0.0.1', exposure: 'loopback', pid: python.pid, executable: exe });
      expect(p!.process).toMatch(/^python3/);
      const reference = await dpkgOwnerName(exe);
      expect(reference).toBeDefined();
      expect(p!.package).toMatch(new RegExp(`^pkg:deb/debian/${reference!.replace(/[.+]/g, '\\$&')}@`));
    },
  );
});
