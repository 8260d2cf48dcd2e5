import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Component } from '../../src/common/model.js';
import { installedKernels, kernelInfo, runningPackage } from '../../src/inventory/kernel.js';
import { canonicalOwners } from '../../src/inventory/owners.js';
import { tempDir } from '../helpers/fixtures.js';
import { dpkgOwnerName, hasDpkg, hostDpkgPackages } from './live-host.js';

const run = promisify(execFile);

function comp(ecosystem: Component['ecosystem'], name: string, version: string, extra: Partial<Component> = {}): Component {
  const release = extra.release ? `-${extra.release}` : '';
  return { ecosystem, name, version, purl: `pkg:${ecosystem}/x/${name}@${version}${release}`, locations: [], foundBy: 't', ...extra };
}
const names = (cs: Component[]) => cs.map((c) => c.name);

describe('Debian kernels', () => {
  const k18 = comp('deb', 'linux-image-6.1.0-18-amd64', '6.1.76-1');
  const k17 = comp('deb', 'linux-image-6.1.0-17-amd64', '6.1.69-1');
  const meta = comp('deb', 'linux-image-amd64', '6.1.76-1');
  const dbg = comp('deb', 'linux-image-6.1.0-18-amd64-dbg', '6.1.76-1');
  const headers = comp('deb', 'linux-headers-6.1.0-18-amd64', '6.1.76-1');
  const components = [meta, k18, dbg, headers, k17];
  const owners = new Map([
    ['/boot/vmlinuz-6.1.0-18-amd64', k18],
    ['/boot/vmlinuz-6.1.0-17-amd64', k17],
    ['/lib/modules/6.1.0-18-amd64/kernel/fs/ext4/ext4.ko', k18],
    ['/usr/share/doc/linux-image-amd64/copyright', meta],
    ['/usr/lib/debug/boot/vmlinux-6.1.0-18-amd64', dbg],
  ]);

  it('lists the packages owning a kernel image, not meta or debug packages', () => {
    expect(names(installedKernels(components, owners))).toEqual(['linux-image-6.1.0-17-amd64', 'linux-image-6.1.0-18-amd64']);
  });

  it('falls back to release-carrying names without file owners', () => {
    expect(names(installedKernels(components))).toEqual(['linux-image-6.1.0-17-amd64', 'linux-image-6.1.0-18-amd64']);
  });

  it('names the package of the running release, even when a newer one is installed', () => {
    expect(runningPackage('6.1.0-17-amd64', components, owners)).toBe(k17);
    expect(runningPackage('6.1.0-17-amd64', components)).toBe(k17);
    expect(runningPackage('6.1.0-99-amd64', components, owners)).toBeUndefined();
  });

  it('reports the running kernel only for a live host', async () => {
    const { dir, cleanup } = tempDir('vigil-kproc-');
    try {
      mkdirSync(path.join(dir, 'sys/kernel'), { recursive: true });
      writeFileSync(path.join(dir, 'sys/kernel/osrelease'), '6.1.0-18-amd64\n');
      expect(await kernelInfo({ root: '/', live: true, components, owners, procRoot: dir })).toEqual({
        running: '6.1.0-18-amd64',
        runningPackage: k18.purl,
        installed: [k17.purl, k18.purl],
      });
      expect(await kernelInfo({ root: '/mnt/image', live: false, components, owners, procRoot: dir })).toEqual({ installed: [k17.purl, k18.purl] });
    } finally {
      cleanup();
    }
  });
});

describe('Ubuntu kernels', () => {
  const image = comp('deb', 'linux-image-5.15.0-91-generic', '5.15.0-91.101');
  const modules = comp('deb', 'linux-modules-5.15.0-91-generic', '5.15.0-91.101');
  const metas = ['linux-image-generic', 'linux-image-generic-hwe-22.04', 'linux-image-virtual'].map((n) => comp('deb', n, '5.15.0.91.88'));
  const unsigned = comp('deb', 'linux-image-unsigned-5.15.0-92-generic', '5.15.0-92.102');

  it('ignores meta packages whose names carry no release', () => {
    expect(names(installedKernels([...metas, image, modules, unsigned]))).toEqual(['linux-image-5.15.0-91-generic', 'linux-image-unsigned-5.15.0-92-generic']);
  });

  it('uses the release-specific modules directory when no image is owned, preferring a kernel package', () => {
    const owners = new Map([
      ['/usr/lib/modules/5.15.0-91-generic/kernel/fs/btrfs/btrfs.ko', modules],
      ['/lib/modules/5.15.0-91-generic/modules.builtin', image],
    ]);
    expect(runningPackage('5.15.0-91-generic', [...metas, image, modules], owners)).toBe(image);
    expect(runningPackage('5.15.0-91-generic', [...metas, modules], new Map([...owners].filter(([, c]) => c === modules)))).toBe(modules);
    expect(runningPackage('5.15.0-92-generic', [unsigned])).toBe(unsigned);
  });
});

describe('rpm kernels', () => {
  const core = comp('rpm', 'kernel-core', '6.5.6', { release: '300.fc39', arch: 'x86_64' });
  const meta = comp('rpm', 'kernel', '6.5.6', { release: '300.fc39', arch: 'x86_64' });
  const mods = comp('rpm', 'kernel-modules', '6.5.6', { release: '300.fc39', arch: 'x86_64' });
  const headers = comp('rpm', 'kernel-headers', '6.5.6', { release: '300.fc39', arch: 'x86_64' });
  const debugCore = comp('rpm', 'kernel-debug-core', '6.5.6', { release: '300.fc39', arch: 'x86_64' });
  const suse = comp('rpm', 'kernel-default', '5.14.21', { release: '150500.55.39.1', arch: 'x86_64' });

  it('finds Fedora kernel-core by its /lib/modules image, or by name', () => {
    const owners = new Map([['/lib/modules/6.5.6-300.fc39.x86_64/vmlinuz', core], ['/lib/modules/6.5.6-300.fc39.x86_64/kernel/x.ko.xz', mods]]);
    expect(names(installedKernels([meta, core, mods, headers], owners))).toEqual(['kernel-core']);
    expect(names(installedKernels([meta, core, mods, headers]))).toEqual(['kernel-core', 'kernel']); // purl order
    expect(runningPackage('6.5.6-300.fc39.x86_64', [meta, core, mods], owners)).toBe(core);
    expect(runningPackage('6.5.6-300.fc39.x86_64', [meta, core, mods, debugCore])).toBe(core);
    expect(runningPackage('6.5.6-300.fc39.x86_64+debug', [meta, core, debugCore])).toBe(debugCore);
  });

  it('matches SUSE releases, whose package release has one more component', () => {
    expect(runningPackage('5.14.21-150500.55.39-default', [suse])).toBe(suse);
    expect(runningPackage('5.14.21-150500.55.40-default', [suse])).toBeUndefined();
  });
});

describe('Alpine kernels', () => {
  const lts = comp('apk', 'linux-lts', '6.6.14-r0');
  const firmware = comp('apk', 'linux-firmware-intel', '20240115-r0');

  it('matches flavor and version spelled in the release', () => {
    expect(names(installedKernels([lts, firmware]))).toEqual(['linux-lts']);
    expect(runningPackage('6.6.14-0-lts', [lts, firmware])).toBe(lts);
  });

  it('does not take the owner of /boot/vmlinuz-lts for the running kernel after an upgrade', () => {
    const upgraded = comp('apk', 'linux-lts', '6.6.20-r0');
    const owners = new Map([['/boot/vmlinuz-lts', upgraded]]);
    expect(names(installedKernels([upgraded], owners))).toEqual(['linux-lts']);
    expect(runningPackage('6.6.14-0-lts', [upgraded], owners)).toBeUndefined();
  });
});

describe.runIf(hasDpkg)('kernelInfo on this machine', () => {
  const cleanups: Array<() => void> = [];
  afterAll(() => cleanups.forEach((c) => c()));

  it('reads the running release and the kernel packages dpkg says own /boot images', async () => {
    const { components, owners } = await hostDpkgPackages();
    const info = await kernelInfo({ root: '/', live: true, components, owners: await canonicalOwners('/', owners) });
    const release = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
    expect(info.running).toBe(release);
    expect(info.running).toBe(os.release());
    const images = readdirSync('/boot').filter((f) => /^vmlinu[xz]-/.test(f));
    const expected = new Set<string>();
    for (const f of images) {
      const owner = await dpkgOwnerName(`/boot/${f}`);
      if (owner) expected.add(owner);
    }
    if (expected.size === 0) {
      // No image owned (a container or VM booted from outside): name patterns decide.
      const { stdout } = await run('dpkg-query', ['-W', '-f', '${db:Status-Abbrev} ${Package}\n', 'linux-image-*']).catch(() => ({ stdout: '' }));
      for (const l of stdout.split('\n')) if (/^ii\s+linux-image-\d/.test(l) && !/-dbg(sym)?$/.test(l)) expected.add(l.split(/\s+/)[1]!);
    }
    const byPurl = new Map(components.map((c) => [c.purl, c.name]));
    expect(new Set(info.installed.map((p) => byPurl.get(p)))).toEqual(expected);
    const runningOwner = await dpkgOwnerName(`/boot/vmlinuz-${release}`);
    if (runningOwner) expect(byPurl.get(info.runningPackage!)).toBe(runningOwner);
  });
});
