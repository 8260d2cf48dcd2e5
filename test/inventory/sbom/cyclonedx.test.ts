import { describe, expect, test } from 'vitest';
import type { Inventory } from '../../../src/common/model.js';
import { renderCycloneDx } from '../../../src/inventory/sbom/cyclonedx.js';
import { comparePropertyNames } from '../../../src/inventory/sbom/common.js';
import { validateCycloneDx } from '../../helpers/schemas.js';
import { debianHost, hostileRootfs } from './inventories.js';
import { expectGolden } from '../../helpers/golden.js';

interface Property {
  name: string;
  value: string;
}
interface CdxComponent {
  'bom-ref': string;
  type: string;
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  description?: string;
  swid?: Record<string, string>;
  supplier?: { name: string };
  licenses?: Array<{ license?: { id?: string; name?: string }; expression?: string }>;
  properties?: Property[];
}
interface Bom {
  serialNumber: string;
  metadata: { timestamp: string; tools: { components: CdxComponent[] }; component: CdxComponent; properties: Property[] };
  components: CdxComponent[];
  services?: Array<{ 'bom-ref': string; name: string; endpoints: string[]; properties: Property[] }>;
}

const render = (inv: Inventory): Bom => JSON.parse(renderCycloneDx(inv)) as Bom;
const props = (c: { properties?: Property[] } | undefined, name: string): string[] =>
  (c?.properties ?? []).filter((p) => p.name === name).map((p) => p.value);
const byName = (bom: Bom, name: string): CdxComponent => {
  const found = bom.components.find((c) => (c.group ? `${c.group}/${c.name}` : c.name) === name);
  if (!found) throw new Error(`no component ${name}`);
  return found;
};

describe('CycloneDX 1.6 output', () => {
  test('a Debian host inventory validates against the official schema', () => {
    expect(validateCycloneDx(render(debianHost()))).toEqual([]);
  });

  test('hostile names, licenses, paths and addresses still validate', () => {
    expect(validateCycloneDx(render(hostileRootfs()))).toEqual([]);
  });

  test('matches the golden file', async () => {
    await expectGolden(renderCycloneDx(debianHost()), new URL('./__golden__/debian-host.cdx.json', import.meta.url));
  });

  test('bom-refs are unique, and a duplicate component gets a suffixed ref', () => {
    const bom = render(hostileRootfs());
    const refs = [bom.metadata.component, ...bom.components, ...(bom.services ?? [])].map((x) => x['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
    const dups = bom.components.filter((c) => c.name === 'dup').map((c) => c['bom-ref']);
    expect(dups).toEqual([expect.stringMatching(/^pkg:generic\/dup@1\.0\?package-id=[0-9a-f]{16}$/), `${dups[0]}-2`]);
  });

  test('bom-ref is the purl with a package-id qualifier derived from purl and locations', () => {
    const bom = render(debianHost());
    const lodash = byName(bom, 'lodash');
    expect(lodash['bom-ref']).toMatch(/^pkg:npm\/lodash@4\.17\.20\?package-id=[0-9a-f]{16}$/);
    const moved = debianHost();
    moved.components.find((c) => c.name === 'lodash')!.locations = ['/srv/other/package-lock.json'];
    expect(byName(render(moved), 'lodash')['bom-ref']).not.toBe(lodash['bom-ref']);
  });

  test('versions: dpkg keeps its epoch, rpm is [epoch:]version-release as Syft writes it', () => {
    const deb = render(debianHost());
    expect(byName(deb, 'bsdutils').version).toBe('1:2.38.1-5+deb12u3');
    const rpm = render(hostileRootfs());
    expect(byName(rpm, 'openssl-libs').version).toBe('1:3.0.7-27.el9');
    expect(byName(rpm, 'tzdata').version).toBe('0:2024a-1.el9');
    expect(byName(rpm, 'bash').version).toBe('5.1.8-9.el9');
    expect(byName(rpm, 'zlib').version).toBe('1.2.11-40.el9');
    expect(props(byName(rpm, 'openssl-libs'), 'vigil:package:epoch')).toEqual(['1']);
    expect(props(byName(rpm, 'openssl-libs'), 'vigil:package:release')).toEqual(['27.el9']);
  });

  test('group is the Maven groupId and the npm scope; other names stay whole', () => {
    const bom = render(debianHost());
    expect(byName(bom, '@babel/core')).toMatchObject({ group: '@babel', name: 'core', purl: 'pkg:npm/%40babel/core@7.24.0' });
    expect(byName(bom, 'org.apache.logging.log4j/log4j-core')).toMatchObject({ group: 'org.apache.logging.log4j', name: 'log4j-core' });
    expect(byName(bom, 'github.com/prometheus/node_exporter').group).toBeUndefined();
  });

  test('licenses: listed ids as id, SPDX expressions as one expression, anything else as name', () => {
    const deb = render(debianHost());
    expect(byName(deb, 'bsdutils').licenses).toEqual([
      { license: { id: 'BSD-4-Clause' } },
      { license: { id: 'GPL-2.0+' } },
      { license: { id: 'LGPL-2.1+' } },
      { license: { name: 'public-domain' } },
    ]);
    expect(byName(deb, 'cryptography').licenses).toEqual([{ expression: 'Apache-2.0 OR BSD-3-Clause' }]);
    expect(byName(deb, 'idna').licenses).toEqual([{ license: { name: 'BSD License' } }]);
    expect(byName(deb, 'lodash').licenses).toEqual([{ license: { id: 'MIT' } }]);
    expect(byName(deb, 'base-files').licenses).toBeUndefined();
    const odd = render(hostileRootfs());
    expect(byName(odd, 'naïve 日本語 pkg').licenses).toEqual([{ license: { id: 'MIT' } }]);
    expect(byName(odd, 'new\nline\u2028sep').licenses).toEqual([{ expression: 'Apache-2.0 WITH LLVM-exception AND LicenseRef-Acme-EULA' }]);
    expect(byName(odd, 'with-exception').licenses).toEqual([{ expression: 'GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT' }]);
    expect(byName(odd, 'unknown-license').licenses).toBeUndefined();
    expect(byName(odd, "quote\"d'name").licenses).toEqual([
      { license: { name: '(MIT' } },
      { license: { name: 'MIT AND' } },
      { license: { name: '[object Object]' } },
    ]);
  });

  test('package facts become vigil: properties, sorted by name, every location listed', () => {
    const bom = render(debianHost());
    const bsdutils = byName(bom, 'bsdutils');
    expect(props(bsdutils, 'vigil:package:foundBy')).toEqual(['dpkg']);
    expect(props(bsdutils, 'vigil:package:sourceName')).toEqual(['util-linux']);
    expect(props(bsdutils, 'vigil:package:sourceVersion')).toEqual(['2.38.1-5+deb12u3']);
    expect(props(bsdutils, 'vigil:package:arch')).toEqual(['amd64']);
    expect(props(bsdutils, 'vigil:metadata:installedSizeKib')).toEqual(['355']);
    expect(props(byName(bom, 'openssh-server'), 'vigil:package:inUse')).toEqual(['true']);
    expect(props(byName(bom, 'github.com/prometheus/node_exporter'), 'vigil:metadata:buildSettings:1')).toEqual(['CGO_ENABLED=0']);
    const lodash = byName(bom, 'lodash');
    expect(props(lodash, 'vigil:location:0:path')).toEqual(['/srv/shop/node_modules/lodash/package.json']);
    expect(props(lodash, 'vigil:location:1:path')).toEqual(['/srv/shop/package-lock.json']);
    for (const c of [bom.metadata, ...bom.components, ...(bom.services ?? [])]) {
      const names = (c.properties ?? []).map((p) => p.name);
      expect([...names].sort(comparePropertyNames)).toEqual(names);
    }
  });

  test('supplier comes from the maintainer or vendor, without the email in the name', () => {
    const bom = render(debianHost());
    expect(byName(bom, 'openssh-server').supplier).toEqual({
      name: 'Debian OpenSSH Maintainers',
      contact: [{ email: 'debian-ssh@lists.debian.org' }],
    });
    expect(byName(bom, 'org.apache.logging.log4j/log4j-core').supplier).toEqual({ name: 'The Apache Software Foundation' });
  });

  test('components are sorted by purl then location, the operating system last', () => {
    const bom = render(debianHost());
    const purls = bom.components.filter((c) => c.purl).map((c) => c.purl!);
    expect([...purls].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(purls);
    expect(bom.components.at(-1)).toMatchObject({
      'bom-ref': 'os:debian@12',
      type: 'operating-system',
      name: 'debian',
      version: '12',
      description: 'Debian GNU/Linux 12 (bookworm)',
      swid: { tagId: 'debian', name: 'debian', version: '12' },
    });
    expect(props(bom.components.at(-1), 'vigil:distro:versionCodename')).toEqual(['bookworm']);
  });

  test('metadata names the tool, the target, host facts, the kernel and every problem', () => {
    const bom = render(debianHost());
    expect(bom.metadata.timestamp).toBe('2026-03-02T09:15:27Z');
    expect(bom.metadata.tools.components).toEqual([{ type: 'application', name: 'vigil', version: '0.1.0' }]);
    expect(bom.metadata.component).toMatchObject({ type: 'operating-system', name: 'web-01' });
    expect(props(bom.metadata, 'vigil:kernel:running')).toEqual(['6.1.0-18-amd64']);
    expect(props(byName(bom, 'linux-image-6.1.0-18-amd64'), 'vigil:package:kernel')).toEqual(['running']);
    expect(props(byName(bom, 'linux-image-6.1.0-17-amd64'), 'vigil:package:kernel')).toEqual(['installed']);
    expect(props(bom.metadata, 'vigil:host:address:1')).toEqual(['fe80::5054:ff:fe12:3456']);
    const inv = debianHost();
    for (const [i, p] of [...inv.problems].sort((a, b) => (a.collector < b.collector ? -1 : 1)).entries()) {
      expect(props(bom.metadata, `vigil:problem:${i}:path`)).toEqual([p.path]);
      expect(props(bom.metadata, `vigil:problem:${i}:message`)).toEqual([p.message]);
      expect(props(bom.metadata, `vigil:problem:${i}:code`)).toEqual([p.code]);
    }
    expect(render(hostileRootfs()).metadata.component.type).toBe('container');
  });

  test('listening ports are services with a URI endpoint pointing at the owning component', () => {
    const bom = render(debianHost());
    const sshd = bom.services!.filter((s) => s.name === 'sshd');
    expect(sshd.map((s) => s.endpoints)).toEqual([['tcp://0.0.0.0:22'], ['tcp://[::]:22']]);
    const owner = byName(bom, 'openssh-server')['bom-ref'];
    for (const s of sshd) expect(props(s, 'vigil:port:component')).toEqual([owner]);
    expect(props(sshd[0], 'vigil:port:exposure')).toEqual(['any']);
    const chrony = bom.services!.find((s) => s.endpoints[0] === 'udp://127.0.0.1:323')!;
    expect(chrony.name).toBe('udp/323');
    expect(props(chrony, 'vigil:port:component')).toEqual([]);
    const zone = render(hostileRootfs()).services![0]!;
    expect(zone.endpoints).toEqual(['udp://[fe80::1]:546']);
    expect(props(zone, 'vigil:port:address')).toEqual(['fe80::1%eth0']);
  });

  test('the serial number is a UUID derived from the content, not the time', () => {
    const a = render(debianHost('2026-03-02T09:15:27Z'));
    const b = render(debianHost('2027-01-01T00:00:00Z'));
    expect(a.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.serialNumber).toBe(a.serialNumber);
    const changed = debianHost();
    changed.components[0]!.version = '1:2.38.1-5+deb12u4';
    expect(render(changed).serialNumber).not.toBe(a.serialNumber);
  });
});
