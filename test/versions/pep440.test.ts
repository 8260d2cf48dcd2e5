import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_PEP440_LENGTH, normalizePep440, pep440Scheme } from '../../src/versions/pep440.js';
import { VersionError } from '../../src/versions/scheme.js';
import { PKGDB, REPO } from '../helpers/fixtures.js';
import { conformanceFailures, HOSTILE_VERSIONS, loadVectors, orderFailures, outcome, pickOne, referenceFailures, refusalFailures, samplePairs, seededRandom } from './vectors.js';

const VALID = loadVectors('pep440.json');
const INVALID = loadVectors('pep440-invalid.json');

/** Vigil's answer, or 'VersionError' when it refuses. */
const compare = (a: string, b: string) => outcome(() => pep440Scheme.compare(a, b));

function normalized(v: string): string | null {
  try {
    return normalizePep440(v);
  } catch (e) {
    if (e instanceof VersionError) return null;
    throw e;
  }
}

/** Debian's interpreter, not whatever `python3` is first on PATH: that may carry another packaging. */
const PYTHON = '/usr/bin/python3';
// -I keeps the working directory (this repository has a packaging/ folder) off sys.path.
const hasPackaging = existsSync(PYTHON) && spawnSync(PYTHON, ['-I', '-c', 'import packaging.version'], { stdio: 'ignore' }).status === 0;

/** packaging's verdicts for `{versions, pairs}` on stdin: str(Version(v)) or null, sign of the comparison or null. */
const PY_PACKAGING = `
import json, sys
import packaging
from packaging.version import InvalidVersion, Version
req = json.loads(sys.stdin.buffer.read().decode('utf-8'))
seen = {}
def version(s):
    if s not in seen:
        try:
            seen[s] = Version(s)
        except InvalidVersion:
            seen[s] = None
    return seen[s]
def sign(a, b):
    x, y = version(a), version(b)
    return None if x is None or y is None else (x > y) - (x < y)
json.dump({'packaging': packaging.__version__,
           'normalized': [None if version(s) is None else str(version(s)) for s in req['versions']],
           'compare': [sign(a, b) for a, b in req['pairs']]}, sys.stdout)
`;

/** Versions Python packages really declare: core metadata in the fixtures and PyPI advisory data. */
function realVersions(): string[] {
  const out = new Set<string>();
  const visit = (p: string): void => {
    if (statSync(p).isDirectory()) return readdirSync(p).forEach((e) => visit(path.join(p, e)));
    for (const m of readFileSync(p, 'utf8').matchAll(/^Version:[ \t]*(.*?)\s*$/gm)) out.add(m[1]!);
  };
  visit(path.join(PKGDB, 'python'));
  type Osv = { affected?: { versions?: string[]; ranges?: { events?: Record<string, string>[] }[] }[] };
  const osv = JSON.parse(gunzipSync(readFileSync(path.join(REPO, 'data/feeds/osv-ecosystems/pypi.osv.json.gz'))).toString('utf8')) as Osv[];
  for (const rec of osv)
    for (const aff of rec.affected ?? []) {
      aff.versions?.forEach((v) => out.add(v));
      for (const range of aff.ranges ?? []) for (const ev of range.events ?? []) for (const v of Object.values(ev)) out.add(v);
    }
  return [...out];
}

/** Spellings at the edges of packaging's grammar, including what Python's regex case-folds. */
const TRICKY = [
  '1.0', 'v1.0', 'V1.0', ' 1.0 ', '\t1.0\n', '\u00a01.0\u3000', '\u001c1.0\u001f', '\u00851.0', '\ufeff1.0', '1.0\u200b',
  '1!1.0', '01!01.00', '1.0-1', '1.0-0', '1.0_1', '1.0.1-', '1.0a', '1.0A.1', '1.0-alpha-2', '1.0beta', '1.0c3', '1.0pre',
  '1.0-preview.4', '1.0rc', '1.0.RC.1', '1.0rev', '1.0-r-3', '1.0.post', '1.0post-2', '1.0.dev', '1.0-DEV_3', '1.0a1-1',
  '1.0a1.post1.dev1', '1.0.post1a1', '1.0+abc', '1.0+ABC.5', '1.0+abc-05_x', '1.0+5', '1.0+05', '1.0+', '1.0+a..b',
  '1.0+\u212a', '1.0+\u017f', '1.0+\u0130', '1.0+\u0131', '1.0po\u017ft1', '1.0PO\u017fT', '1.0prev\u0131ew1', '1.0PREV\u0130EW',
  '99999999999999999999', '1.99999999999999999999', '1.0+99999999999999999999.a', '1!', '!1.0', '1..0', '.1', '1.0.',
  'v', 'vv1.0', '1.0dev1.post1', '1.0.dev1+local', '1.0-dev', '1.0.a.1', '1.0-a-', '१.0', '1.0+١',
];

describe('PEP 440 versions (packaging 23.0)', () => {
  it('orders every pair of pep440.json as packaging 23.0 does, and antisymmetrically', () => {
    expect(conformanceFailures(pep440Scheme, VALID)).toEqual([]);
    expect(VALID.length).toBeGreaterThan(9000);
  });

  it('rejects the sides of pep440-invalid.json that packaging 23.0 rejects, and only those', () => {
    const known = new Set(VALID.flatMap((v) => [v.a, v.b]));
    const failures: string[] = [];
    for (const v of INVALID) {
      const sides = [v.a, v.b].map((s) => ({ s, ok: normalized(s) !== null }));
      // packaging reads every version of pep440.json; a side it rejected cannot be among them.
      for (const side of sides) if (side.ok !== known.has(side.s)) failures.push(`${JSON.stringify(side.s)}: accepted=${side.ok}`);
      if (sides.every((side) => side.ok)) failures.push(`${JSON.stringify(v.a)} vs ${JSON.stringify(v.b)}: neither side rejected`);
      const bad = sides.find((side) => !side.ok)!.s;
      try {
        pep440Scheme.compare(v.a, v.b);
        failures.push(`${JSON.stringify(v.a)} vs ${JSON.stringify(v.b)}: compared`);
      } catch (e) {
        if (!(e instanceof VersionError) || e.version !== bad || e.scheme !== 'pep440') failures.push(`${JSON.stringify(bad)}: ${String(e)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('prints the canonical spelling packaging prints', () => {
    const cases: [string, string | null][] = [
      ['  v1.0\t\n', '1.0'],
      ['1.0-1', '1.0.post1'],
      ['1.0_post_1', '1.0.post1'],
      ['1.0_1', null],
      ['1.0ALPHA1', '1.0a1'],
      ['1.0-beta.2', '1.0b2'],
      ['1.0c1', '1.0rc1'],
      ['1.0-pre', '1.0rc0'],
      ['1.0.preview-3', '1.0rc3'],
      ['1.0rev1', '1.0.post1'],
      ['1.0-r', '1.0.post0'],
      ['1.0.DEV', '1.0.dev0'],
      ['01!001.02.0003', '1!1.2.3'],
      ['0!1.0', '1.0'],
      ['1.0+ABC-05_x', '1.0+abc.5.x'],
      ['1.0+\u212a', '1.0+k'],
      ['1.0po\u017ft1', '1.0.post1'],
      ['1.0prev\u0131ew1', '1.0prev\u0131ew1'],
      ['1.99999999999999999999', '1.99999999999999999999'],
    ];
    expect(cases.map(([v]) => normalized(v))).toEqual(cases.map(([, n]) => n));
  });

  it('orders dev < pre < final < post, local after public, and local parts as packaging does', () => {
    const ascending = ['1.0.dev0', '1.0a0.dev0', '1.0a0', '1.0b1', '1.0rc1.dev1', '1.0rc1', '1.0', '1.0+abc', '1.0+abc.5', '1.0+5', '1.0+5.a', '1.0.post0.dev0', '1.0.post0', '1.0.post0+x', '1.1.dev0', '1!0.1'];
    expect(orderFailures(pep440Scheme, ascending)).toEqual([]);
    expect(compare('1.0', '1.0.0.0')).toBe(0);
    expect(compare('1.0+abc', '1.0+ABC')).toBe(0);
    // Python's case folding keeps ſ apart from s, so this post release sorts after "post".
    expect(compare('1.0.po\u017ft0', '1.0.post9')).toBe(1);
  });

  it('refuses malformed input with a VersionError that names it', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      [' \t\n', /empty/],
      ['1.0\u0000', /control character/],
      ['\u00071.0', /control character/],
      ['1.0\n2.0', /control character/],
      ['x'.repeat(10 * 1024), /longer than 256/],
      ['1.'.repeat(5000) + '1', /longer than 256/],
      ['$(id)', /not a PEP 440 version/],
      [';', /not a PEP 440 version/],
      ['1.0; rm -rf /', /not a PEP 440 version/],
      ['`id`', /not a PEP 440 version/],
      ['1.0-SNAPSHOT', /not a PEP 440 version/],
    ];
    expect(refusalFailures(pep440Scheme, [...cases, ...HOSTILE_VERSIONS], '1.0', 199)).toEqual([]);
    const longest = '1' + '.0'.repeat((MAX_PEP440_LENGTH - 2) / 2) + '0';
    expect(normalized(longest)).not.toBeNull();
    expect(normalized(longest + '0')).toBeNull();
  });

  it.skipIf(!hasPackaging)('agrees with Debian python3-packaging on vectors, real versions, random pairs and every BMP character', () => {
    const pool = [...new Set([...VALID.flatMap((v) => [v.a, v.b]), ...INVALID.flatMap((v) => [v.a, v.b]), ...realVersions(), ...TRICKY])];
    const versions = [...pool];
    // Each UTF-16 unit where Python's case folding or whitespace class could differ from JS's.
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      versions.push(`1.0+${ch}`, `${ch}1.0${ch}`, `1.0prev${ch}ew1`, `1.0po${ch}t1`);
    }
    const random = seededRandom(440);
    const pick = (): string => pickOne(pool, random);
    const pairs: [string, string][] = [...VALID.map((v): [string, string] => [v.a, v.b]), ...samplePairs(pool, 4000, random)];
    for (const t of TRICKY) pairs.push([t, pick()], [t, '1.0']);

    const out = execFileSync(PYTHON, ['-I', '-c', PY_PACKAGING], { input: JSON.stringify({ versions, pairs }), maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    const python = JSON.parse(out) as { packaging: string; normalized: (string | null)[]; compare: (number | null)[] };
    expect(python.packaging).toBe('23.0');

    const failures: string[] = [];
    versions.forEach((v, i) => {
      const mine = normalized(v);
      if (mine !== python.normalized[i]) failures.push(`normalize ${JSON.stringify(v)}: packaging ${JSON.stringify(python.normalized[i])}, Vigil ${JSON.stringify(mine)}`);
    });
    failures.push(...referenceFailures(pep440Scheme, pairs, python.compare.map((c) => c ?? 'VersionError'), 'packaging'));
    expect(failures.slice(0, 50)).toEqual([]);
    expect(pairs.length).toBeGreaterThan(13_000);
  });
});
