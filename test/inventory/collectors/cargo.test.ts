import { underCi } from '../../helpers/golden.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeeds } from '../../../src/advisories/feeds.js';
import type { Component } from '../../../src/common/model.js';
import { lookupTargets } from '../../../src/ecosystems/index.js';
import { parseCargoLock, type CargoPackage } from '../../../src/inventory/collectors/cargo-lock.parse.js';
import { cargoLockCollector, MAX_CARGO_LOCK_BYTES } from '../../../src/inventory/collectors/cargo-lock.js';
import { scan } from '../../../src/inventory/scan.js';
import { walk } from '../../../src/inventory/walk.js';
import { matchInventory } from '../../../src/matcher/match.js';
import { remediation } from '../../../src/matcher/remediation.js';
import { SqliteAdvisoryStore } from '../../../src/store/sqlite-advisories.js';
import { PKGDB, REPO, makeRoot, runCollector, silentLog, tempDir } from '../../helpers/fixtures.js';

const CARGO = path.join(PKGDB, 'cargo');
const fixture = (rel: string): string => readFileSync(path.join(CARGO, rel), 'utf8');
const CRATES = 'registry+https://github.com/rust-lang/crates.io-index';

/** name@version source, the rows every expectation below is written in. */
const rows = (pkgs: CargoPackage[]): string[] => pkgs.map((p) => `${p.name}@${p.version} ${p.source}${p.url ? ` ${p.url}` : ''}${p.revision ? `#${p.revision}` : ''}`).sort();

const RIPGREP_LOCAL = ['globset@0.4.19', 'grep@0.4.1', 'grep-cli@0.1.12', 'grep-index@0.0.1', 'grep-matcher@0.1.9', 'grep-pcre2@0.1.10', 'grep-printer@0.3.1', 'grep-regex@0.1.14', 'grep-searcher@0.1.17', 'ignore@0.4.32', 'ripgrep@15.2.0'];
const REGEX_GIT = 'https://github.com/rust-lang/regex.git#1a069b9232c607b34c4937122361aa075ef573fa';

/** Each fixture with what it locks (every `[[package]]` of the file, by hand from the file) and its format marker. */
const EXPECTED: Record<string, { version?: number; packages: string[]; errors?: RegExp[] }> = {
  'trivy/cargo_normal.lock': {
    packages: ['idna@0.1.5 crates.io', 'libc@0.2.54 crates.io', 'matches@0.1.8 crates.io', 'normal@0.1.0 path', 'percent-encoding@1.0.1 crates.io', 'typemap@0.3.3 crates.io', 'unsafe-any@0.4.2 crates.io', 'url@1.7.2 crates.io'],
  },
  'trivy/happy-v2/Cargo.lock': {
    packages: ['aho-corasick@0.7.20 crates.io', 'app@0.1.0 path', 'libc@0.2.140 crates.io', 'memchr@1.0.2 crates.io', 'memchr@2.5.0 crates.io', 'regex-syntax@0.5.6 crates.io', 'regex-syntax@0.6.29 crates.io', 'regex@1.7.3 crates.io', 'ucd-util@0.1.10 crates.io'],
  },
  'trivy/cargo_v3.lock': {
    version: 3,
    packages: ['aho-corasick@0.7.20 crates.io', 'app@0.1.0 path', 'libc@0.2.140 crates.io', 'memchr@1.0.2 crates.io', 'memchr@2.5.0 crates.io', 'regex-syntax@0.5.6 crates.io', 'regex-syntax@0.6.29 crates.io', 'regex@1.7.3 crates.io', 'ucd-util@0.1.10 crates.io'],
  },
  'syft/Cargo.lock-with-git-deps': {
    version: 3,
    packages: [
      'aho-corasick@1.1.3 crates.io',
      'hello_world@0.1.0 path',
      'memchr@2.7.4 crates.io',
      'minimal-lexical@0.2.1 crates.io',
      'nom-regex@0.2.0 crates.io',
      'nom@7.1.3 crates.io',
      'regex-automata@0.4.9 crates.io',
      `regex-automata@0.4.9 git ${REGEX_GIT}`,
      'regex-syntax@0.8.5 crates.io',
      `regex-syntax@0.8.5 git ${REGEX_GIT}`,
      'regex@1.11.1 crates.io',
      `regex@1.11.1 git ${REGEX_GIT}`,
    ],
  },
  // The second table says `version =` with no value: that package alone is lost.
  'trivy/cargo_invalid.lock': {
    packages: ['libc@0.2.54 crates.io', 'typemap@0.3.3 crates.io', 'url@1.7.2 crates.io'],
    errors: [/^line 10: invalid value; the table from line 8 was skipped$/],
  },
};

describe('Cargo.lock parser', () => {
  for (const [file, want] of Object.entries(EXPECTED)) {
    it(`reads ${file}`, () => {
      const res = parseCargoLock(fixture(file));
      expect(rows(res.packages)).toEqual([...want.packages].sort());
      expect(res.lockfileVersion).toBe(want.version);
      expect(res.errors).toHaveLength(want.errors?.length ?? 0);
      want.errors?.forEach((re, i) => expect(res.errors[i]).toMatch(re));
    });
  }

  it('reads ripgrep’s v4 lockfile: 63 packages, its workspace members as path packages, build metadata kept', () => {
    const res = parseCargoLock(fixture('ripgrep/Cargo.lock'));
    expect(res).toMatchObject({ lockfileVersion: 4, errors: [] });
    expect(res.packages).toHaveLength(63);
    expect(res.packages.filter((p) => p.source === 'path').map((p) => `${p.name}@${p.version}`)).toEqual(RIPGREP_LOCAL);
    expect(res.packages.filter((p) => p.name === 'syn').map((p) => p.version)).toEqual(['2.0.119', '3.0.3']);
    expect(res.packages.find((p) => p.name === 'tikv-jemalloc-sys')).toMatchObject({ version: '0.7.1+5.3.1-0-g81034ce1f1373e37dc865038e1bc8eeecf559ce8', source: 'crates.io' });
    expect(res.packages.find((p) => p.name === 'aho-corasick')!.line).toBe(5);
  });

  it('classifies sources: crates.io by git or sparse index, other registries, git with the locked commit', () => {
    const lock = (source: string) => parseCargoLock(`version = 4\n[[package]]\nname = "x"\nversion = "1.0.0"\nsource = "${source}"\n`).packages[0];
    expect(lock(CRATES)).toMatchObject({ source: 'crates.io' });
    expect(lock('sparse+https://index.crates.io/')).toMatchObject({ source: 'crates.io' });
    expect(lock('sparse+https://cargo.cloudsmith.io/acme/repo/')).toMatchObject({ source: 'registry', url: 'sparse+https://cargo.cloudsmith.io/acme/repo/' });
    expect(lock('registry+https://github.com/rust-lang/crates.io-index-fork')).toMatchObject({ source: 'registry' });
    expect(lock('git+https://github.com/a/b?branch=main#abc123')).toMatchObject({ source: 'git', url: 'https://github.com/a/b', revision: 'abc123' });
  });

  it('reads v1’s [root] table as the workspace package', () => {
    const res = parseCargoLock('[root]\nname = "old"\nversion = "0.1.0"\ndependencies = [\n "libc 0.2.54 (registry+https://github.com/rust-lang/crates.io-index)",\n]\n\n[[package]]\nname = "libc"\nversion = "0.2.54"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n');
    expect(rows(res.packages)).toEqual(['libc@0.2.54 crates.io', 'old@0.1.0 path']);
  });
});

const hasCargo = spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0 && spawnSync('git', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * A project Cargo itself locks, offline: a crates.io dependency served from a vendored
 * directory (Cargo still records crates.io as its source), a path dependency and a git
 * dependency from a local repository. `cargo metadata --locked` then says what the lockfile holds.
 */
function cargoProject(dir: string): string {
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  const manifest = (name: string, version: string, extra = '') => `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n${extra}`;
  write('vendor/idna/Cargo.toml', manifest('idna', '0.1.5'));
  write('vendor/idna/src/lib.rs', '');
  write('vendor/idna/.cargo-checksum.json', '{"files":{},"package":"38f09e0f0b1fb55fdee1f17470ad800da77af5186a1a76c026b679358b7e844e"}');
  write('localdep/Cargo.toml', manifest('localdep', '0.2.0'));
  write('localdep/src/lib.rs', '');
  write('gitdep/Cargo.toml', manifest('gitdep', '1.1.0'));
  write('gitdep/src/lib.rs', '');
  const git = (...args: string[]) => execFileSync('git', ['-C', path.join(dir, 'gitdep'), '-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'init');
  write('app/Cargo.toml', manifest('app', '0.1.0', `[dependencies]\nidna = "=0.1.5"\nlocaldep = { path = "../localdep" }\ngitdep = { git = "file://${dir}/gitdep" }\n`));
  write('app/src/main.rs', 'fn main() {}\n');
  write('app/.cargo/config.toml', `[source.crates-io]\nreplace-with = "vendored"\n[source.vendored]\ndirectory = "${dir}/vendor"\n`);
  return path.join(dir, 'app');
}

// CI installs Debian's cargo (scripts/test-prereqs.sh): there a missing cargo fails instead of skipping.
describe.skipIf(!hasCargo && !underCi())('Cargo.lock parser against Cargo', () => {
  it('reads what cargo metadata reads from a lockfile cargo generate-lockfile wrote', () => {
    const { dir, cleanup } = tempDir('vigil-cargo-');
    try {
      const app = cargoProject(dir);
      const env = { ...process.env, CARGO_HOME: path.join(dir, 'cargo-home') };
      execFileSync('cargo', ['generate-lockfile'], { cwd: app, env, stdio: 'ignore' });
      const meta = JSON.parse(execFileSync('cargo', ['metadata', '--offline', '--locked', '--format-version', '1'], { cwd: app, env, encoding: 'utf8' })) as {
        packages: Array<{ name: string; version: string; source: string | null }>;
      };
      const cargoRows = meta.packages.map((p) => `${p.name}@${p.version} ${p.source ?? 'path'}`).sort();
      const res = parseCargoLock(readFileSync(path.join(app, 'Cargo.lock'), 'utf8'));
      expect(res.errors).toEqual([]);
      // Version 3 from Debian 12's cargo 1.65, 4 from cargo 1.83 and later.
      expect(res.lockfileVersion).toBeGreaterThanOrEqual(3);
      const ours = res.packages.map((p) => `${p.name}@${p.version} ${p.source === 'crates.io' ? CRATES : p.source === 'git' ? `git+${p.url}#${p.revision}` : p.source}`).sort();
      expect(ours).toEqual(cargoRows);
      expect(cargoRows).toHaveLength(4);
    } finally {
      cleanup();
    }
  });
});

async function walked(root: string) {
  const files: string[] = [];
  await walk({ root, starts: ['/'] }, (rel, base) => {
    if (cargoLockCollector.wants!(rel, base)) files.push(rel);
  });
  return runCollector(cargoLockCollector, root, { files: files.sort() });
}

describe('Cargo.lock collector', () => {
  it('wants project lockfiles, not those of downloaded crate sources', () => {
    const w = (p: string) => cargoLockCollector.wants!(p, path.posix.basename(p));
    expect(['/srv/app/Cargo.lock', '/home/u/src/ripgrep/Cargo.lock', '/root/.cargo/bin/Cargo.lock'].map(w)).toEqual([true, true, true]);
    expect(['/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/ripgrep-14.1.0/Cargo.lock', '/home/u/.cargo/git/checkouts/regex-1a2b/1a069b9/Cargo.lock', '/srv/app/cargo.lock', '/srv/app/Cargo.toml'].map(w)).toEqual([false, false, false, false]);
  });

  it('reports every package with its purl, source and lockfile version', async () => {
    const { root, cleanup } = makeRoot({
      '/srv/rg/Cargo.lock': { copy: path.join(CARGO, 'ripgrep/Cargo.lock') },
      '/srv/hello/Cargo.lock': { copy: path.join(CARGO, 'syft/Cargo.lock-with-git-deps') },
      '/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/x-1.0.0/Cargo.lock': { copy: path.join(CARGO, 'trivy/cargo_normal.lock') },
    });
    try {
      const res = await walked(root);
      expect(res.problems).toEqual([]);
      expect(res.components).toHaveLength(63 + 12);
      const hello = res.components.filter((c) => c.locations[0] === '/srv/hello/Cargo.lock');
      expect(hello.find((c) => c.name === 'regex' && c.metadata?.source === 'git')).toEqual({
        ecosystem: 'cargo',
        name: 'regex',
        version: '1.11.1',
        purl: 'pkg:cargo/regex@1.11.1?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Frust-lang%2Fregex.git%401a069b9232c607b34c4937122361aa075ef573fa',
        locations: ['/srv/hello/Cargo.lock'],
        foundBy: 'cargo-lock',
        metadata: { source: 'git', repository: 'https://github.com/rust-lang/regex.git', revision: '1a069b9232c607b34c4937122361aa075ef573fa', lockfileVersion: 3 },
      });
      expect(hello.find((c) => c.name === 'regex' && c.metadata?.source === 'crates.io')!.purl).toBe('pkg:cargo/regex@1.11.1');
      const rg = res.components.find((c) => c.name === 'tikv-jemalloc-sys')!;
      expect(rg.purl).toBe('pkg:cargo/tikv-jemalloc-sys@0.7.1%2B5.3.1-0-g81034ce1f1373e37dc865038e1bc8eeecf559ce8');
      expect(rg.metadata).toEqual({ source: 'crates.io', lockfileVersion: 4 });
    } finally {
      cleanup();
    }
  });

  it('looks up only crates.io packages, in namespace crates.io with SemVer', () => {
    const c = (source: string): Component => ({ ecosystem: 'cargo', name: 'idna', version: '0.1.5', purl: 'pkg:cargo/idna@0.1.5', locations: ['/a/Cargo.lock'], foundBy: 'cargo-lock', metadata: { source } });
    expect(lookupTargets(c('crates.io'), undefined)).toEqual([{ namespace: 'crates.io', package: 'idna', version: '0.1.5', scheme: 'semver', via: 'direct' }]);
    for (const s of ['path', 'git', 'registry']) expect(lookupTargets(c(s), undefined)).toEqual([]);
  });

  it('reports malformed, binary, oversized and hostile lockfiles as problems and keeps the good packages', async () => {
    const rg = fixture('ripgrep/Cargo.lock');
    const cut = rg.slice(0, rg.indexOf('name = "bstr"') + 9);
    const pkg = (name: string, version = '1.0.0') => `[[package]]\nname = ${JSON.stringify(name)}\nversion = ${JSON.stringify(version)}\nsource = "${CRATES}"\n\n`;
    const { root, cleanup } = makeRoot({
      '/p/truncated/Cargo.lock': cut,
      '/p/binary/Cargo.lock': Buffer.from([0x5b, 0x5b, 0x70, 0x00, 0xff, 0xfe, 0x13, 0x00]),
      '/p/garbage/Cargo.lock': fixture('../gem/trivy/Gemfile_malformed.lock'),
      '/p/notlock/Cargo.lock': '[server]\nport = 8080\n',
      '/p/huge/Cargo.lock': '',
      '/p/hugefield/Cargo.lock': `version = 3\n${pkg('good')}${pkg('x'.repeat(100_000))}${pkg('longver', `1.0.0-${'a'.repeat(300)}`)}`,
      '/p/missing/Cargo.lock': `version = 3\n[[package]]\nversion = "1.0.0"\n\n[[package]]\nname = "noversion"\n\n${pkg('kept')}[[package]]\nname = "badsemver"\nversion = "1.0"\n\n[[package]]\nname = 7\nversion = "1.0.0"\n`,
      '/p/hostile/Cargo.lock': `version = 3\n${pkg('$(rm -rf /)')}${pkg('../../etc/passwd')}${pkg('a;reboot')}${pkg('`id`')}${pkg('fine')}[[package]]\nname = "evilsrc"\nversion = "1.0.0"\nsource = "git+https://x/\\u0000\\nrm"\n\n${pkg('evilver', '1.0.0 && reboot')}`,
    });
    try {
      truncateSync(path.join(root, 'p/huge/Cargo.lock'), MAX_CARGO_LOCK_BYTES + 1);
      const res = await walked(root);
      const by = (dir: string) => res.problems.filter((p) => p.path === `/p/${dir}/Cargo.lock`).map((p) => `${p.code}: ${p.message}`);
      expect(res.components.map((c) => `${c.locations[0]!.split('/')[2]} ${c.name}`).sort()).toEqual(['hostile fine', 'hugefield good', 'missing kept', 'truncated aho-corasick', 'truncated anyhow', 'truncated arbitrary']);
      expect(by('truncated')).toEqual([expect.stringMatching(/^malformed-record: line 30: unfinished string; the table from line 29 was skipped$/)]);
      expect(by('binary')).toEqual(['corrupt: binary data in a Cargo lockfile']);
      expect(by('garbage')).toEqual([expect.stringMatching(/^corrupt: not a Cargo lockfile: not TOML: line 1: /)]);
      expect(by('notlock')).toEqual(['corrupt: not a Cargo lockfile: no [[package]] table: not a Cargo lockfile']);
      expect(by('huge')).toEqual([expect.stringMatching(/^too-large: /)]);
      expect(by('hugefield')).toEqual([
        expect.stringMatching(/^malformed-record: package at line 7: invalid package name "x{120}\.\.\."$/),
        expect.stringMatching(/^malformed-record: package at line 12 \(longver\): version "1\.0\.0-a+\.\.\." is not a SemVer version$/),
      ]);
      expect(by('missing')).toEqual([
        'malformed-record: package at line 2 has no name',
        'malformed-record: package at line 5 (noversion) has no version',
        'malformed-record: package at line 13 (badsemver): version "1.0" is not a SemVer version',
        'malformed-record: package at line 17 has no name',
      ]);
      expect(by('hostile')).toEqual([
        'malformed-record: package at line 2: invalid package name "$(rm -rf /)"',
        'malformed-record: package at line 7: invalid package name "../../etc/passwd"',
        'malformed-record: package at line 12: invalid package name "a;reboot"',
        'malformed-record: package at line 17: invalid package name "`id`"',
        'malformed-record: package at line 27 (evilsrc): invalid source "git+https://x/\\u0000\\nrm"',
        'malformed-record: package at line 32 (evilver): version "1.0.0 && reboot" is not a SemVer version',
      ]);
    } finally {
      cleanup();
    }
  });
});

describe('Cargo packages against the bundled RustSec advisories', () => {
  let db: { dir: string; cleanup: () => void };
  let store: SqliteAdvisoryStore;
  beforeAll(async () => {
    db = tempDir('vigil-cargo-match-');
    store = new SqliteAdvisoryStore(path.join(db.dir, 'advisories.db'));
    const { feeds } = await readFeeds([path.join(REPO, 'data/feeds/osv-ecosystems/crates.osv.json.gz')]);
    store.importFeeds(feeds, '2026-08-21T00:00:00.000Z');
  });
  afterAll(() => {
    store?.close();
    db?.cleanup();
  });

  it('finds RUSTSEC-2024-0421 on idna 0.1.5 of a lockfile, with the cargo update that fixes it', async () => {
    const { root, cleanup } = makeRoot({ '/srv/app/Cargo.lock': { copy: path.join(CARGO, 'trivy/cargo_normal.lock') } });
    try {
      const inv = await scan({ path: root, log: silentLog });
      expect(inv.components.filter((c) => c.ecosystem === 'cargo')).toHaveLength(8);
      const { findings, problems } = matchInventory(inv, store);
      expect(problems).toEqual([]);
      const idna = findings.filter((f) => f.component.name === 'idna');
      expect(idna).toHaveLength(1);
      expect(idna[0]).toMatchObject({ installedVersion: '0.1.5', fixedVersion: '1.0.0', status: 'fixed', component: { purl: 'pkg:cargo/idna@0.1.5', locations: ['/srv/app/Cargo.lock'] } });
      expect(idna[0]!.matches.map((m) => [m.record, m.namespace, m.scheme])).toEqual([['RUSTSEC-2024-0421', 'crates.io', 'semver']]);
      expect([idna[0]!.vulnerability, ...idna[0]!.aliases]).toContain('CVE-2024-12224');
      const c = inv.components.find((x) => x.name === 'idna')!;
      expect(remediation(c, '1.0.0')).toBe('cargo update -p idna --precise 1.0.0');
      // The workspace's own package is never looked up, and nothing else in the file is affected by a fixed range.
      expect(findings.filter((f) => f.component.name === 'normal')).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
