import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goModModules, parseGoMod, parseGoSum } from '../../../src/inventory/collectors/go-mod.parse.js';
import { goModCollector } from '../../../src/inventory/collectors/go-mod.js';
import { makeRoot, PKGDB, runCollector } from '../../helpers/fixtures.js';

const DIR = path.join(PKGDB, 'go-mod');
const FIXTURES = readdirSync(DIR).sort();
const text = (fx: string, f = 'go.mod'): string => readFileSync(path.join(DIR, fx, f), 'utf8');
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

interface GoModJson {
  Module?: { Path: string };
  Go?: string;
  Require?: Array<{ Path: string; Version: string; Indirect?: boolean }>;
  Replace?: Array<{ Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }>;
}

/** The Go toolchain's own reading of a go.mod (offline: `go mod edit` parses, it fetches nothing). */
function goModEdit(dir: string): GoModJson {
  return JSON.parse(execFileSync('go', ['mod', 'edit', '-json'], { cwd: dir, env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', GOPROXY: 'off' } }).toString()) as GoModJson;
}

describe('go.mod files read as the Go toolchain reads them', () => {
  it.each(FIXTURES)('%s agrees with `go mod edit -json`', (fx) => {
    const ref = goModEdit(path.join(DIR, fx));
    const mod = parseGoMod(text(fx));
    expect(mod.errors).toEqual([]);
    expect(mod.module).toBe(ref.Module?.Path);
    expect(mod.go).toBe(ref.Go);
    expect(mod.requires.map((r) => ({ Path: r.path, Version: r.version, ...(r.indirect ? { Indirect: true } : {}) }))).toEqual(ref.Require ?? []);
    expect(mod.replaces.map((r) => ({ Old: { Path: r.oldPath, ...(r.oldVersion ? { Version: r.oldVersion } : {}) }, New: { Path: r.newPath, ...(r.newVersion ? { Version: r.newVersion } : {}) } }))).toEqual(ref.Replace ?? []);
  });

  it('applies replace directives: a module for a module, a local directory dropped, a version that does not match ignored', () => {
    const rows = (fx: string) => goModModules(parseGoMod(text(fx))).map((m) => `${m.path}@${m.version}${m.replaces ? ` (for ${m.replaces}@${m.requiredVersion})` : ''}${m.indirect ? ' indirect' : ''}`);
    expect(rows('trivy-replaced')).toEqual([
      'github.com/aquasecurity/go-dep-parser@v0.0.0-20220406074731-71021a481237 (for github.com/aquasecurity/go-dep-parser@v0.0.0-20211110174639-8257534ffed3)',
      'golang.org/x/xerrors@v0.0.0-20200804184101-5ec99f83aff1 indirect',
    ]);
    expect(rows('trivy-replaced-with-local-path')).toEqual(['github.com/aquasecurity/go-dep-parser@v0.0.0-20211224170007-df43bca6b6ff', 'gopkg.in/yaml.v3@v3.0.0-20210107192922-496545a6307b indirect']);
    expect(rows('trivy-replaced-with-version-mismatch')).toContain('github.com/aquasecurity/go-dep-parser@v0.0.0-20211224170007-df43bca6b6ff');
  });

  it('completes a go.mod without any indirect requirement from its go.sum, each module at its last (highest) version', () => {
    const mod = parseGoMod(text('go1.19-asm'));
    const sum = parseGoSum(text('go1.19-asm', 'go.sum'));
    expect(sum.errors).toEqual([]);
    const mods = goModModules(mod, sum.versions);
    expect(mods.find((m) => m.path === 'github.com/mmcloughlin/avo')).toMatchObject({ version: 'v0.2.0', evidence: 'go.mod', indirect: false });
    expect(mods.find((m) => m.path === 'golang.org/x/tools')).toMatchObject({ version: 'v0.1.0', evidence: 'go.sum', indirect: true });
    // Every module go.sum names is there once; go.mod's own version wins over go.sum's.
    expect(new Set(mods.map((m) => m.path))).toEqual(new Set([...sum.versions.keys()]));
  });

  it('keeps a go.mod that lists its indirect requirements as it is: go.sum is not read', async () => {
    const r = makeRoot({ 'src/app/go.mod': text('go1.19-cmd'), 'src/app/go.sum': 'not a go.sum at all\n' });
    cleanups.push(r.cleanup);
    const res = await runCollector(goModCollector, r.root, { files: ['/src/app/go.mod'] });
    expect(res.problems).toEqual([]);
    expect(res.components).toHaveLength(9);
    const demangle = res.components.find((c) => c.name === 'github.com/ianlancetaylor/demangle')!;
    expect(demangle.purl).toBe('pkg:golang/github.com/ianlancetaylor/demangle@v0.0.0-20220319035150-800ac71e25c2');
    expect(demangle.locations).toEqual(['/src/app/go.mod']);
    expect(demangle.metadata).toEqual({ evidence: 'go.mod', indirect: true, module: 'cmd', goDirective: '1.19' });
  });

  it('wants go.mod files only', () => {
    expect(goModCollector.wants!('/usr/share/gocode/src/golang.org/x/mod/go.mod', 'go.mod')).toBe(true);
    expect(goModCollector.wants!('/src/app/go.sum', 'go.sum')).toBe(false);
  });
});

describe('malformed go.mod and go.sum files', () => {
  const good = 'require example.com/good v1.2.3\n';
  it.each([
    ['a require without a version', 'require example.com/x\n', /^line 1: require needs a module path and a version, got 1 words$/],
    ['a version without the v', 'require example.com/x 1.2.3\n', /^line 1: invalid version "1\.2\.3" of example\.com\/x$/],
    ['a climbing module path', 'require ../../etc/passwd v1.0.0\n', /^line 1: invalid module path "\.\.\/\.\.\/etc\/passwd"$/],
    ['shell metacharacters in a path', 'require "example.com/$(rm -rf /)" v1.0.0\n', /^line 1: invalid module path/],
    ['an unterminated string', 'require "example.com/x v1.0.0\n', /^line 1: unterminated quoted string$/],
    ['an unknown directive', 'requires example.com/x v1.0.0\n', /^line 1: unknown directive "requires"$/],
    ['a block never closed', 'require (\n\texample.com/x v1.0.0\n', /^line 1: require block is never closed$/],
    ['a huge token', `require example.com/${'a'.repeat(5000)} v1.0.0\n`, /^line 1: a token longer than 4096 characters$/],
    ['a replace without its arrow', 'replace example.com/x v1.0.0 example.com/y v1.0.0\n', /^line 1: replace needs OLD \[VERSION\] => NEW \[VERSION\]$/],
    ['binary garbage', '\u0000\u0001\u00ff\u00fe require\n', /^line 1: unknown directive/],
  ])('%s is reported by line, and the good lines are still read', (_what, bad, message) => {
    const mod = parseGoMod(good + bad);
    expect(mod.requires.map((r) => r.path)).toContain('example.com/good');
    expect(mod.errors.map((e) => e.replace(/^line (\d+)/, (_m, n: string) => `line ${Number(n) - 1}`))[0]).toMatch(message);
  });

  it('lists at most 50 bad lines', () => {
    const mod = parseGoMod('bogus\n'.repeat(200));
    expect(mod.errors).toHaveLength(51);
    expect(mod.errors.at(-1)).toBe('more bad lines not listed');
  });

  it('reports bad go.sum lines and keeps the good ones', () => {
    const sum = parseGoSum('example.com/a v1.0.0 h1:abc=\nnot a line\nexample.com/a v1.1.0/go.mod h1:def=\n');
    expect(sum.versions).toEqual(new Map([['example.com/a', 'v1.1.0']]));
    expect(sum.errors).toEqual(['go.sum line 2: expected MODULE VERSION HASH']);
  });

  it('turns a bad file into a problem naming it, never a throw, and reads the rest of the root', async () => {
    const r = makeRoot({ 'a/go.mod': 'require (\n\texample.com/x v1.0.0\n', 'b/go.mod': Buffer.from([0x72, 0x00, 0x01]), 'c/go.mod': good });
    cleanups.push(r.cleanup);
    const res = await runCollector(goModCollector, r.root, { files: ['/a/go.mod', '/b/go.mod', '/c/go.mod'] });
    expect(res.components.map((c) => `${c.locations[0]} ${c.name}`)).toEqual(['/a/go.mod example.com/x', '/c/go.mod example.com/good']);
    expect(res.problems.map((p) => `${p.path} ${p.code}`)).toEqual(['/a/go.mod malformed-record', '/b/go.mod corrupt']);
  });
});
