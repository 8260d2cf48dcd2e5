import { describe, expect, test } from 'vitest';
import type { Inventory } from '../../../src/common/model.js';
import { licenseRefsIn, parseLicenseExpression } from '../../../src/inventory/sbom/licenses.js';
import { renderSpdx } from '../../../src/inventory/sbom/spdx.js';
import { validateSpdx } from '../../helpers/schemas.js';
import { debianHost, hostileRootfs } from './inventories.js';
import { expectGolden } from '../../helpers/golden.js';

interface Annotation {
  annotationDate: string;
  annotationType: string;
  annotator: string;
  comment: string;
}
interface Pkg {
  name: string;
  SPDXID: string;
  versionInfo?: string;
  supplier?: string;
  originator?: string;
  downloadLocation: string;
  filesAnalyzed: boolean;
  sourceInfo?: string;
  licenseConcluded: string;
  licenseDeclared: string;
  externalRefs?: Array<{ referenceCategory: string; referenceType: string; referenceLocator: string }>;
  primaryPackagePurpose?: string;
  description?: string;
  comment?: string;
  annotations?: Annotation[];
}
interface Doc {
  spdxVersion: string;
  dataLicense: string;
  SPDXID: string;
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[]; licenseListVersion: string };
  annotations?: Annotation[];
  packages: Pkg[];
  hasExtractedLicensingInfos?: Array<{ licenseId: string; extractedText: string; name: string }>;
  relationships: Array<{ spdxElementId: string; relatedSpdxElement: string; relationshipType: string }>;
}

const render = (inv: Inventory): Doc => JSON.parse(renderSpdx(inv)) as Doc;
const pkg = (doc: Doc, name: string): Pkg => {
  const found = doc.packages.find((p) => p.name === name);
  if (!found) throw new Error(`no package ${name}`);
  return found;
};

describe('SPDX 2.3 output', () => {
  test('a Debian host inventory validates against the official schema', () => {
    expect(validateSpdx(render(debianHost()))).toEqual([]);
  });

  test('hostile names, licenses and paths still validate', () => {
    expect(validateSpdx(render(hostileRootfs()))).toEqual([]);
  });

  test('matches the golden file', async () => {
    await expectGolden(renderSpdx(debianHost()), new URL('./__golden__/debian-host.spdx.json', import.meta.url));
  });

  test('document header: version, data license, tool creator, seconds-precision creation time', () => {
    const doc = render(debianHost());
    expect(doc).toMatchObject({ spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', SPDXID: 'SPDXRef-DOCUMENT', name: 'web-01' });
    expect(doc.creationInfo).toEqual({ licenseListVersion: '3.28', creators: ['Tool: vigil-0.1.0'], created: '2026-03-02T09:15:27Z' });
  });

  test('the namespace is a URI under vigil, stable across scan times, new when the content changes', () => {
    const a = render(debianHost('2026-03-02T09:15:27Z')).documentNamespace;
    expect(a).toMatch(/^https:\/\/vigil\.invalid\/spdx\/host\/web-01-[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(render(debianHost('2027-01-01T00:00:00Z')).documentNamespace).toBe(a);
    const changed = debianHost();
    changed.components.pop();
    expect(render(changed).documentNamespace).not.toBe(a);
    const hostile = render(hostileRootfs()).documentNamespace;
    expect(hostile).not.toMatch(/[#\s"$()]/);
  });

  test('SPDX ids use only letters, digits, . and -, are unique, and every relationship end exists', () => {
    for (const doc of [render(debianHost()), render(hostileRootfs())]) {
      const ids = doc.packages.map((p) => p.SPDXID);
      for (const id of ids) expect(id).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
      expect(new Set(ids).size).toBe(ids.length);
      const known = new Set([...ids, 'SPDXRef-DOCUMENT']);
      for (const r of doc.relationships) {
        expect(known.has(r.spdxElementId)).toBe(true);
        expect(known.has(r.relatedSpdxElement)).toBe(true);
      }
    }
  });

  test('the document DESCRIBES the target, which CONTAINS every other package including the OS', () => {
    const doc = render(debianHost());
    const root = doc.packages.at(-1)!;
    expect(root).toMatchObject({ SPDXID: 'SPDXRef-DocumentRoot-Host-web-01', name: 'web-01', primaryPackagePurpose: 'OPERATING_SYSTEM' });
    expect(doc.relationships.filter((r) => r.relationshipType === 'DESCRIBES')).toEqual([
      { spdxElementId: 'SPDXRef-DOCUMENT', relatedSpdxElement: root.SPDXID, relationshipType: 'DESCRIBES' },
    ]);
    const contained = doc.relationships.filter((r) => r.relationshipType === 'CONTAINS');
    expect(contained.every((r) => r.spdxElementId === root.SPDXID)).toBe(true);
    expect(contained.map((r) => r.relatedSpdxElement)).toEqual(doc.packages.slice(0, -1).map((p) => p.SPDXID));
    expect(pkg(doc, 'debian')).toMatchObject({
      SPDXID: 'SPDXRef-OperatingSystem-debian-12',
      versionInfo: '12',
      description: 'Debian GNU/Linux 12 (bookworm)',
      primaryPackagePurpose: 'OPERATING_SYSTEM',
    });
    expect(render(hostileRootfs()).packages.at(-1)!.primaryPackagePurpose).toBe('CONTAINER');
  });

  test('packages carry version, purl, supplier, source info and the fixed NOASSERTION fields', () => {
    const doc = render(debianHost());
    expect(pkg(doc, 'bsdutils')).toMatchObject({
      SPDXID: expect.stringMatching(/^SPDXRef-Package-deb-bsdutils-[0-9a-f]{16}$/),
      versionInfo: '1:2.38.1-5+deb12u3',
      supplier: 'Person: util-linux packagers (util-linux@packages.debian.org)',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      sourceInfo: 'source package util-linux 2.38.1-5+deb12u3; found by dpkg in /var/lib/dpkg/status',
      primaryPackagePurpose: 'LIBRARY',
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator: 'pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12&upstream=util-linux%402.38.1-5%2Bdeb12u3',
        },
      ],
    });
    expect(pkg(doc, 'log4j-core').supplier).toBe('Organization: The Apache Software Foundation');
    expect(pkg(doc, 'lodash')).toMatchObject({
      supplier: 'NOASSERTION',
      originator: 'Person: John-David Dalton (john.david.dalton@gmail.com)',
      sourceInfo: 'found by npm-installed in /srv/shop/node_modules/lodash/package.json, /srv/shop/package-lock.json',
    });
    const rpm = render(hostileRootfs());
    expect(pkg(rpm, 'openssl-libs').versionInfo).toBe('1:3.0.7-27.el9');
    expect(pkg(rpm, 'evil;rm -rf /').primaryPackagePurpose).toBe('APPLICATION');
  });

  test('licenseDeclared is one valid expression; every LicenseRef is defined exactly once and used', () => {
    for (const doc of [render(debianHost()), render(hostileRootfs())]) {
      const used = new Set<string>();
      for (const p of doc.packages) {
        if (p.licenseDeclared === 'NOASSERTION') continue;
        const tree = parseLicenseExpression(p.licenseDeclared);
        expect(tree, p.licenseDeclared).toBeDefined();
        for (const ref of licenseRefsIn(tree!)) used.add(ref);
      }
      const defined = (doc.hasExtractedLicensingInfos ?? []).map((l) => l.licenseId);
      expect(new Set(defined).size).toBe(defined.length);
      expect([...used].sort()).toEqual([...defined].sort());
    }
    const doc = render(debianHost());
    expect(pkg(doc, 'bsdutils').licenseDeclared).toMatch(/^BSD-4-Clause AND GPL-2\.0\+ AND LGPL-2\.1\+ AND LicenseRef-public-domain-[0-9a-f]{8}$/);
    expect(pkg(doc, 'cryptography').licenseDeclared).toBe('Apache-2.0 OR BSD-3-Clause');
    expect(pkg(doc, 'base-files').licenseDeclared).toBe('NOASSERTION');
    const idna = pkg(doc, 'idna').licenseDeclared;
    expect(doc.hasExtractedLicensingInfos).toContainEqual({ licenseId: idna, extractedText: 'BSD License', name: 'BSD License' });
    const odd = render(hostileRootfs());
    expect(pkg(odd, 'with-exception').licenseDeclared).toBe('GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT');
    expect(pkg(odd, 'unknown-license').licenseDeclared).toBe('NOASSERTION');
  });

  test('problems, ports and the kernel become annotations instead of being dropped', () => {
    const doc = render(debianHost());
    expect(doc.annotations?.map((a) => a.comment)).toEqual([
      'problem corrupt in java at /opt/billing/lib/corrupt.jar: zip: end of central directory not found',
      'problem malformed-record in python at /usr/lib/python3/dist-packages/broken-1.0.dist-info/METADATA: no Version field',
    ]);
    for (const a of doc.annotations!) expect(a).toMatchObject({ annotationType: 'OTHER', annotator: 'Tool: vigil-0.1.0', annotationDate: '2026-03-02T09:15:27Z' });
    expect(pkg(doc, 'openssh-server').annotations?.map((a) => a.comment)).toEqual([
      'listening tcp 0.0.0.0:22 exposure any by sshd pid 612 /usr/sbin/sshd',
      'listening tcp6 :::22 exposure any by sshd pid 612 /usr/sbin/sshd',
    ]);
    expect(pkg(doc, 'linux-image-6.1.0-18-amd64').annotations?.map((a) => a.comment)).toEqual([
      'running kernel 6.1.0-18-amd64',
      'installed kernel package',
    ]);
    // A socket whose package is unknown is noted on the target itself.
    const root = doc.packages.at(-1)!;
    expect(root.annotations?.map((a) => a.comment)).toContain('listening tcp 10.0.4.21:9100 exposure private by node_exporter pid 733 /usr/local/bin/node_exporter');
    expect(root.comment).toContain('host web-01');
    const hostile = render(hostileRootfs());
    expect(hostile.annotations?.map((a) => a.comment)).toContain('problem unsupported in rpm at /var/lib/rpm/Packages: BerkeleyDB hash "v10" not supported; <script>');
  });
});
