import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import si from 'systeminformation';
import { afterAll, describe, expect, it } from 'vitest';
import { distroRelease, hostAddresses, hostFacts, releaseFilesText } from '../../src/inventory/host.js';
import { CACHE_DIR, tempDir } from '../helpers/fixtures.js';

const run = promisify(execFile);

function osRelease(): Record<string, string> {
  const text = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1]!, m[2]!.replace(/^"(.*)"$/, '$1')]),
  );
}

describe('hostFacts on this machine', () => {
  it('matches uname, os-release and ip, quickly', async () => {
    await hostFacts(); // the first call pays for reading the release files cold
    const started = performance.now();
    const facts = await hostFacts();
    const ms = performance.now() - started;
    console.log(`hostFacts: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(2000);

    expect(facts.hostname).toBe(os.hostname());
    expect(facts.arch).toBe((await run('uname', ['-m'])).stdout.trim());
    expect(facts.kernel).toBe((await run('uname', ['-r'])).stdout.trim());
    const rel = osRelease();
    if (rel.VERSION_ID) expect(facts.os).toContain(rel.VERSION_ID);
    if (rel.NAME) expect(facts.os.toLowerCase()).toContain(rel.NAME.split(' ')[0]!.toLowerCase());

    if (existsSync('/usr/sbin/ip') || existsSync('/sbin/ip') || existsSync('/usr/bin/ip')) {
      const { stdout } = await run('ip', ['-j', 'addr', 'show']);
      const links = JSON.parse(stdout) as Array<{ addr_info?: Array<{ local: string; scope: string }> }>;
      const expected = links.flatMap((l) => l.addr_info ?? []).filter((a) => a.scope === 'global').map((a) => a.local);
      expect(new Set(facts.addresses)).toEqual(new Set(expected));
    }
  });
});

describe('the distribution and release of a host', () => {
  const cleanups: Array<() => void> = [];
  afterAll(() => cleanups.forEach((c) => c()));

  it('are what systeminformation says of this machine', async () => {
    const info = await si.osInfo();
    expect((await hostFacts()).os).toBe([info.distro, info.release].filter(Boolean).join(' ') || os.type());
    expect(distroRelease(releaseFilesText())).toEqual({ distro: info.distro, release: info.release });
  });

  const roots = [
    ['Debian 12 (debootstrap)', 'bookworm-minbase', { distro: 'Debian GNU/Linux', release: '12' }],
    ['Fedora 40', 'fedora40-rpm', { distro: 'Fedora Linux', release: '40' }],
  ] as const;
  for (const [what, dir, expected] of roots) {
    const root = path.join(CACHE_DIR, 'rootfs', dir);
    it.skipIf(!existsSync(path.join(root, 'etc')))(`are read from the release files of a real ${what} root`, () => {
      expect(distroRelease(releaseFilesText(path.join(root, 'etc'), path.join(root, 'usr/lib')))).toEqual(expected);
    });
  }

  it("read the release files as cat does, in the glob's order, skipping what cannot be read", () => {
    const t = tempDir('vigil-release-');
    cleanups.push(t.cleanup);
    const etc = path.join(t.dir, 'etc');
    const lib = path.join(t.dir, 'usr/lib');
    mkdirSync(etc, { recursive: true });
    mkdirSync(lib, { recursive: true });
    mkdirSync(path.join(etc, 'dir-release'));
    writeFileSync(path.join(etc, 'lsb-release'), 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n');
    writeFileSync(path.join(etc, 'a-release'), 'no newline at the end');
    writeFileSync(path.join(etc, '.hidden-release'), 'HIDDEN=1\n');
    writeFileSync(path.join(lib, 'os-release'), 'NAME="Ubuntu"\n');
    symlinkSync('../usr/lib/os-release', path.join(etc, 'os-release'));
    symlinkSync('missing', path.join(etc, 'gone-release'));
    expect(releaseFilesText(etc, lib)).toBe('no newline at the endDISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nNAME="Ubuntu"\nNAME="Ubuntu"\n');
  });

  it('take the release from PRETTY_NAME, VERSION, DISTRIB_RELEASE or VERSION_ID, as systeminformation does', () => {
    expect(distroRelease('PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\n')).toEqual({ distro: 'Ubuntu', release: '22.04.4 LTS' });
    expect(distroRelease('DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nNAME="Ubuntu"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\n')).toEqual({ distro: 'Ubuntu', release: '22.04.4 LTS' });
    expect(distroRelease('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n')).toEqual({ distro: 'Alpine Linux', release: 'v3.19' });
    expect(distroRelease('NAME=Rocky\nVERSION_ID=9.3\n')).toEqual({ distro: 'Rocky', release: '9.3' });
    expect(distroRelease('KEY=a=b\nNAME=x=y\n')).toEqual({ distro: 'x', release: 'unknown' });
    expect(distroRelease('')).toEqual({ distro: 'unknown', release: 'unknown' });
  });
});

describe('hostAddresses', () => {
  const a = (address: string, family: 'IPv4' | 'IPv6', internal = false): os.NetworkInterfaceInfo =>
    ({ address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as os.NetworkInterfaceInfo;

  it('drops loopback and IPv6 link-local, dedupes, and orders IPv4 first, numerically', () => {
    expect(
      hostAddresses({
        lo: [a('127.0.0.1', 'IPv4', true), a('::1', 'IPv6', true)],
        eth0: [a('10.0.0.10', 'IPv4'), a('fe80::1', 'IPv6'), a('2001:db8::10', 'IPv6'), a('10.0.0.9', 'IPv4')],
        eth1: [a('2001:db8::9', 'IPv6'), a('192.0.2.1', 'IPv4'), a('10.0.0.9', 'IPv4'), a('fd00::2', 'IPv6')],
        down: undefined,
      }),
    ).toEqual(['10.0.0.9', '10.0.0.10', '192.0.2.1', '2001:db8::9', '2001:db8::10', 'fd00::2']);
  });
});
