import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { stdlibVersion } from '../../src/inventory/collectors/go-binary.parse.js';
import { goScheme } from '../../src/versions/go.js';
import { CACHE_DIR, REPO } from '../helpers/fixtures.js';
import { antisymmetryFailures, HOSTILE_VERSIONS, outcome, pickOne, referenceFailures, refusalFailures, runReference, seededRandom, type Pair } from './vectors.js';

/**
 * The reference is golang.org/x/mod/semver itself (Debian's golang-golang-x-mod-dev),
 * compiled once into the cache with Debian's Go, offline, as a filter that reads
 * `a<TAB>b` lines and prints `Compare(a, b) IsValid(a) IsValid(b)`.
 */

const X_MOD = '/usr/share/gocode/src/golang.org/x/mod';
const CMP_DIR = path.join(CACHE_DIR, 'go-semver-cmp');
const CMP_BIN = path.join(CMP_DIR, 'semver-cmp-v1');

const MAIN = `package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		a, b, ok := strings.Cut(in.Text(), "\\t")
		if !ok {
			fmt.Fprintln(os.Stderr, "expected a<TAB>b")
			os.Exit(2)
		}
		fmt.Fprintf(out, "%d %t %t\\n", semver.Compare(a, b), semver.IsValid(a), semver.IsValid(b))
	}
}
`;

function ensureSemverCmp(): string {
  if (existsSync(CMP_BIN)) return CMP_BIN;
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error('the go version tests need go (apt-get install golang-go)');
  }
  if (!existsSync(path.join(X_MOD, 'semver/semver.go'))) throw new Error(`the go version tests need ${X_MOD} (apt-get install golang-golang-x-mod-dev)`);
  mkdirSync(CMP_DIR, { recursive: true });
  const work = mkdtempSync(path.join(CMP_DIR, 'build-'));
  try {
    const src = path.join(work, 'src');
    mkdirSync(path.join(src, 'vendor/golang.org/x/mod'), { recursive: true });
    writeFileSync(path.join(src, 'go.mod'), 'module vigil.invalid/semvercmp\n\ngo 1.19\n\nrequire golang.org/x/mod v0.7.0\n');
    writeFileSync(path.join(src, 'main.go'), MAIN);
    symlinkSync(path.join(X_MOD, 'semver'), path.join(src, 'vendor/golang.org/x/mod/semver'));
    writeFileSync(path.join(src, 'vendor/modules.txt'), '# golang.org/x/mod v0.7.0\n## explicit; go 1.17\ngolang.org/x/mod/semver\n');
    const env = {
      ...process.env,
      GOFLAGS: '-mod=vendor',
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
      GOWORK: 'off',
      GO111MODULE: 'on',
      GOENV: 'off',
      CGO_ENABLED: '0',
      GOCACHE: path.join(work, 'gocache'),
      GOPATH: path.join(work, 'gopath'),
    };
    const out = path.join(work, 'semver-cmp');
    execFileSync('go', ['build', '-trimpath', '-o', out, '.'], { cwd: src, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      renameSync(out, CMP_BIN);
    } catch (err) {
      // Another run finished first; its binary is the same program.
      if (!existsSync(CMP_BIN)) throw err;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return CMP_BIN;
}

interface XmodAnswer {
  cmp: number;
  validA: boolean;
  validB: boolean;
}

let bin = '';
function xmod(pairs: readonly Pair[]): XmodAnswer[] {
  const lines = runReference([bin], pairs);
  expect(lines.length).toBe(pairs.length);
  return lines.map((l) => {
    const [cmp, a, b] = l.split(' ');
    return { cmp: Number(cmp), validA: a === 'true', validB: b === 'true' };
  });
}

/** Compares every pair with Vigil (both directions) against x/mod; returns the disagreements. */
function crossCheck(pairs: Array<[string, string]>, xmodForm: (v: string) => string = (v) => v): string[] {
  const answers = xmod(pairs.map(([a, b]) => [xmodForm(a), xmodForm(b)]));
  const valid = (w: XmodAnswer): boolean => w.validA && w.validB;
  const failures = pairs.flatMap(([a, b], i) => (valid(answers[i]!) ? [] : [`x/mod calls ${!answers[i]!.validA ? a : b} invalid`]));
  const pairsValid = pairs.filter((_, i) => valid(answers[i]!));
  const want = answers.filter(valid).map((w) => w.cmp);
  return [...failures, ...referenceFailures(goScheme, pairsValid, want, 'x/mod'), ...antisymmetryFailures(goScheme, pairsValid)];
}

const withV = (v: string): string => (v.startsWith('v') ? v : `v${v}`);

describe('go scheme (golang.org/x/mod/semver)', () => {
  beforeAll(() => {
    bin = ensureSemverCmp();
  });

  it("agrees with x/mod on its own semver_test.go table: validity, and every pair with and without the v", () => {
    const text = readFileSync(path.join(X_MOD, 'semver/semver_test.go'), 'utf8');
    const table = [...text.slice(0, text.indexOf('func Test')).matchAll(/\{"([^"]*)", "([^"]*)"\}/g)].map((m) => ({ in: m[1]!, out: m[2]! }));
    expect(table.length).toBeGreaterThan(30);
    const failures: string[] = [];
    const valid: string[] = [];
    for (const t of table) {
      const accepted = outcome(() => goScheme.validate(t.in)) !== 'VersionError';
      if (accepted !== (t.out !== '')) failures.push(`${t.in}: Vigil ${accepted ? 'accepts' : 'refuses'}, x/mod canonical ${JSON.stringify(t.out)}`);
      if (t.out !== '') valid.push(t.in);
    }
    const pairs: Array<[string, string]> = [];
    for (const a of valid) for (const b of valid) pairs.push([a, b], [a.slice(1), b], [a, b.slice(1)]);
    failures.push(...crossCheck(pairs, withV));
    // The table is in ascending order, equal canonical forms being equal (x/mod's TestCompare).
    for (const [i, a] of table.entries()) {
      for (const [j, b] of table.entries()) {
        if (!a.out || !b.out) continue;
        const want = a.out === b.out ? 0 : i < j ? -1 : 1;
        if (goScheme.compare(a.in, b.in) !== want) failures.push(`table order: ${a.in} vs ${b.in} should be ${want}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('agrees with x/mod on random and neighbouring pairs of every version in the Go vulnerability database', () => {
    const records = JSON.parse(gunzipSync(readFileSync(path.join(REPO, 'data/feeds/osv-ecosystems/go.osv.json.gz'))).toString('utf8')) as Array<{
      affected?: Array<{ ranges?: Array<{ events?: Array<Record<string, string>> }>; versions?: string[] }>;
    }>;
    const set = new Set<string>();
    for (const r of records) {
      for (const a of r.affected ?? []) {
        for (const rg of a.ranges ?? []) for (const e of rg.events ?? []) for (const v of Object.values(e)) set.add(v);
        for (const v of a.versions ?? []) set.add(v);
      }
    }
    const versions = [...set].sort();
    expect(versions.length).toBeGreaterThan(2000);
    const rand = seededRandom(20260821);
    const pick = (): string => pickOne(versions, rand);
    // OSV drops the `v`; installed versions carry it. Mix both spellings on either side.
    const spell = (v: string): string => (rand() < 0.5 ? v : `v${v}`);
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < 3000; i++) pairs.push([spell(pick()), spell(pick())]);
    // Sorted neighbours share prefixes, which is where pre-releases and pseudo-versions get ordered.
    for (let i = 1; i < versions.length; i++) pairs.push([spell(versions[i - 1]!), spell(versions[i]!)]);
    const failures = crossCheck(pairs, withV);
    expect(failures).toEqual([]);
    expect(pairs.length).toBeGreaterThan(5000);
  });

  it('orders pseudo-versions, +incompatible and pre-releases as x/mod does', () => {
    const versions = [
      'v0.0.0-20191109021931-daa7c04131f5',
      'v0.0.0-20210101000000-abcdefabcdef',
      'v0.0.0',
      'v1.2.3-pre',
      'v1.2.3-pre.0.20210101000000-abcdefabcdef',
      'v1.2.3',
      'v1.2.4-0.20210101000000-abcdefabcdef',
      'v1.2.4',
      'v2.0.0+incompatible',
      'v2.0.0',
      'v2.0.1-0.20170519163204-f913f5f9c7c6+incompatible',
      'v1.0.0-alpha',
      'v1.0.0-alpha.1',
      'v1.0.0-alpha.beta',
      'v1.0.0-beta.11',
      'v1.0.0-beta.2',
      'v1.0.0-rc.1',
      'v1.0.0-1',
      'v1.0.0-99999999999999999999',
      'v99999999999999999999.0.0',
      'v1',
      'v1.0',
    ];
    const pairs: Array<[string, string]> = [];
    for (const a of versions) for (const b of versions) pairs.push([a, b]);
    expect(crossCheck(pairs)).toEqual([]);
    expect(goScheme.compare('v2.0.0+incompatible', '2.0.0')).toBe(0);
    expect(goScheme.compare('0', 'v0.0.0-20191109021931-daa7c04131f5')).toBe(1);
  });

  it('reads Go toolchain tags as the go-binary collector reports the standard library', () => {
    const tags = ['go1', 'go1.9.2rc2', 'go1.9.2', 'go1.20', 'go1.20.1', 'go1.21beta1', 'go1.21rc1', 'go1.21rc2', 'go1.21.0', 'go1.21.3', 'go1.22.0', 'go1.100'];
    const failures: string[] = [];
    for (const t of tags) {
      if (goScheme.compare(t, stdlibVersion(t)) !== 0) failures.push(`${t} is not ${stdlibVersion(t)}`);
    }
    const pairs: Array<[string, string]> = [];
    for (const a of tags) for (const b of tags) pairs.push([a, b]);
    failures.push(...crossCheck(pairs, (t) => `v${stdlibVersion(t)}`));
    // The order a reader expects, stated independently of the normalisation.
    const ascending = ['go1', 'go1.20', 'go1.20.1', 'go1.21beta1', 'go1.21rc1', 'go1.21rc2', 'go1.21.0', 'go1.21.3'];
    for (let i = 1; i < ascending.length; i++) if (goScheme.compare(ascending[i - 1]!, ascending[i]!) !== -1) failures.push(`${ascending[i - 1]} < ${ascending[i]}`);
    expect(failures).toEqual([]);
    expect(goScheme.compare('go1.21rc2', '1.21.0-rc.2')).toBe(0);
    expect(goScheme.compare('go1.20', 'v1.20.0')).toBe(0);
  });

  it('refuses what x/mod calls invalid, and empty, whitespace, control characters, 10 KB strings and shell text, with VersionError', () => {
    const xmodInvalid = ['v1.2-pre', 'v1-pre+meta', 'v01.2.3', 'v1.02.3', 'v1.2.3-01', 'v1.2.3-pre..1', 'v1.2.3+', 'v1.2.3-', 'v1.2.3.4', 'V1.2.3', 'vv1.2.3', 'v1.2.3-pre_1', 'v'];
    const answers = xmod(xmodInvalid.map((v) => [v, 'v1.0.0']));
    expect(answers.filter((a) => a.validA)).toEqual([]);
    const toolchainInvalid = ['go1.21.3 X:boringcrypto', 'go2', 'go1.21rc', 'gobad', 'go1.21-rc.1'];
    const other = [...HOSTILE_VERSIONS, '1.2.3\n', ' v1.2.3', 'v1.2.3 ', 'v1.2.\u00003', '\u001b[31mv1.2.3', 'v1.2.3;id', 'v'.padEnd(10 * 1024, '9'), `v1.2.3-${'a'.repeat(10 * 1024)}`];
    const bad = [...xmodInvalid, ...xmodInvalid.filter((v) => /^v\d/.test(v)).map((v) => v.slice(1)), ...toolchainInvalid, ...other];
    expect(refusalFailures(goScheme, bad, ['v1.0.0', '1.0.0'])).toEqual([]);
    expect(() => goScheme.validate('v1.2-pre')).toThrow(/needs all three numbers/);
    expect(() => goScheme.validate('v01.2.3')).toThrow(/leading zeros/);
    expect(() => goScheme.validate('v1.2.3-01')).toThrow(/pre-release identifiers must not have leading zeros/);
    expect(() => goScheme.validate('go1.21-rc.1')).toThrow(/not a Go toolchain version/);
  });
});
