import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dpkgCollector } from '../../../src/inventory/collectors/dpkg.js';
import { parseDpkgStatus } from '../../../src/inventory/collectors/dpkg.parse.js';
import type { Component } from '../../../src/common/model.js';
import { DEBIAN_12, PKGDB, makeRoot, runCollector, silentLog } from '../../helpers/fixtures.js';

interface DpkgExpected {
  dpkg_query_exit_code: number;
  packages: Array<{ name: string; version: string; architecture: string; status_abbrev: string; source: string; source_version: string }>;
  lenient_reading: { packages: Array<{ name: string; version: string; architecture: string | null; status: string | null; source: string | null }> };
}

interface Row {
  name: string;
  version: string;
  arch: string | null;
  source: string;
  sourceVersion?: string;
}

function rows(components: Component[], withSourceVersion: boolean): Row[] {
  return components
    .map((c) => {
      const r: Row = { name: c.name, version: c.version, arch: c.arch ?? null, source: c.source!.name };
      if (withSourceVersion) r.sourceVersion = c.source!.version!;
      return r;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * What Vigil must report for a fixture: dpkg's own reading of a `status` file when
 * dpkg accepts it; otherwise (and for distroless `status.d` entries, which dpkg
 * never reads) the stanza-by-stanza reading, keeping installed packages, where a
 * status.d entry without Status counts as installed.
 */
function expectedRows(exp: DpkgExpected, statusD: boolean): Row[] {
  if (!statusD && exp.dpkg_query_exit_code === 0) {
    return exp.packages
      .filter((p) => p.status_abbrev === 'ii')
      .map((p) => ({ name: p.name, version: p.version, arch: p.architecture || null, source: p.source, sourceVersion: p.source_version }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  return exp.lenient_reading.packages
    .filter((p) => (p.status === null ? statusD : p.status.split(' ')[2] === 'installed'))
    .map((p) => ({ name: p.name, version: p.version, arch: p.architecture, source: (p.source ?? p.name).replace(/\s*\(.*\)$/, '') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

function rootWith(rel: string, fixture: string) {
  const r = makeRoot({ [rel]: { copy: fixture } });
  cleanups.push(r.cleanup);
  return r.root;
}

describe('dpkg status files parse to what dpkg-query reports', () => {
  const fixtures = ['debian12-minbase-status', 'dpkg/trivy-valid-status', 'dpkg/syft-image-dpkg-status'];
  it.each(fixtures)('%s', async (name) => {
    const exp = JSON.parse(readFileSync(path.join(PKGDB, `${name}.expected.json`), 'utf8')) as DpkgExpected;
    const root = rootWith('var/lib/dpkg/status', path.join(PKGDB, name));
    const res = await runCollector(dpkgCollector, root, { os: DEBIAN_12 });
    const strict = exp.dpkg_query_exit_code === 0;
    expect(rows(res.components, strict)).toEqual(expectedRows(exp, false));
    if (strict) expect(res.problems).toEqual([]);
    else expect(res.problems.length).toBeGreaterThan(0);
  });
});

describe('distroless status.d entries parse to their expectations', () => {
  const dirs = ['dpkg/syft-status.d', 'dpkg/distroless-status.d', 'dpkg/scalibr-status.d'];
  const cases = dirs.flatMap((d) =>
    readdirSync(path.join(PKGDB, d))
      .filter((f) => !f.endsWith('.json') && !f.endsWith('.md5sums'))
      .map((f) => `${d}/${f}`),
  );
  it.each(cases)('%s', async (name) => {
    const exp = JSON.parse(readFileSync(path.join(PKGDB, `${name}.expected.json`), 'utf8')) as DpkgExpected;
    const root = rootWith(`var/lib/dpkg/status.d/${path.basename(name)}`, path.join(PKGDB, name));
    const res = await runCollector(dpkgCollector, root, { os: DEBIAN_12 });
    expect(rows(res.components, false).map(({ sourceVersion: _, ...r }) => r)).toEqual(expectedRows(exp, true));
  });

  it('maps a distroless package to the files in its md5sums', async () => {
    const { root, cleanup } = makeRoot({
      'var/lib/dpkg/status.d/libsqlite3-0': { copy: path.join(PKGDB, 'dpkg/distroless-status.d/libsqlite3-0') },
      'var/lib/dpkg/status.d/libsqlite3-0.md5sums': { copy: path.join(PKGDB, 'dpkg/distroless-status.d/libsqlite3-0.md5sums') },
    });
    cleanups.push(cleanup);
    const res = await runCollector(dpkgCollector, root);
    const owners = await dpkgCollector.fileOwners!({ root, files: [], live: false, log: silentLog }, res.components);
    const paths = [...owners.owners.keys()];
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => p.startsWith('/usr/'))).toBe(true);
    expect(owners.owners.get(paths[0]!)?.name).toBe('libsqlite3-0');
  });
});

describe('dpkg package urls follow the purl spec and Syft conventions', () => {
  it('carries arch, distro and upstream with the source version when it differs', async () => {
    const root = rootWith('var/lib/dpkg/status', path.join(PKGDB, 'debian12-minbase-status'));
    const res = await runCollector(dpkgCollector, root, { os: DEBIAN_12 });
    const by = (n: string) => res.components.find((c) => c.name === n)!;
    expect(by('bsdutils').purl).toBe('pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12&upstream=util-linux%402.38.1-5%2Bdeb12u3');
    expect(by('bash').purl).toBe('pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12&upstream=bash%405.2.15-2');
    expect(by('apt').purl).toBe('pkg:deb/debian/apt@2.6.1?arch=amd64&distro=debian-12');
    expect(by('libc6').source).toEqual({ name: 'glibc', version: by('libc6').version });
    expect(by('adduser').locations).toEqual(['/var/lib/dpkg/status']);
  });
});

describe('malformed dpkg databases give clear problems and keep the good stanzas', () => {
  const good = 'Package: good\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\n';
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['a stanza cut off in the middle', good + 'Package: cut\nStatus: install ok inst', /cut has no version/],
    ['binary garbage', Buffer.concat([Buffer.from(good), Buffer.from([0, 1, 2, 255, 254, 0, 10])]), /binary data/],
    ['a huge field', good + `Package: huge\nStatus: install ok installed\nVersion: 1.${'9'.repeat(70_000)}\n\n`, /longer than/],
    ['a stanza without a package name', good + 'Status: install ok installed\nVersion: 2\n\n', /without a package name/],
    ['a shell-metacharacter name', good + 'Package: foo;rm -rf /\nStatus: install ok installed\nVersion: 1\n\n', /invalid package name "foo;rm -rf \/"/],
    ['a path-traversal name', good + 'Package: ../../../etc/passwd\nStatus: install ok installed\nVersion: 1\n\n', /invalid package name/],
    ['a command-substitution version', good + 'Package: sub\nStatus: install ok installed\nVersion: $(id)\n\n', /invalid version "\$\(id\)"/],
    ['a line without a colon', good + 'Package: nocolon\nVersion: 1\nthis line has no colon\n\n', /must be followed by a colon/],
  ];
  it.each(cases)('%s', async (_label, content, message) => {
    const { root, cleanup } = makeRoot({ 'var/lib/dpkg/status': content });
    cleanups.push(cleanup);
    const res = await runCollector(dpkgCollector, root);
    expect(res.components.map((c) => c.name)).toEqual(['good']);
    expect(res.problems).toHaveLength(1);
    expect(res.problems[0]!.path).toBe('/var/lib/dpkg/status');
    expect(res.problems[0]!.message).toMatch(message);
  });

  it('never reads a file list outside the dpkg info directory', async () => {
    const records = parseDpkgStatus('Package: ../../etc/shadow\nStatus: install ok installed\nVersion: 1\n').records;
    expect(records).toEqual([]);
  });

  it('reports an unreadable status file and still reads status.d', async () => {
    const { root, cleanup } = makeRoot({
      'var/lib/dpkg/status/not-a-file': 'x',
      'var/lib/dpkg/status.d/single': { copy: path.join(PKGDB, 'dpkg/syft-status.d/single') },
    });
    cleanups.push(cleanup);
    const res = await runCollector(dpkgCollector, root);
    expect(res.components.map((c) => c.name)).toEqual(['apt']);
    expect(res.problems.map((p) => p.path)).toEqual(['/var/lib/dpkg/status']);
  });
});

describe('the dpkg database of this machine', () => {
  it('lists exactly the packages dpkg-query reports as installed', async () => {
    const out = execFileSync('dpkg-query', ['-W', '-f', '${db:Status-Status}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const expected = out
      .split('\n')
      .filter((l) => l.startsWith('installed\t'))
      .map((l) => l.split('\t').slice(1).join('\t'))
      .sort();
    const res = await runCollector(dpkgCollector, '/');
    const got = res.components.map((c) => [c.name, c.version, c.arch ?? '', c.source!.name, c.source!.version].join('\t')).sort();
    expect(got).toEqual(expected);
    expect(expected.length).toBeGreaterThan(50);
  });

  it('knows which package owns /usr/bin/dpkg', async () => {
    const res = await runCollector(dpkgCollector, '/');
    const owners = await dpkgCollector.fileOwners!({ root: '/', files: [], live: true, log: silentLog }, res.components);
    expect(owners.owners.get('/usr/bin/dpkg')?.name).toBe('dpkg');
    expect(owners.problems).toEqual([]);
  });
});
