import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOsRelease } from '../../../src/inventory/collectors/os-release.js';
import { pacmanCollector } from '../../../src/inventory/collectors/pacman.js';
import { ownedFiles, parseSections, splitEntryName } from '../../../src/inventory/collectors/pacman.parse.js';
import { scan } from '../../../src/inventory/scan.js';
import { PKGDB, REPO, makeRoot, runCollector, silentLog, type TreeSpec } from '../../helpers/fixtures.js';

const FIX = path.join(PKGDB, 'pacman');
const LOCAL = 'var/lib/pacman/local';
const ARCH = { id: 'arch', distro: 'arch', name: 'Arch Linux', prettyName: 'Arch Linux' };
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

function rootWith(spec: TreeSpec): string {
  const r = makeRoot(spec);
  cleanups.push(r.cleanup);
  return r.root;
}

/** The real pacman (Debian's pacman-package-manager 6.0.2) on a root's local database; argv only, C locale. */
function pacman(root: string, ...args: string[]): string {
  return execFileSync('pacman', ['--root', root, '--dbpath', path.join(root, 'var/lib/pacman'), ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `pacman -Qi` as one record per package: the fields Vigil reads. */
function pacmanInfo(root: string): Array<{ name: string; version: string; arch: string; licenses: string[]; packager: string }> {
  return pacman(root, '-Qi')
    .trim()
    .split(/\n\n+/)
    .map((block) => {
      const f = new Map(block.split('\n').map((l) => [l.slice(0, 16).trim(), l.slice(18)] as const));
      return { name: f.get('Name')!, version: f.get('Version')!, arch: f.get('Architecture')!, licenses: f.get('Licenses')!.split('  '), packager: f.get('Packager')! };
    });
}

let built: string;
beforeAll(() => {
  built = execFileSync('bash', [path.join(REPO, 'scripts/fixtures/pacman-root.sh')], { encoding: 'utf8' }).trim();
}, 600_000);

describe('a local database written by the real pacman', () => {
  it('lists every package pacman -Q lists, with the architecture, licences and packager pacman -Qi shows', async () => {
    const { os } = await readOsRelease(built);
    expect(os).toMatchObject({ id: 'arch', distro: 'arch' });
    const res = await runCollector(pacmanCollector, built, { os });
    expect(res.problems).toEqual([]);
    const info = pacmanInfo(built);
    expect(info.map((p) => p.name)).toEqual(['bash', 'ca-certificates', 'systemd', 'systemd-libs', 'tzdata', 'zlib']);
    expect(res.components.map((c) => `${c.name} ${c.version}`).join('\n') + '\n').toBe(pacman(built, '-Q'));
    expect(res.components.map((c) => ({ name: c.name, version: c.version, arch: c.arch, licenses: c.licenses, packager: c.metadata?.maintainer }))).toEqual(
      info.map((p) => ({ name: p.name, version: p.version, arch: p.arch, licenses: p.licenses, packager: p.packager })),
    );
    const byName = new Map(res.components.map((c) => [c.name, c]));
    expect(byName.get('zlib')).toMatchObject({ ecosystem: 'alpm', version: '1:1.2.13-2', source: { name: 'zlib', version: '1:1.2.13-2' }, locations: ['/var/lib/pacman/local/zlib-1:1.2.13-2/desc'], foundBy: 'pacman' });
    expect(byName.get('zlib')!.purl).toBe('pkg:alpm/arch/zlib@1:1.2.13-2?arch=x86_64&distro=arch');
    // A split package names its pkgbase as the source package, and as upstream in the purl.
    expect(byName.get('systemd-libs')!.source).toEqual({ name: 'systemd', version: '253.4-1' });
    expect(byName.get('systemd-libs')!.purl).toBe('pkg:alpm/arch/systemd-libs@253.4-1?arch=x86_64&distro=arch&upstream=systemd');
    expect(byName.get('tzdata')!.purl).toBe('pkg:alpm/arch/tzdata@2023c-2.1?arch=any&distro=arch');
    expect(byName.get('tzdata')!.licenses).toEqual(['custom: public domain']);
  });

  it('gives every package the files pacman -Ql says it owns', async () => {
    const res = await runCollector(pacmanCollector, built, { os: ARCH });
    const { owners, problems } = await pacmanCollector.fileOwners!({ root: built, files: [], live: false, log: silentLog }, res.components);
    expect(problems).toEqual([]);
    const want = pacman(built, '-Ql')
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string])
      .filter(([, p]) => !p.endsWith('/'))
      .map(([name, p]) => `${p.slice(built.length)} ${name}`);
    expect([...owners].map(([p, c]) => `${p} ${c.name}`).sort()).toEqual(want.sort());
    expect(owners.get('/usr/bin/bash')?.name).toBe('bash');
    expect(owners.get('/usr/lib/libsystemd.so.0.36.0')?.name).toBe('systemd-libs');
    // keep selects what is held.
    const some = await pacmanCollector.fileOwners!({ root: built, files: [], live: false, log: silentLog }, res.components, (p) => p.startsWith('/usr/bin/'));
    expect([...some.owners.keys()].sort()).toEqual(['/usr/bin/bash', '/usr/bin/sh']);
  });

  it('is what a scan of the root reports for its OS packages', async () => {
    const inv = await scan({ root: built, noLive: true, log: silentLog });
    expect(inv.os).toMatchObject({ id: 'arch', distro: 'arch' });
    expect(inv.components.filter((c) => c.ecosystem === 'alpm').map((c) => c.name).sort()).toEqual(['bash', 'ca-certificates', 'systemd', 'systemd-libs', 'tzdata', 'zlib']);
    expect(inv.problems.filter((p) => p.collector === 'pacman')).toEqual([]);
  });
});

describe('public desc files of Arch packages', () => {
  // pacman opens a database only with its format version beside the packages (9 since pacman 4.2).
  const local = (dir: string, files: Record<string, string>): TreeSpec => ({
    [`${LOCAL}/ALPM_DB_VERSION`]: '9\n',
    ...Object.fromEntries(Object.entries(files).map(([f, src]) => [`${LOCAL}/${dir}/${f}`, { copy: path.join(FIX, src) }])),
  });

  it("syft's: gmp (with its files), tree-sitter and emacs read whole; fuzzy has no fields past its name and version", async () => {
    const root = rootWith({
      ...local('gmp-6.2.1-2', { desc: 'syft/gmp-6.2.1-2/desc', files: 'syft/gmp-6.2.1-2/files' }),
      ...local('tree-sitter-0.22.6-1', { desc: 'syft/tree-sitter-0.22.6-1/desc' }),
      ...local('emacs-29.3-3', { desc: 'syft/emacs-29.3-3/desc' }),
      ...local('fuzzy-1.2-3', { desc: 'syft/fuzzy-1.2-3/desc' }),
    });
    const res = await runCollector(pacmanCollector, root, { os: ARCH });
    expect(res.problems).toEqual([]);
    expect(res.components.map((c) => [c.purl, c.licenses, c.metadata?.maintainer])).toEqual([
      ['pkg:alpm/arch/emacs@29.3-3?arch=x86_64&distro=arch', ['GPL3'], 'Frederik Schwan <freswa@archlinux.org>'],
      ['pkg:alpm/arch/fuzzy@1.2-3?distro=arch', undefined, undefined],
      ['pkg:alpm/arch/gmp@6.2.1-2?arch=x86_64&distro=arch', ['LGPL3', 'GPL'], 'Antonio Rojas <arojas@archlinux.org>'],
      ['pkg:alpm/arch/tree-sitter@0.22.6-1?arch=x86_64&distro=arch', ['MIT'], 'Daniel M. Capella <polyzen@archlinux.org>'],
    ]);
    expect(res.components.map((c) => `${c.name} ${c.version}`).join('\n') + '\n').toBe(pacman(root, '-Q'));
    const { owners } = await pacmanCollector.fileOwners!({ root, files: [], live: false, log: silentLog }, res.components);
    expect([...owners.keys()].sort()).toEqual(pacman(root, '-Ql', 'gmp').trim().split('\n').map((l) => l.slice(`gmp ${root}`.length)).filter((p) => !p.endsWith('/')).sort());
  });

  it("syft's corrupt desc: the package is listed under its directory name, as pacman lists it, and each broken section is reported", async () => {
    const root = rootWith(local('corrupt-0.2.1-3', { desc: 'syft/corrupt-0.2.1-3/desc' }));
    const res = await runCollector(pacmanCollector, root, { os: ARCH });
    expect(res.components.map((c) => `${c.name} ${c.version}`).join('\n') + '\n').toBe(pacman(root, '-Q'));
    const path = '/var/lib/pacman/local/corrupt-0.2.1-3/desc';
    expect(res.problems.map((p) => [p.path, p.code, p.message])).toEqual([
      [path, 'malformed-record', 'line 4: "%VER.6-1" is neither a %KEY% line nor a value of one'],
      [path, 'malformed-record', '3 more lines outside any %KEY% section'],
      [path, 'malformed-record', "desc has no %NAME%; the package is listed under its directory name, as pacman lists it"],
      [path, 'malformed-record', "desc has no %VERSION%; the package is listed under its directory name, as pacman lists it"],
    ]);
    // %NME% is a key Vigil does not know, read as pacman reads it: skipped.
    expect(res.components[0]!.source).toEqual({ name: 'tree-sitter', version: '0.2.1-3' });
  });

  it("osv-scalibr's: a whole gawk desc, one cut after %VERSION%, one that ends in its dependencies", async () => {
    const run = async (file: string) => {
      const root = rootWith(local('gawk-5.3.1-1', { desc: `scalibr/${file}` }));
      const res = await runCollector(pacmanCollector, root, { os: ARCH });
      expect(res.components.map((c) => `${c.name} ${c.version}`).join('\n') + '\n').toBe(pacman(root, '-Q'));
      return { res, stderr: pacmanStderr(root) };
    };
    const desc = '/var/lib/pacman/local/gawk-5.3.1-1/desc';
    const valid = await run('valid');
    expect(valid.res.problems).toEqual([]);
    expect(valid.res.components[0]).toMatchObject({ arch: 'x86_64', licenses: ['GPL-3.0-or-later'], metadata: { maintainer: 'Tobias Powalowski <tpowa@archlinux.org>' } });
    expect(valid.stderr).toBe('');
    // pacman, reading the cut one, finds %VERSION% "mismatched"; Vigil says it has no value.
    const cut = await run('invalid_value_eof');
    expect(cut.res.problems.map((p) => [p.path, p.message])).toEqual([[desc, 'line 4: %VERSION% has no value']]);
    expect(cut.stderr).toMatch(/version mismatch on package gawk/);
    const deps = await run('eof_after_dependencies');
    expect(deps.res.problems).toEqual([]);
    expect(deps.res.components[0]!.arch).toBeUndefined();
  });

  it("syft's pacman files list: files only, directories and the %BACKUP% section left out", () => {
    const text = readFileSync(path.join(FIX, 'syft/pacman.files'), 'utf8');
    expect(ownedFiles(text)).toEqual(['/etc/makepkg.conf', '/etc/pacman.conf', '/usr/bin/makepkg', '/usr/bin/makepkg-template', '/usr/bin/pacman', '/usr/bin/pacman-conf']);
    expect(parseSections(text, 'files').sections.get('%BACKUP%')).toEqual(['etc/pacman.conf\tde541390e52468165b96511c4665bff4', 'etc/makepkg.conf\t79fce043df7dfc676ae5ecb903762d8b']);
  });
});

/** What pacman says on stderr when it reads every package's desc (-Qi); it exits 0 all the same. */
function pacmanStderr(root: string): string {
  const r = spawnSync('pacman', ['--root', root, '--dbpath', path.join(root, 'var/lib/pacman'), '-Qi'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  expect(r.status).toBe(0);
  return r.stderr;
}

describe('malformed local databases give clear problems and keep the good packages', () => {
  const good = '%NAME%\ngood\n\n%VERSION%\n1.0-1\n\n%ARCH%\nx86_64\n';
  const desc = (dir: string, text: string | Buffer) => ({ [`${LOCAL}/${dir}/desc`]: text });

  it('each case against what the real pacman -Q lists', async () => {
    const root = rootWith({
      [`${LOCAL}/ALPM_DB_VERSION`]: '9\n',
      ...desc('good-1.0-1', good),
      ...desc('nover-1.0-1', '%NAME%\nnover\n\n%ARCH%\nx86_64\n'),
      ...desc('mismatch-1.0-1', '%NAME%\nother\n\n%VERSION%\n2.0-1\n'),
      ...desc('empty-1.0-1', ''),
      ...desc('garbage-1.0-1', Buffer.from([0x25, 0x4e, 0x00, 0x01, 0xff, 0xfe, 0x0a, 0x89, 0x50, 0x4e, 0x47])),
      ...desc('huge-1.0-1', `%NAME%\nhuge\n\n%VERSION%\n1.0-1\n\n%DESC%\n${'x'.repeat(2 * 1024 * 1024)}\n`),
      ...desc('longvalue-1.0-1', `%NAME%\nlongvalue\n\n%VERSION%\n1.0-1\n\n%LICENSE%\n${'L'.repeat(10_000)}\nMIT\n`),
      ...desc('dup-1.0-1', '%NAME%\ndup\n\n%VERSION%\n1.0-1\n'),
      ...desc('dup-2.0-1', '%NAME%\ndup\n\n%VERSION%\n2.0-1\n'),
      ...desc('crlf-1.0-1', '%NAME%\r\ncrlf\r\n\r\n%VERSION%\r\n1.0-1\r\n\r\n%ARCH%\r\nx86_64\r\n'),
      ...desc('badname-1.0', '%NAME%\nbadname\n'),
      ...desc('-1.0-1', '%NAME%\n\n'),
      ...desc('ho$(id)stile-1.0-1', '%NAME%\nho$(id)stile\n\n%VERSION%\n1.0-1\n'),
      ...desc('semi-1.0;id-1', '%NAME%\nsemi\n'),
      ...desc('hostilebase-1.0-1', '%NAME%\nhostilebase\n\n%VERSION%\n1.0-1\n\n%BASE%\n../$(id)\n\n%ARCH%\nx86 64\n'),
      [`${LOCAL}/nodesc-1.0-1/files`]: '%FILES%\nusr/bin/x\n',
      [`${LOCAL}/stray-1.0-1`]: 'a file, not a package\n',
    });
    const res = await runCollector(pacmanCollector, root, { os: ARCH });
    const listed = pacman(root, '-Q').trim().split('\n');
    // Vigil lists what pacman lists, except the names and versions no package makepkg builds carries.
    const refused = ['ho$(id)stile 1.0-1', 'semi 1.0;id-1'];
    expect(listed).toEqual(expect.arrayContaining(refused));
    // and both of two entries for one name, of which pacman keeps the first its readdir returns.
    const dups = ['dup 1.0-1', 'dup 2.0-1'];
    expect(listed.filter((l) => dups.includes(l))).toHaveLength(1);
    expect(res.components.map((c) => `${c.name} ${c.version}`)).toEqual([...listed.filter((l) => !refused.includes(l) && !dups.includes(l)), ...dups].sort());
    const at = (dir: string) => res.problems.filter((p) => p.path.startsWith(`/var/lib/pacman/local/${dir}`)).map((p) => `${p.code}: ${p.message}`);
    expect(at('good-')).toEqual([]);
    expect(at('dup-')).toEqual(['malformed-record: duplicated database entry: dup is also installed as dup-1.0-1; pacman lists only one of them, Vigil both']);
    expect(pacmanStderr(root)).toMatch(/duplicated database entry 'dup'/);
    expect(at('crlf-')).toEqual([]);
    expect(res.components.find((c) => c.name === 'crlf')!.arch).toBe('x86_64');
    expect(at('nover-')).toEqual(['malformed-record: desc has no %VERSION%; the package is listed under its directory name, as pacman lists it']);
    expect(at('mismatch-')).toEqual([
      `malformed-record: the database is inconsistent: desc's %NAME% "other" is not the directory's "mismatch"; listed under the directory's, as pacman lists it`,
      `malformed-record: the database is inconsistent: desc's %VERSION% "2.0-1" is not the directory's "1.0-1"; listed under the directory's, as pacman lists it`,
    ]);
    expect(at('empty-')).toEqual([
      'malformed-record: desc has no %NAME%; the package is listed under its directory name, as pacman lists it',
      'malformed-record: desc has no %VERSION%; the package is listed under its directory name, as pacman lists it',
    ]);
    expect(at('garbage-')).toEqual(['malformed-record: desc holds binary data (a NUL byte at offset 2)']);
    expect(at('huge-')).toEqual(['too-large: file is 2097190 bytes, over the 1048576-byte limit']);
    expect(at('longvalue-')).toEqual(['malformed-record: line 8: a value of %LICENSE% longer than 8192 characters']);
    expect(res.components.find((c) => c.name === 'longvalue')!.licenses).toEqual(['MIT']);
    expect(at('badname-')).toEqual(['malformed-record: invalid name for database entry "badname-1.0": not NAME-PKGVER-PKGREL']);
    expect(at('-1.0-1')).toEqual(['malformed-record: invalid name for database entry "-1.0-1": not NAME-PKGVER-PKGREL']);
    expect(at('ho$(id)stile-')).toEqual(['malformed-record: database entry not read: package name "ho$(id)stile" has characters makepkg does not allow']);
    expect(at('semi-')).toEqual(['malformed-record: database entry not read: version "1.0;id-1" contains ";" at offset 3, which no Arch package carries']);
    // A hostile pkgbase or architecture is not repeated into the purl.
    const hb = res.components.find((c) => c.name === 'hostilebase')!;
    expect([hb.purl, hb.source, hb.arch]).toEqual(['pkg:alpm/arch/hostilebase@1.0-1?distro=arch', { name: 'hostilebase', version: '1.0-1' }, undefined]);
    expect(at('nodesc-')).toEqual(['unreadable: the package has no desc file (pacman cannot read its details either); listed under its directory name']);
    expect(at('stray-')).toEqual([]);
    expect(pacmanStderr(root)).toMatch(/could not open file .*nodesc-1\.0-1\/desc/);
  });

  it('a root without a pacman database, or with a file in its place, gives nothing and no problem', async () => {
    const none = await runCollector(pacmanCollector, rootWith({ 'etc/os-release': 'ID=arch\n' }));
    expect(none).toEqual({ components: [], problems: [] });
    expect(await runCollector(pacmanCollector, rootWith({ [LOCAL]: 'not a directory' }))).toEqual({ components: [], problems: [] });
  });

  it('splits directory names as _alpm_splitname does', () => {
    expect(splitEntryName('zlib-1:1.2.13-2')).toEqual({ name: 'zlib', version: '1:1.2.13-2' });
    expect(splitEntryName('python-foo-bar-1.0-1.1')).toEqual({ name: 'python-foo-bar', version: '1.0-1.1' });
    expect(splitEntryName('a-b')).toBeUndefined();
    expect(splitEntryName('-1-1')).toBeUndefined();
  });

  it('reads a desc of 10,000 licence lines and 10,000 sections without trouble, up to its limits', () => {
    const many = `%LICENSE%\n${'MIT\n'.repeat(10_000)}\n` + Array.from({ length: 10_000 }, (_, i) => `%K${i}%\nv\n`).join('\n');
    const r = parseSections(many);
    expect(r.sections.get('%LICENSE%')!.length).toBe(4096);
    expect(r.errors).toEqual(['%LICENSE%: 5904 values over the limit of 4096 not read']);
    expect(r.sections.size).toBe(10_001);
  });
});
