import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apkCollector } from '../../../src/inventory/collectors/apk.js';
import { PKGDB, makeRoot, runCollector, silentLog } from '../../helpers/fixtures.js';

interface ApkExpected {
  packages: Array<{ name?: string; version?: string; arch?: string; origin?: string; license?: string }>;
}

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));
const ALPINE = { id: 'alpine', versionId: '3.19.1', distro: 'alpine-3.19.1' };

function rootWith(content: string | Buffer | { copy: string }) {
  const r = makeRoot({ 'lib/apk/db/installed': content });
  cleanups.push(r.cleanup);
  return r.root;
}

describe('apk installed databases parse to their expectations', () => {
  it.each(['syft-multiple-1', 'syft-multiple-2', 'syft-corrupt', 'trivy-apk'])('%s', async (name) => {
    const exp = JSON.parse(readFileSync(path.join(PKGDB, 'apk', name, 'expected.json'), 'utf8')) as ApkExpected;
    const root = rootWith({ copy: path.join(PKGDB, 'apk', name, 'installed') });
    const res = await runCollector(apkCollector, root, { os: ALPINE });
    const complete = exp.packages.filter((p) => p.name && p.version);
    expect(res.components.map((c) => ({ name: c.name, version: c.version, arch: c.arch, origin: c.source?.name, license: c.licenses?.[0] }))).toEqual(
      complete.map((p) => ({ name: p.name, version: p.version, arch: p.arch, origin: p.origin ?? p.name, license: p.license })),
    );
    // Records without a name or version are reported, not dropped silently.
    expect(res.problems.length).toBe(exp.packages.length - complete.length + (name === 'syft-corrupt' ? 1 : 0));
  });

  it('writes apk purls with origin as upstream and the distro', async () => {
    const root = rootWith({ copy: path.join(PKGDB, 'apk/syft-multiple-2/installed') });
    const res = await runCollector(apkCollector, root, { os: ALPINE });
    const data = res.components.find((c) => c.name === 'alpine-baselayout-data')!;
    expect(data.purl).toBe('pkg:apk/alpine/alpine-baselayout-data@3.2.0-r22?arch=x86_64&distro=alpine-3.19.1&upstream=alpine-baselayout');
  });

  it('maps owned files from F:/R: lines', async () => {
    const root = rootWith({ copy: path.join(PKGDB, 'apk/syft-multiple-2/installed') });
    const res = await runCollector(apkCollector, root);
    const owners = await apkCollector.fileOwners!({ root, files: [], live: false, log: silentLog }, res.components);
    expect(owners.owners.get('/etc/fstab')?.name).toBe('alpine-baselayout-data');
  });
});

describe('malformed apk databases give clear problems and keep the good records', () => {
  const good = 'P:good\nV:1.0-r0\nA:x86_64\no:good\n\n';
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['a truncated record', good + 'P:cut\n', /cut has no version/],
    ['binary garbage', Buffer.concat([Buffer.from(good), Buffer.from([0xff, 0xfe, 0, 1, 2])]), /binary data/],
    ['a huge field', good + `P:huge\nV:1.0-r0\nD:${'x'.repeat(70_000)}\n`, /longer than/],
    ['a record without a name', good + 'V:1.0\n', /without a package name/],
    ['a shell-metacharacter name', good + 'P:a;reboot\nV:1\n', /invalid package name "a;reboot"/],
    ['a traversal in owned files', good + 'P:evil\nV:1\nF:etc\nR:../../shadow\n', /^$/],
    ['a backtick version', good + 'P:tick\nV:`id`\n', /invalid version/],
  ];
  it.each(cases)('%s', async (label, content, message) => {
    const root = rootWith(content);
    const res = await runCollector(apkCollector, root);
    expect(res.components[0]!.name).toBe('good');
    if (label.includes('traversal')) {
      const owners = await apkCollector.fileOwners!({ root, files: [], live: false, log: silentLog }, res.components);
      expect([...owners.owners.keys()].some((p) => p.includes('..'))).toBe(false);
      return;
    }
    expect(res.components).toHaveLength(1);
    expect(res.problems).toHaveLength(1);
    expect(res.problems[0]!.message).toMatch(message);
  });
});
