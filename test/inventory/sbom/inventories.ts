/**
 * Inventories for the SBOM tests, shaped like real scans: purls come from formatPurl as the
 * collectors build them, versions and licenses are what the package databases hold.
 */
import type { Component, Inventory } from '../../../src/common/model.js';
import { formatPurl } from '../../../src/common/purl.js';

const DEBIAN = { id: 'debian', distro: 'debian-12' };

function deb(name: string, version: string, source: { name: string; version: string }, extra: Partial<Component> = {}): Component {
  const upstream = source.version !== version ? `${source.name}@${source.version}` : source.name !== name ? source.name : undefined;
  return {
    ecosystem: 'deb',
    name,
    version,
    arch: 'amd64',
    source,
    purl: formatPurl({ type: 'deb', namespace: DEBIAN.id, name, version, qualifiers: { arch: 'amd64', distro: DEBIAN.distro, upstream } }),
    locations: ['/var/lib/dpkg/status'],
    foundBy: 'dpkg',
    ...extra,
  };
}

const OPENSSH = deb('openssh-server', '1:9.2p1-2+deb12u2', { name: 'openssh', version: '1:9.2p1-2+deb12u2' }, {
  licenses: ['BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'OpenSSH'],
  inUse: true,
  metadata: { installedSizeKib: 1873, maintainer: 'Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>' },
});
const KERNEL = deb('linux-image-6.1.0-18-amd64', '6.1.76-1', { name: 'linux-signed-amd64', version: '6.1.76+1' }, {
  licenses: ['GPL-2.0-only'],
});
const OLD_KERNEL = deb('linux-image-6.1.0-17-amd64', '6.1.69-1', { name: 'linux-signed-amd64', version: '6.1.69+1' });

/** A Debian 12 host running sshd, an exporter written in Go, a Node app and a Java service. */
export function debianHost(scannedAt = '2026-03-02T09:15:27.481Z'): Inventory {
  const components: Component[] = [
    deb('bsdutils', '1:2.38.1-5+deb12u3', { name: 'util-linux', version: '2.38.1-5+deb12u3' }, {
      licenses: ['GPL-2.0+', 'BSD-4-Clause', 'LGPL-2.1+', 'public-domain'],
      metadata: { installedSizeKib: 355, maintainer: 'util-linux packagers <util-linux@packages.debian.org>' },
    }),
    OPENSSH,
    KERNEL,
    OLD_KERNEL,
    deb('base-files', '12.4+deb12u5', { name: 'base-files', version: '12.4+deb12u5' }, { licenses: [] }),
    {
      ecosystem: 'npm',
      name: '@babel/core',
      version: '7.24.0',
      purl: formatPurl({ type: 'npm', namespace: '@babel', name: 'core', version: '7.24.0' }),
      locations: ['/srv/shop/package-lock.json'],
      licenses: ['MIT'],
      foundBy: 'npm-lock',
      metadata: { dev: true, resolved: 'https://registry.npmjs.org/@babel/core/-/core-7.24.0.tgz' },
    },
    {
      ecosystem: 'npm',
      name: 'lodash',
      version: '4.17.20',
      purl: formatPurl({ type: 'npm', name: 'lodash', version: '4.17.20' }),
      // Seen in the lockfile and installed under node_modules: one component, two locations.
      locations: ['/srv/shop/node_modules/lodash/package.json', '/srv/shop/package-lock.json'],
      // Old manifests write {"license": {"type": "MIT"}}; the collector keeps the type.
      licenses: ['MIT'],
      foundBy: 'npm-installed',
      metadata: { author: 'John-David Dalton <john.david.dalton@gmail.com>' },
    },
    {
      ecosystem: 'pypi',
      name: 'cryptography',
      version: '41.0.7',
      purl: formatPurl({ type: 'pypi', name: 'cryptography', version: '41.0.7' }),
      locations: ['/usr/lib/python3/dist-packages/cryptography-41.0.7.dist-info/METADATA'],
      licenses: ['Apache-2.0 OR BSD-3-Clause'],
      foundBy: 'python',
      metadata: { author: 'The cryptography developers <cryptography-dev@python.org>' },
    },
    {
      ecosystem: 'pypi',
      name: 'idna',
      version: '3.3',
      purl: formatPurl({ type: 'pypi', name: 'idna', version: '3.3' }),
      locations: ['/usr/lib/python3/dist-packages/idna-3.3.egg-info/PKG-INFO'],
      licenses: ['BSD License'],
      foundBy: 'python',
    },
    {
      ecosystem: 'maven',
      namespace: 'org.apache.logging.log4j',
      name: 'log4j-core',
      version: '2.14.1',
      purl: formatPurl({ type: 'maven', namespace: 'org.apache.logging.log4j', name: 'log4j-core', version: '2.14.1' }),
      locations: ['/opt/billing/lib/log4j-core-2.14.1.jar'],
      licenses: ['Apache License, Version 2.0'],
      foundBy: 'java',
      metadata: { vendor: 'The Apache Software Foundation' },
    },
    {
      ecosystem: 'golang',
      name: 'github.com/prometheus/node_exporter',
      version: 'v1.7.0',
      purl: formatPurl({ type: 'golang', namespace: 'github.com/prometheus', name: 'node_exporter', version: 'v1.7.0' }),
      locations: ['/usr/local/bin/node_exporter'],
      foundBy: 'go-binary',
      metadata: { goVersion: 'go1.21.4', mainModule: true, buildSettings: ['-trimpath=true', 'CGO_ENABLED=0'] },
    },
    {
      ecosystem: 'golang',
      name: 'golang.org/x/sys',
      version: 'v0.15.0',
      purl: formatPurl({ type: 'golang', namespace: 'golang.org/x', name: 'sys', version: 'v0.15.0' }),
      locations: ['/usr/local/bin/node_exporter'],
      foundBy: 'go-binary',
      metadata: { h1: 'h1:h48lPFYpsTvQJZF4EKyI4aLHaev3CxGmAeU/F7HdcVg=' },
    },
  ];
  return {
    schemaVersion: 1,
    tool: { name: 'vigil', version: '0.1.0' },
    target: { kind: 'host', path: '/' },
    scannedAt,
    host: { hostname: 'web-01', os: 'Debian GNU/Linux 12 (bookworm)', arch: 'x64', addresses: ['fe80::5054:ff:fe12:3456', '10.0.4.21'], kernel: '6.1.0-18-amd64' },
    os: {
      id: 'debian',
      versionId: '12',
      versionCodename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      name: 'Debian GNU/Linux',
      distro: 'debian-12',
    },
    kernel: { running: '6.1.0-18-amd64', runningPackage: KERNEL.purl, installed: [OLD_KERNEL.purl, KERNEL.purl] },
    components,
    ports: [
      { protocol: 'tcp6', address: '::', port: 22, exposure: 'any', inode: 18231, pid: 612, process: 'sshd', executable: '/usr/sbin/sshd', package: OPENSSH.purl },
      { protocol: 'tcp', address: '0.0.0.0', port: 22, exposure: 'any', inode: 18229, pid: 612, process: 'sshd', executable: '/usr/sbin/sshd', package: OPENSSH.purl },
      { protocol: 'tcp', address: '10.0.4.21', port: 9100, exposure: 'private', inode: 20117, pid: 733, process: 'node_exporter', executable: '/usr/local/bin/node_exporter' },
      { protocol: 'udp', address: '127.0.0.1', port: 323, exposure: 'loopback', inode: 17002 },
    ],
    problems: [
      { collector: 'python', path: '/usr/lib/python3/dist-packages/broken-1.0.dist-info/METADATA', code: 'malformed-record', message: 'no Version field' },
      { collector: 'java', path: '/opt/billing/lib/corrupt.jar', code: 'corrupt', message: 'zip: end of central directory not found' },
    ],
  };
}

function hostile(name: string, version: string, licenses?: string[]): Component {
  return {
    ecosystem: 'generic',
    name,
    version,
    purl: formatPurl({ type: 'generic', name, version }),
    locations: [`/opt/${name}/VERSION`],
    foundBy: 'binary',
    ...(licenses ? { licenses } : {}),
  };
}

/** An unpacked image with rpm and apk databases and names chosen to break naive writers. */
export function hostileRootfs(scannedAt = '2026-03-02T09:15:27Z'): Inventory {
  const rpm = (name: string, version: string, release: string, epoch: number | undefined, licenses: string[]): Component => ({
    ecosystem: 'rpm',
    name,
    version,
    release,
    ...(epoch !== undefined ? { epoch } : {}),
    arch: 'x86_64',
    source: { name: name.replace(/-libs$/, ''), version: `${version}-${release}` },
    purl: formatPurl({
      type: 'rpm',
      namespace: 'redhat',
      name,
      version: `${version}-${release}`,
      qualifiers: { arch: 'x86_64', distro: 'rhel-9.3', epoch: epoch?.toString() },
    }),
    locations: ['/var/lib/rpm/rpmdb.sqlite'],
    licenses,
    foundBy: 'rpm',
    metadata: { vendor: 'Red Hat, Inc.', modularityLabel: null, sourceRpm: `${name}-${version}-${release}.src.rpm` },
  });
  const dup = hostile('dup', '1.0');
  return {
    schemaVersion: 1,
    tool: { name: 'vigil', version: '0.1.0' },
    target: { kind: 'rootfs', path: '/mnt/image root;$(id)/"quoted"\n' },
    scannedAt,
    os: { id: 'rhel', versionId: '9.3', prettyName: 'Red Hat Enterprise Linux 9.3 (Plow)', idLike: ['fedora'], distro: 'rhel-9.3' },
    components: [
      rpm('openssl-libs', '3.0.7', '27.el9', 1, ['Apache-2.0']),
      rpm('tzdata', '2024a', '1.el9', 0, ['Public Domain']),
      rpm('bash', '5.1.8', '9.el9', undefined, ['GPLv3+']),
      // Some databases hand over version-release already joined; it must not be doubled.
      { ...rpm('zlib', '1.2.11', '40.el9', undefined, ['zlib and Boost']), version: '1.2.11-40.el9' },
      {
        ecosystem: 'apk',
        name: 'busybox',
        version: '1.36.1-r15',
        arch: 'x86_64',
        source: { name: 'busybox', version: '1.36.1-r15' },
        purl: formatPurl({ type: 'apk', namespace: 'alpine', name: 'busybox', version: '1.36.1-r15', qualifiers: { arch: 'x86_64', distro: 'alpine-3.19.1' } }),
        locations: ['/lib/apk/db/installed'],
        licenses: ['GPL-2.0-only'],
        foundBy: 'apk',
        metadata: { maintainer: 'Sören Tempel <soeren+alpine@soeren-tempel.net>' },
      },
      hostile('naïve 日本語 pkg', '1.0 beta', ['mit']),
      hostile('evil;rm -rf /', '$(touch /tmp/pwned)', ['GPL (>= 2)', '"quoted"']),
      hostile("quote\"d'name", '`id`', ['(MIT', 'MIT AND', '[object Object]']),
      hostile('new\nline\u2028sep', '1\n2', ['Apache-2.0 WITH LLVM-exception', 'LicenseRef-Acme-EULA']),
      hostile('with-exception', '2.0', ['GPL-2.0-or-later WITH Classpath-exception-2.0 or mit']),
      hostile('unknown-license', '0.1', ['UNKNOWN', 'NOASSERTION', '']),
      hostile('no-license', '0.2'),
      dup,
      { ...dup },
    ],
    ports: [{ protocol: 'udp6', address: 'fe80::1%eth0', port: 546, exposure: 'private', inode: 4242, process: 'dhclient "x"\n' }],
    problems: [
      { collector: 'rpm', path: '/var/lib/rpm/Packages', code: 'unsupported', message: 'BerkeleyDB hash "v10"\nnot supported; <script>' },
      { collector: 'binary', path: '/opt/$(id)/bin', code: 'unreadable', message: "EACCES: permission denied, open '/opt/$(id)/bin'" },
    ],
  };
}
