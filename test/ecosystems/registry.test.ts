import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import type { Component, OsInfo } from '../../src/common/model.js';
import { componentNameKey, packageKey } from '../../src/advisories/keys.js';
import { advisoryEcosystem, buildRegistry, OS_PACKAGE_ECOSYSTEMS, osvExports, DISTRIBUTIONS, distributionOf, LANGUAGES, lookupTargets, namespaceTargets, osNamespace } from '../../src/ecosystems/index.js';
import { remediation } from '../../src/matcher/remediation.js';
import { REPO } from '../helpers/fixtures.js';

const os = (id: string, versionId?: string): OsInfo => ({ id, ...(versionId ? { versionId } : {}), distro: versionId ? `${id}-${versionId}` : id });
const rpm = (name: string, distro: string, release = '1'): Component => ({
  ecosystem: 'rpm', name, version: '1.0', release, purl: `pkg:rpm/${distro.split('-')[0]}/${name}@1.0-${release}?arch=x86_64&distro=${distro}`, locations: ['/var/lib/rpm/rpmdb.sqlite'], foundBy: 'rpm-sqlite',
});

describe('the ecosystem registry', () => {
  it('maps each distribution\'s os-release ID and VERSION_ID to its advisory namespace', () => {
    // ID and VERSION_ID as each distribution's /etc/os-release writes them.
    const cases: Array<[string, string | undefined, string | undefined]> = [
      ['debian', '12', 'Debian:12'],
      ['debian', undefined, undefined],
      ['ubuntu', '24.04', 'Ubuntu:24.04'],
      ['ubuntu', '25.10', 'Ubuntu:25.10'],
      ['ubuntu', '20.04', 'Ubuntu:20.04'],
      ['alpine', '3.19.1', 'Alpine:v3.19'],
      ['wolfi', '20230201', 'Wolfi'],
      ['chainguard', undefined, 'Chainguard'],
      ['almalinux', '9.4', 'AlmaLinux:9'],
      ['rocky', '9.3', 'Rocky Linux:9'],
      ['rhel', '9.4', 'Red Hat:9'],
      ['centos', '9', 'CentOS:9'],
      ['ol', '8.9', 'Oracle Linux:8'],
      ['fedora', '40', 'Fedora:40'],
      ['amzn', '2', 'Amazon Linux:2'],
      ['amzn', '2023', 'Amazon Linux:2023'],
      ['sles', '15.5', 'SUSE:Linux Enterprise Server 15 SP5'],
      ['sles', '15', 'SUSE:Linux Enterprise Server 15'],
      ['opensuse-leap', '15.5', 'openSUSE:Leap 15.5'],
      ['opensuse-tumbleweed', '20240101', 'openSUSE:Tumbleweed'],
      ['arch', undefined, 'Arch Linux'],
      ['arch', '20240101.0.204074', 'Arch Linux'],
      ['gentoo', undefined, undefined],
    ];
    for (const [id, v, ns] of cases) expect(osNamespace(os(id, v)), `${id} ${v}`).toBe(ns);
  });

  it('names, for every distribution, the feeds that cover it; those with none are said to have none', () => {
    const none = DISTRIBUTIONS.filter((d) => d.feeds.length === 0).map((d) => d.id);
    expect(none).toEqual(['rhel', 'centos', 'oracle', 'fedora', 'amazon', 'azurelinux', 'photon', 'openeuler', 'mageia', 'arch']);
  });

  it('reads every OSV ecosystem of the bundled feeds with the scheme of its declaring ecosystem', async () => {
    const { feeds } = await readFeeds([path.join(REPO, 'data/feeds/osv-ecosystems'), path.join(REPO, 'data/feeds/almalinux'), path.join(REPO, 'data/feeds/debian12-archive')]);
    const namespaces = new Set(feeds.flatMap((f) => f.advisories.flatMap((a) => a.affected.map((p) => `${p.namespace}\u0000${p.scheme}`))));
    expect(namespaces.size).toBeGreaterThan(5);
    for (const key of namespaces) {
      const [ns, scheme] = key.split('\u0000') as [string, string];
      expect(advisoryEcosystem(ns.split(':')[0]!)?.scheme, ns).toBe(scheme);
    }
  });

  it('looks OS packages up only in the root\'s own distribution, deb and apk by source, rpm by binary with the EVR', () => {
    const deb: Component = { ecosystem: 'deb', name: 'libssl3', version: '3.0.11-1~deb12u2', source: { name: 'openssl', version: '3.0.11-1~deb12u2' }, purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2', locations: ['/var/lib/dpkg/status'], foundBy: 'dpkg' };
    expect(lookupTargets(deb, os('debian', '12'))).toEqual([{ namespace: 'Debian:12', package: 'openssl', version: '3.0.11-1~deb12u2', scheme: 'dpkg', via: 'source' }]);
    expect(lookupTargets(deb, os('fedora', '40'))).toEqual([]);
    const p = { ...rpm('bash', 'fedora-40', '3.fc40'), epoch: 1 };
    expect(lookupTargets(p, os('fedora', '40'))).toEqual([{ namespace: 'Fedora:40', package: 'bash', version: '1:1.0-3.fc40', scheme: 'rpm', via: 'direct' }]);
    expect(lookupTargets(p, os('debian', '12'))).toEqual([]);
    expect(namespaceTargets('Amazon Linux:2023', 'bash')).toEqual({ ecosystem: 'rpm', names: ['bash'] });
    expect(namespaceTargets('Maven', 'org.apache:commons-text')).toEqual({ ecosystem: 'maven', names: ['commons-text'] });
    expect(namespaceTargets('crates.io', 'serde')).toEqual({ ecosystem: 'cargo', names: ['serde'] });
    expect(namespaceTargets('Packagist', 'guzzlehttp/psr7')).toEqual({ ecosystem: 'composer', names: ['guzzlehttp/psr7'] });
    expect(namespaceTargets('NuGet', 'newtonsoft.json')).toEqual({ ecosystem: 'nuget', names: ['newtonsoft.json'] });
    expect(namespaceTargets('Hex', 'x')).toBeUndefined();
  });

  it('fixes an rpm with the manager of its distribution and release', () => {
    expect(remediation(rpm('bash', 'amzn-2'), '5.2-1')).toBe('yum update bash-5.2-1');
    expect(remediation(rpm('bash', 'amzn-2023'), '5.2-1')).toBe('dnf upgrade bash-5.2-1');
    expect(remediation(rpm('bash', 'rhel-7.9'), '0:5.2-1')).toBe('yum update bash-5.2-1');
    expect(remediation(rpm('bash', 'sles-15.5'), '5.2-1')).toBe('zypper update bash');
    expect(remediation(rpm('bash', 'almalinux-9.4'), '5.2-1')).toBe('dnf upgrade bash-5.2-1');
  });

  it('refuses an os-release ID, an advisory ecosystem or a component ecosystem declared twice, and an unknown scheme', () => {
    expect(() => buildRegistry([...DISTRIBUTIONS, { ...distributionOf(os('debian'))!, id: 'debian-again' }], LANGUAGES)).toThrow('ecosystem registry: os-release ID debian is declared twice');
    expect(() => buildRegistry(DISTRIBUTIONS, [...LANGUAGES, LANGUAGES[0]!])).toThrow('ecosystem registry: component ecosystem npm is declared twice');
    expect(() => buildRegistry([{ ...DISTRIBUTIONS[0]!, id: 'x', osIds: ['x'], advisoryEcosystems: [], scheme: 'ebuild' as never }], [])).toThrow('ecosystem registry: x names version scheme ebuild, which Vigil does not have');
    // Two distributions of one package format must key names alike: one inventory index serves both.
    const debianLike = distributionOf(os('debian'))!;
    expect(() => buildRegistry([debianLike, { ...debianLike, id: 'exact-deb', osIds: ['exact-deb'], advisoryEcosystems: ['ExactDeb'], nameKey: (n: string) => n }], [])).toThrow(/exact-deb keys deb package names unlike another declaration of deb/);
  });

  it('keys package names as each declaration says, on both sides of the index', () => {
    expect(packageKey('PyPI', 'Django_REST.framework')).toBe('django-rest-framework');
    expect(componentNameKey('pypi', 'Django_REST.framework')).toBe('django-rest-framework');
    expect([packageKey('Debian:12', 'LibFoo'), componentNameKey('deb', 'LibFoo')]).toEqual(['libfoo', 'libfoo']);
    expect([packageKey('Rocky Linux:9', 'NetworkManager'), componentNameKey('rpm', 'NetworkManager')]).toEqual(['NetworkManager', 'NetworkManager']);
    expect([packageKey('crates.io', 'Serde'), packageKey('Go', 'github.com/BurntSushi/toml'), packageKey('Unknown', 'X')]).toEqual(['serde', 'github.com/BurntSushi/toml', 'X']);
    expect(OS_PACKAGE_ECOSYSTEMS).toEqual(new Set(['deb', 'rpm', 'apk', 'alpm']));
    expect(osvExports().map((e) => e.feed)).toEqual(['debian', 'ubuntu', 'alpine', 'almalinux', 'rocky-linux', 'npm', 'pypi', 'maven', 'go', 'crates.io', 'rubygems', 'nuget', 'packagist']);
  });
});
