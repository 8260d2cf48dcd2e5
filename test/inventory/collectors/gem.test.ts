import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../../src/advisories/feeds.js';
import type { Component } from '../../../src/common/model.js';
import { lookupTargets } from '../../../src/ecosystems/index.js';
import type { Collector } from '../../../src/inventory/collector.js';
import { gemInstalledCollector, MAX_GEMSPEC_BYTES } from '../../../src/inventory/collectors/gem-installed.js';
import { gemfileLockCollector, MAX_GEMFILE_LOCK_BYTES } from '../../../src/inventory/collectors/gemfile-lock.js';
import { parseGemfileLock } from '../../../src/inventory/collectors/gemfile-lock.parse.js';
import { parseGemspec } from '../../../src/inventory/collectors/gemspec.parse.js';
import { scan } from '../../../src/inventory/scan.js';
import { walk } from '../../../src/inventory/walk.js';
import { matchInventory } from '../../../src/matcher/match.js';
import { remediation, remediationPlan } from '../../../src/matcher/remediation.js';
import { SqliteAdvisoryStore } from '../../../src/store/sqlite-advisories.js';
import { FIXTURES, PKGDB, makeRoot, runCollector, silentLog, tempDir } from '../../helpers/fixtures.js';

const GEM = path.join(PKGDB, 'gem');
const fixture = (rel: string): string => readFileSync(path.join(GEM, rel), 'utf8');
const LOCKFILES = ['rails/Gemfile.lock', 'trivy/Gemfile_normal.lock', 'trivy/Gemfile_bundler2.lock'];
const SPECS = path.join(GEM, 'debian12-specifications');
const GEMSPECS = [
  ...['normal01', 'license', 'multiple_licenses', 'malformed00', 'malformed01'].map((n) => `trivy-gemspec/${n}.gemspec`),
  ...['rexml-3.2.5', 'rake-13.0.6', 'sdbm-1.0.0', 'default/json-2.6.1', 'default/bundler-2.3.7'].map((n) => `debian12-specifications/${n}.gemspec`),
];

const hasRuby = spawnSync('ruby', ['-rbundler', '-e', ''], { stdio: 'ignore' }).status === 0;
const ruby = (script: string, args: string[], env: NodeJS.ProcessEnv = process.env): string => execFileSync('ruby', ['-rjson', '-e', script, ...args], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });

/** Bundler's own reading: one row per locked spec, its platform as Gem::Platform writes it. */
const BUNDLER_READER = `require 'bundler'
out = {}
ARGV.each { |f| out[f] = Bundler::LockfileParser.new(File.read(f)).specs.map { |s| [s.name, s.version.to_s, s.platform.to_s, s.source.class.name.split('::').last.downcase].join(' ') } }
puts JSON.generate(out)`;

describe('Gemfile.lock parser', () => {
  it('reads rails’ lockfile: GIT, PATH and GEM sections, platform variants as one gem, direct dependencies', () => {
    const res = parseGemfileLock(fixture('rails/Gemfile.lock'));
    expect(res.errors).toEqual([]);
    expect(res.bundledWith).toBe('2.5.16');
    expect(res.specs).toHaveLength(232);
    const kinds = res.specs.reduce<Record<string, number>>((n, s) => ({ ...n, [s.source]: (n[s.source] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ git: 3, path: 13, rubygems: 216 });
    expect(res.specs.find((s) => s.name === 'nokogiri')).toMatchObject({ version: '1.16.7', platforms: ['ruby', 'x86_64-darwin', 'x86_64-linux'], source: 'rubygems', remotes: ['https://rubygems.org/'], direct: true });
    expect(res.specs.find((s) => s.name === 'ffi')!.platforms).toEqual(['ruby', 'x86_64-darwin', 'x86_64-linux-gnu']);
    expect(res.specs.find((s) => s.name === 'sdoc')).toMatchObject({ version: '3.0.0.alpha', source: 'git', remotes: ['https://github.com/rails/sdoc.git'], revision: 'e9bb867eba81f48c402a129e688e810ec1fa387c', direct: true });
    expect(res.specs.find((s) => s.name === 'rails')).toMatchObject({ version: '8.0.0.alpha', source: 'path', remotes: ['.'], direct: true });
    expect(res.specs.find((s) => s.name === 'rexml')).toMatchObject({ version: '3.2.6', direct: true, line: expect.any(Number) });
    expect(res.specs.find((s) => s.name === 'crass')).toMatchObject({ direct: false });
  });

  it.skipIf(!hasRuby)('reads every lockfile fixture as Bundler’s LockfileParser does', () => {
    const { dir, cleanup } = tempDir('vigil-bundler-');
    try {
      // Bundler wants a Gemfile to exist before it reads a lockfile; an empty one will do.
      writeFileSync(path.join(dir, 'Gemfile'), '');
      const files = LOCKFILES.map((f) => path.join(GEM, f));
      const bundler = JSON.parse(ruby(BUNDLER_READER, files, { ...process.env, BUNDLE_GEMFILE: path.join(dir, 'Gemfile') })) as Record<string, string[]>;
      const parsed = files.map((f) => parseGemfileLock(readFileSync(f, 'utf8')));
      // Platform names as this RubyGems normalises them (3.3 writes x86_64-linux-gnu as x86_64-linux).
      const raw = [...new Set(parsed.flatMap((p) => p.specs.flatMap((s) => s.platforms)))];
      const normal = Object.fromEntries(raw.map((p, i) => [p, ruby('ARGV.each { |p| puts Gem::Platform.new(p).to_s }', raw).trim().split('\n')[i]]));
      files.forEach((f, i) => {
        const ours = parsed[i]!.specs.flatMap((s) => s.platforms.map((p) => `${s.name} ${s.version} ${normal[p]} ${s.source}`));
        expect(ours.sort(), f).toEqual([...bundler[f]!].sort());
      });
      expect(bundler[files[0]!]).toHaveLength(244);
    } finally {
      cleanup();
    }
  });
});

describe('gemspec parser', () => {
  it('takes name, version and platform from the stub line, licences from the body', () => {
    expect(parseGemspec(fixture('debian12-specifications/default/json-2.6.1.gemspec'))).toEqual({ name: 'json', version: '2.6.1', platform: 'ruby', licenses: ['Ruby'], stub: true });
    expect(parseGemspec(fixture('trivy-gemspec/multiple_licenses.gemspec'))).toEqual({ name: 'test-unit', version: '3.3.7', platform: 'ruby', licenses: ['Ruby', 'BSDL', 'PSFL'], stub: true });
    expect(parseGemspec(fixture('trivy-gemspec/normal01.gemspec'))).toEqual({ name: 'async', version: '1.25.0', licenses: ['MIT'], stub: false });
    expect(parseGemspec(fixture('trivy-gemspec/malformed00.gemspec'))).toEqual({ licenses: [], stub: false });
  });

  it.skipIf(!hasRuby)('reads every gemspec fixture as Gem::Specification.load does', () => {
    const files = GEMSPECS.map((f) => path.join(GEM, f));
    const loaded = JSON.parse(
      ruby(`out = {}; ARGV.each { |f| s = Gem::Specification.load(f); out[f] = s && s.version.to_s != '' ? [s.name, s.version.to_s, s.platform.to_s, s.licenses] : nil }; puts JSON.generate(out)`, files),
    ) as Record<string, [string, string, string, string[]] | null>;
    for (const f of files) {
      const s = parseGemspec(readFileSync(f, 'utf8'));
      expect(s.name && s.version ? [s.name, s.version, s.platform ?? 'ruby', s.licenses] : null, f).toEqual(loaded[f]);
    }
    expect(Object.values(loaded).filter((v) => v === null)).toHaveLength(2);
  });
});

async function walked(c: Collector, root: string, starts = ['/']) {
  const files: string[] = [];
  await walk({ root, starts }, (rel, base) => {
    if (c.wants!(rel, base)) files.push(rel);
  });
  return runCollector(c, root, { files: files.sort() });
}

describe.skipIf(!hasRuby)('installed gems of this machine', () => {
  it('are the gems RubyGems lists (Gem::Specification.map(&:full_name))', async () => {
    const listed = JSON.parse(ruby('puts JSON.generate([Gem::Specification.map(&:full_name), Gem::Specification.dirs.select { |d| File.directory?(d) }])', [])) as [string[], string[]];
    const [fullNames, dirs] = listed;
    const res = await walked(gemInstalledCollector, '/', dirs);
    expect(res.problems).toEqual([]);
    const ours = new Set(res.components.map((c) => `${c.name}-${c.version}${typeof c.metadata?.platform === 'string' ? `-${c.metadata.platform}` : ''}`));
    expect([...ours].sort()).toEqual([...new Set(fullNames)].sort());
    expect(fullNames.length).toBeGreaterThan(20);
    expect(res.components.find((c) => c.name === 'json')).toMatchObject({ ecosystem: 'gem', purl: expect.stringMatching(/^pkg:gem\/json@/), metadata: { default: true }, foundBy: 'gem-installed' });
  });
});

describe('gem collectors', () => {
  it('want lockfiles outside installed gems, and specifications of gem homes only', () => {
    const lock = (p: string) => gemfileLockCollector.wants!(p, path.posix.basename(p));
    const spec = (p: string) => gemInstalledCollector.wants!(p, path.posix.basename(p));
    expect(['/srv/app/Gemfile.lock', '/srv/app/gems.locked', '/srv/app/vendor/bundle/Gemfile.lock'].map(lock)).toEqual([true, true, true]);
    expect(['/var/lib/gems/3.1.0/gems/rack-3.1.7/Gemfile.lock', '/srv/app/vendor/bundle/ruby/3.1.0/bundler/gems/sdoc-e9bb867eba81/Gemfile.lock', '/srv/app/Gemfile'].map(lock)).toEqual([false, false, false]);
    expect(['/usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec', '/usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec', '/srv/app/vendor/bundle/ruby/3.1.0/specifications/rack-3.1.7.gemspec', '/root/.gem/ruby/3.1.0/specifications/x-1.gemspec'].map(spec)).toEqual([true, true, true, true]);
    expect(['/srv/app/myapp.gemspec', '/var/lib/gems/3.1.0/gems/rack-3.1.7/rack.gemspec', '/usr/lib/ruby/gems/3.1.0/specifications/.gemspec', '/x/specifications/README'].map(spec)).toEqual([false, false, false, false]);
  });

  it('report lockfile gems with their source, platforms and purl, a git gem with its vcs_url', async () => {
    const { root, cleanup } = makeRoot({ '/srv/rails/Gemfile.lock': { copy: path.join(GEM, 'rails/Gemfile.lock') } });
    try {
      const res = await walked(gemfileLockCollector, root);
      expect(res.problems).toEqual([]);
      expect(res.components).toHaveLength(232);
      expect(res.components.find((c) => c.name === 'httpclient')).toEqual({
        ecosystem: 'gem',
        name: 'httpclient',
        version: '2.8.3',
        purl: 'pkg:gem/httpclient@2.8.3?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fnahi%2Fhttpclient.git%40d57cc6d5ffee1b566b5c189fe6dc8cc89570b812',
        locations: ['/srv/rails/Gemfile.lock'],
        foundBy: 'gemfile-lock',
        metadata: { source: 'git', platforms: ['ruby'], direct: true, remotes: ['https://github.com/nahi/httpclient.git'], revision: 'd57cc6d5ffee1b566b5c189fe6dc8cc89570b812', bundledWith: '2.5.16' },
      });
      expect(res.components.find((c) => c.name === 'sqlite3')).toMatchObject({ purl: 'pkg:gem/sqlite3@2.0.0', metadata: { source: 'rubygems', platforms: ['ruby', 'x86_64-darwin', 'x86_64-linux-gnu'] } });
    } finally {
      cleanup();
    }
  });

  it('report installed specifications with licences, platform and default gems', async () => {
    const home = '/var/lib/gems/3.1.0/specifications';
    const { root, cleanup } = makeRoot({
      [`${home}/rexml-3.2.5.gemspec`]: { copy: path.join(SPECS, 'rexml-3.2.5.gemspec') },
      [`${home}/default/json-2.6.1.gemspec`]: { copy: path.join(SPECS, 'default/json-2.6.1.gemspec') },
      [`${home}/nokogiri-1.16.7-x86_64-linux.gemspec`]: '# -*- encoding: utf-8 -*-\n# stub: nokogiri 1.16.7 x86_64-linux lib\n\nGem::Specification.new do |s|\n  s.name = "nokogiri".freeze\n  s.version = "1.16.7"\n  s.platform = "x86_64-linux".freeze\n  s.licenses = ["MIT".freeze]\nend\n',
    });
    try {
      const res = await walked(gemInstalledCollector, root);
      expect(res.problems).toEqual([]);
      expect(res.components.map((c) => [c.purl, c.licenses, c.metadata ?? null])).toEqual([
        ['pkg:gem/json@2.6.1', ['Ruby'], { default: true }],
        ['pkg:gem/nokogiri@1.16.7', ['MIT'], { platform: 'x86_64-linux' }],
        ['pkg:gem/rexml@3.2.5', ['BSD-2-Clause'], null],
      ]);
    } finally {
      cleanup();
    }
  });

  it('look up published gems only, in namespace RubyGems with the gem scheme', () => {
    const c = (source?: string): Component => ({ ecosystem: 'gem', name: 'rexml', version: '3.2.6', purl: 'pkg:gem/rexml@3.2.6', locations: ['/a/Gemfile.lock'], foundBy: 'gemfile-lock', ...(source ? { metadata: { source } } : {}) });
    const target = [{ namespace: 'RubyGems', package: 'rexml', version: '3.2.6', scheme: 'gem', via: 'direct' }];
    expect(lookupTargets(c('rubygems'), undefined)).toEqual(target);
    expect(lookupTargets(c(), undefined)).toEqual(target);
    expect(lookupTargets(c('git'), undefined)).toEqual([]);
    expect(lookupTargets(c('path'), undefined)).toEqual([]);
  });

  it('report malformed, binary, oversized and hostile lockfiles as problems and keep the good gems', async () => {
    const head = 'GEM\n  remote: https://rubygems.org/\n  specs:\n';
    const rails = fixture('rails/Gemfile.lock');
    const { root, cleanup } = makeRoot({
      '/p/truncated/Gemfile.lock': rails.slice(0, rails.indexOf('    bcrypt (') + 13),
      '/p/binary/Gemfile.lock': Buffer.from([0x47, 0x45, 0x4d, 0x0a, 0x00, 0xff, 0x13]),
      '/p/garbage/Gemfile.lock': { copy: path.join(GEM, 'trivy/Gemfile_malformed.lock') },
      '/p/conflict/Gemfile.lock': `${head}    rack (3.1.7)\n<<<<<<< HEAD\n    rexml (3.2.6)\n=======\n    rexml (3.3.9)\n>>>>>>> main\n`,
      '/p/huge/Gemfile.lock': '',
      '/p/hugefield/Gemfile.lock': `${head}    good (1.0)\n    ${'x'.repeat(10_000)} (1.0)\n    longver (1.${'0'.repeat(200)})\n`,
      '/p/missing/Gemfile.lock': `GEM\n  remote: https://rubygems.org/\n    early (1.0)\n  specs:\n    noversion\n    empty ()\n    kept (2.0)\n    badver (1.0 beta)\n`,
      '/p/hostile/Gemfile.lock': `${head}    $(rm -rf /) (1.0)\n    ../../etc/passwd (1.0)\n    a;reboot (1.0)\n    \`id\` (1.0)\n    fine (1.0)\n    evilver (1.0 && reboot)\n    evilplat (1.0-x86_64;rm)\n`,
    });
    try {
      truncateSync(path.join(root, 'p/huge/Gemfile.lock'), MAX_GEMFILE_LOCK_BYTES + 1);
      const res = await walked(gemfileLockCollector, root);
      const by = (dir: string) => res.problems.filter((p) => p.path === `/p/${dir}/Gemfile.lock`).map((p) => `${p.code}: ${p.message}`);
      const names = (dir: string) => res.components.filter((c) => c.locations[0] === `/p/${dir}/Gemfile.lock`).map((c) => c.name);
      // Cut inside `    bcrypt (3.1.20)`: the gems before it are kept, the cut line is no gem.
      expect(names('truncated')).toHaveLength(3 + 13 + 14);
      expect(names('truncated').at(-1)).toBe('base64');
      expect(by('truncated')).toEqual([expect.stringMatching(/^malformed-record: line \d+: invalid gem name "bcrypt \(3"$/)]);
      expect(by('binary')).toEqual(['corrupt: binary data in a Bundler lockfile']);
      expect(by('garbage')).toEqual(['corrupt: no GEM, GIT, PATH, PLATFORMS or DEPENDENCIES section: not a Bundler lockfile']);
      expect(by('conflict')).toEqual(['corrupt: the lockfile contains merge conflict markers']);
      expect(by('huge')).toEqual([expect.stringMatching(/^too-large: /)]);
      expect(names('hugefield')).toEqual(['good']);
      expect(by('hugefield')).toEqual(['malformed-record: line 5: longer than 4096 characters; skipped', expect.stringMatching(/^malformed-record: line 6: gem longver: invalid version "1\.0+\.\.\."$/)]);
      expect(names('missing')).toEqual(['kept']);
      expect(by('missing')).toEqual([
        'malformed-record: line 3: a gem before "specs:" of its section; skipped',
        'malformed-record: line 5: gem noversion has no version',
        'malformed-record: line 6: gem empty has no version',
        'malformed-record: line 8: gem badver: invalid version "1.0 beta"',
      ]);
      expect(names('hostile')).toEqual(['fine']);
      expect(by('hostile')).toEqual([
        'malformed-record: line 4: invalid gem name "$(rm -rf /)"',
        'malformed-record: line 5: invalid gem name "../../etc/passwd"',
        'malformed-record: line 6: invalid gem name "a;reboot"',
        'malformed-record: line 7: invalid gem name "`id`"',
        'malformed-record: line 9: gem evilver: invalid version "1.0 && reboot"',
        'malformed-record: line 10: gem evilplat 1.0: invalid platform "x86_64;rm"',
      ]);
    } finally {
      cleanup();
    }
  });

  it('report malformed, binary, oversized and hostile specifications as problems and keep the good gems', async () => {
    const home = '/usr/local/lib/ruby/gems/3.1.0/specifications';
    const spec = (name: string, version: string) => `# -*- encoding: utf-8 -*-\n# stub: ${name} ${version} ruby lib\n\nGem::Specification.new do |s|\nend\n`;
    const { root, cleanup } = makeRoot({
      [`${home}/good-1.0.gemspec`]: spec('good', '1.0'),
      [`${home}/default/json-2.6.1.gemspec`]: { copy: path.join(SPECS, 'default/json-2.6.1.gemspec') },
      [`${home}/truncated-1.0.gemspec`]: '# -*- encoding: utf-8 -*-\n# stu',
      [`${home}/binary-1.0.gemspec`]: Buffer.from([0x23, 0x20, 0x00, 0xff, 0x0a, 0x00]),
      [`${home}/wrongvar-1.25.0.gemspec`]: { copy: path.join(GEM, 'trivy-gemspec/malformed00.gemspec') },
      [`${home}/noversion-1.0.gemspec`]: { copy: path.join(GEM, 'trivy-gemspec/malformed01.gemspec') },
      [`${home}/huge-1.0.gemspec`]: '',
      [`${home}/evil1-1.0.gemspec`]: spec('$(rm', '-rf'),
      [`${home}/evil2-1.0.gemspec`]: spec('../../etc/passwd', '1.0'),
      [`${home}/evil3-1.0.gemspec`]: spec('evil3', '1.0;reboot'),
      [`${home}/evil4-1.0.gemspec`]: '# -*- encoding: utf-8 -*-\n# stub: evil4 1.0 x86_64;rm lib\n',
    });
    try {
      truncateSync(path.join(root, `${home.slice(1)}/huge-1.0.gemspec`), MAX_GEMSPEC_BYTES + 1);
      const res = await walked(gemInstalledCollector, root);
      expect(res.components.map((c) => c.purl).sort()).toEqual(['pkg:gem/good@1.0', 'pkg:gem/json@2.6.1']);
      const probs = Object.fromEntries(res.problems.map((p) => [path.posix.basename(p.path, '.gemspec'), `${p.code}: ${p.message}`]));
      expect(probs).toEqual({
        'truncated-1.0': 'malformed-record: gem specification without name and version',
        'binary-1.0': 'corrupt: binary data in a gem specification',
        'wrongvar-1.25.0': 'malformed-record: gem specification without name and version',
        'noversion-1.0': 'malformed-record: gem specification without version',
        'huge-1.0': expect.stringMatching(/^too-large: /),
        'evil1-1.0': 'malformed-record: invalid gem name "$(rm"',
        'evil2-1.0': 'malformed-record: invalid gem name "../../etc/passwd"',
        'evil3-1.0': 'malformed-record: gem evil3: invalid version "1.0;reboot"',
        'evil4-1.0': 'malformed-record: gem evil4 1.0: invalid platform "x86_64;rm"',
      });
    } finally {
      cleanup();
    }
  });
});

describe('gems against a GitHub-reviewed RubyGems advisory', () => {
  let db: { dir: string; cleanup: () => void };
  let store: SqliteAdvisoryStore;
  beforeAll(async () => {
    db = tempDir('vigil-gem-match-');
    store = new SqliteAdvisoryStore(path.join(db.dir, 'advisories.db'));
    const { feeds } = await readFeeds([path.join(FIXTURES, 'advisories/osv-gem')]);
    store.importFeeds(feeds, '2026-08-21T00:00:00.000Z');
  });
  afterAll(() => {
    store?.close();
    db?.cleanup();
  });

  it('finds GHSA-vg3r-rm7w-2xgh on rexml 3.2.6 of a lockfile and rexml 3.2.5 of a gem home, each with its fix', async () => {
    expect(readdirSync(path.join(FIXTURES, 'advisories/osv-gem')).filter((f) => f.endsWith('.json'))).toEqual(['GHSA-vg3r-rm7w-2xgh.json']);
    const { root, cleanup } = makeRoot({
      '/srv/rails/Gemfile.lock': { copy: path.join(GEM, 'rails/Gemfile.lock') },
      '/var/lib/gems/3.1.0/specifications/rexml-3.2.5.gemspec': { copy: path.join(SPECS, 'rexml-3.2.5.gemspec') },
      '/srv/fork/Gemfile.lock': 'GIT\n  remote: https://github.com/example/rexml.git\n  revision: 0123456789abcdef0123456789abcdef01234567\n  specs:\n    rexml (3.2.5)\n\nDEPENDENCIES\n  rexml!\n',
    });
    try {
      const inv = await scan({ path: root, log: silentLog });
      const { findings, problems } = matchInventory(inv, store);
      expect(problems).toEqual([]);
      const rexml = findings.filter((f) => f.component.name === 'rexml').sort((a, b) => (a.component.locations[0]! < b.component.locations[0]! ? -1 : 1));
      expect(rexml.map((f) => [f.component.locations[0], f.installedVersion, f.fixedVersion, f.matches.map((m) => `${m.record} ${m.namespace} ${m.scheme}`)])).toEqual([
        ['/srv/rails/Gemfile.lock', '3.2.6', '3.2.7', ['GHSA-vg3r-rm7w-2xgh RubyGems gem']],
        ['/var/lib/gems/3.1.0/specifications/rexml-3.2.5.gemspec', '3.2.5', '3.2.7', ['GHSA-vg3r-rm7w-2xgh RubyGems gem']],
      ]);
      expect([rexml[0]!.vulnerability, ...rexml[0]!.aliases]).toContain('CVE-2024-35176');
      // The git fork at 3.2.5 is not the published gem: not matched.
      expect(findings.filter((f) => f.component.locations[0] === '/srv/fork/Gemfile.lock')).toEqual([]);
      const comp = (loc: string) => inv.components.find((c) => c.name === 'rexml' && c.locations[0] === loc)!;
      expect(remediation(comp('/srv/rails/Gemfile.lock'), '3.2.7')).toBe('bundle update rexml');
      expect(remediation(comp('/var/lib/gems/3.1.0/specifications/rexml-3.2.5.gemspec'), '3.2.7')).toBe('gem install --install-dir /var/lib/gems/3.1.0 rexml -v 3.2.7');
      const plan = remediationPlan(findings, 'path', inv.components);
      expect(plan.steps.map((s) => [s.manager, s.where, s.commands])).toEqual([
        ['bundler', '/srv/rails', ['bundle update rexml']],
        ['bundler', '/var/lib/gems/3.1.0', ['gem install --install-dir /var/lib/gems/3.1.0 rexml -v 3.2.7']],
      ]);
    } finally {
      cleanup();
    }
  });
});
