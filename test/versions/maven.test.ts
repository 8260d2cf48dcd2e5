import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_MAVEN_LENGTH, mavenScheme } from '../../src/versions/maven.js';
import { VersionError } from '../../src/versions/scheme.js';
import { CACHE_DIR, FIXTURES, REPO } from '../helpers/fixtures.js';

interface Vector {
  a: string;
  b: string;
  expected: -1 | 0 | 1;
  source: string;
  maven_3_8_7_result?: -1 | 0 | 1;
}
const vectors = (file: string): Vector[] => JSON.parse(readFileSync(path.join(FIXTURES, 'versions', file), 'utf8')) as Vector[];
const VALID = vectors('maven.json');
const DISAGREEMENTS = vectors('maven-disagreements.json');

/** Vigil's answer, or the error's class name when it throws. */
function compare(a: string, b: string): number | string {
  try {
    return mavenScheme.compare(a, b);
  } catch (e) {
    return (e as Error).name;
  }
}

/** Debian's libmaven3-core-java: the ComparableVersion of Maven 3.8.7 itself. */
const MAVEN_JAR = '/usr/share/java/maven3-artifact.jar';
const hasJava = existsSync(MAVEN_JAR) && spawnSync('javac', ['-version'], { stdio: 'ignore' }).status === 0;

/** Reads `a<TAB>b` lines and prints the sign of ComparableVersion(a).compareTo(b), after Maven's own version. */
const JAVA_SOURCE = `
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenCompare {
  public static void main(String[] args) throws IOException {
    Properties pom = new Properties();
    pom.load(ComparableVersion.class.getResourceAsStream("/META-INF/maven/org.apache.maven/maven-artifact/pom.properties"));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
    out.println(pom.getProperty("version"));
    for (String line; (line = in.readLine()) != null; ) {
      int tab = line.indexOf('\\t');
      ComparableVersion a = new ComparableVersion(line.substring(0, tab));
      out.println(Integer.signum(a.compareTo(new ComparableVersion(line.substring(tab + 1)))));
    }
    out.flush();
  }
}
`;

/** Compiled once per source text under the test cache; a temporary directory renamed into place keeps it whole. */
function compiledComparer(): string {
  const dir = path.join(CACHE_DIR, 'maven-cmp', createHash('sha256').update(JAVA_SOURCE).digest('hex').slice(0, 16));
  if (existsSync(path.join(dir, 'MavenCompare.class'))) return dir;
  mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = mkdtempSync(`${dir}.tmp-`);
  writeFileSync(path.join(tmp, 'MavenCompare.java'), JAVA_SOURCE);
  execFileSync('javac', ['-cp', MAVEN_JAR, '-d', tmp, path.join(tmp, 'MavenCompare.java')], { stdio: 'pipe' });
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another run put it there first
  }
  return dir;
}

function mavenCompare(pairs: [string, string][]): { version: string; signs: number[] } {
  const out = execFileSync('java', ['-cp', `${compiledComparer()}:${MAVEN_JAR}`, 'MavenCompare'], {
    input: pairs.map(([a, b]) => `${a}\t${b}\n`).join(''),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const [version, ...signs] = out.trimEnd().split('\n');
  return { version: version!, signs: signs.map(Number) };
}

/** Deterministic pseudo-random numbers, so a failure can be reproduced. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Osv = { affected?: { versions?: string[]; ranges?: { events?: Record<string, string>[] }[] }[] };
const ghsa = (): Osv[] => JSON.parse(gunzipSync(readFileSync(path.join(REPO, 'data/feeds/osv-ecosystems/ghsa-maven.osv.json.gz'))).toString('utf8')) as Osv[];

/** Strings Maven accepts that Vigil compares too, although no repository would publish them. */
const ODD_BUT_ACCEPTED = ['$(id)', ';', '1.0; rm -rf /', '`id`', '1.0 beta', '../../etc/passwd', '%00', '\u00fcber-1', '1.0-\u0130', '1.0-\u03a3\u03a3', '1.0-STRASSE', '1.0-stra\u00dfe', '1-constructor', '1-__proto__', 'hasOwnProperty'];

describe('Maven versions (ComparableVersion 3.8.7)', () => {
  it('orders every pair of maven.json as Maven 3.8.7 does, and antisymmetrically', () => {
    const failures: string[] = [];
    for (const v of VALID) {
      const ab = compare(v.a, v.b);
      const ba = compare(v.b, v.a);
      if (ab !== v.expected || ba !== -v.expected || compare(v.a, v.a) !== 0) {
        failures.push(`${JSON.stringify(v.a)} vs ${JSON.stringify(v.b)}: want ${v.expected}, got ${ab} (reversed ${ba}) [${v.source}]`);
      }
    }
    expect(failures).toEqual([]);
    expect(VALID.length).toBeGreaterThan(21_000);
  });

  it("follows 3.8.7, not later Maven, where they disagree (maven-disagreements.json)", () => {
    const failures: string[] = [];
    for (const v of DISAGREEMENTS) {
      const want = v.maven_3_8_7_result!;
      if (compare(v.a, v.b) !== want || compare(v.b, v.a) !== -want) failures.push(`${v.a} vs ${v.b}: want ${want}, got ${compare(v.a, v.b)}`);
    }
    expect(failures).toEqual([]);
    expect(DISAGREEMENTS).toHaveLength(22);
  });

  it('knows the qualifier order, the a1/b1/m1 shorthands, trailing zeros and "-" nesting', () => {
    const ascending = ['1-alpha1', '1-a2', '1-beta1', '1-b2', '1-milestone1', '1-m2', '1-rc1', '1-cr2', '1-snapshot', '1', '1-sp', '1-abc', '1-xyz', '1-1', '1.1'];
    const failures: string[] = [];
    for (let i = 0; i < ascending.length; i++)
      for (let j = 0; j < ascending.length; j++) if (compare(ascending[i]!, ascending[j]!) !== Math.sign(i - j)) failures.push(`${ascending[i]} vs ${ascending[j]}`);
    expect(failures).toEqual([]);
    for (const same of ['1.0', '1.0.0', '1-ga', '1-final', '1.0-release', '1-0', '1.0.0-0.0']) expect(compare('1', same)).toBe(0);
    expect(compare('1-RC1', '1-rc-1')).toBe(0);
    expect(compare('1.0.0000000000000000000001', '1.0.1')).toBe(0);
    expect(compare('99999999999999999999999.1', '99999999999999999999998.2')).toBe(1);
  });

  it('refuses what cannot be a Maven version, and compares odd strings as Maven does', () => {
    const refused: [string, RegExp][] = [
      ['', /empty/],
      ['1.0\u0000', /control character/],
      ['1.0\n2.0', /control character/],
      ['\u0085', /control character/],
      [' 1.0', /whitespace/],
      ['1.0\u00a0', /whitespace/],
      ['x'.repeat(10 * 1024), new RegExp(`longer than ${MAX_MAVEN_LENGTH}`)],
      ['1'.repeat(MAX_MAVEN_LENGTH + 1), /longer than/],
    ];
    for (const [bad, reason] of refused) {
      for (const call of [() => mavenScheme.validate(bad), () => mavenScheme.compare('1.0', bad), () => mavenScheme.compare(bad, '1.0')]) {
        expect(call).toThrow(VersionError);
        expect(call).toThrow(reason);
      }
      try {
        mavenScheme.compare(bad, '1.0');
      } catch (e) {
        expect((e as VersionError).version).toBe(bad);
        expect((e as VersionError).scheme).toBe('maven');
      }
    }
    expect(() => mavenScheme.validate('1.' + '0'.repeat(MAX_MAVEN_LENGTH - 2))).not.toThrow();
    for (const odd of ODD_BUT_ACCEPTED) {
      expect(() => mavenScheme.validate(odd)).not.toThrow();
      expect(compare(odd, '1.0')).toBe(-compare('1.0', odd));
    }
  });

  it.skipIf(!hasJava)('agrees with Maven 3.8.7 (Debian libmaven3-core-java) on random pairs, every GHSA version and Unicode digits', () => {
    const pool = [...new Set(VALID.flatMap((v) => [v.a, v.b]))];
    const random = mulberry32(387);
    const pick = (from: string[]): string => from[Math.floor(random() * from.length)]!;
    const pairs: [string, string][] = [];
    for (let i = 0; i < 2000; i++) pairs.push([pick(pool), pick(pool)]);

    const advisory = new Set<string>();
    for (const rec of ghsa())
      for (const aff of rec.affected ?? []) {
        const listed = aff.versions ?? [];
        listed.forEach((v, i) => {
          advisory.add(v);
          if (i > 0) pairs.push([listed[i - 1]!, v]);
        });
        for (const range of aff.ranges ?? []) for (const ev of range.events ?? []) Object.values(ev).forEach((v) => advisory.add(v));
      }
    const real = [...advisory];
    for (const v of real) pairs.push([v, pick(real)], [v, pick(pool)]);

    // Java's Character.isDigit and Character.digit, which Maven splits and parses numbers by.
    for (let c = 0x80; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (!/\p{Nd}/u.test(ch)) continue;
      for (let d = 0; d <= 9; d++) pairs.push([`1.${ch}`, `1.${d}`]);
      pairs.push([`1.${ch}${ch}`, `1.${ch}`], [`1.0${ch}000000000`, '1.1'], [`rc${ch}`, `rc-${ch}`]);
    }
    for (const odd of ODD_BUT_ACCEPTED) pairs.push([odd, '1.0'], [odd, pick(pool)]);

    const maven = mavenCompare(pairs);
    expect(maven.version).toBe('3.8.7');
    expect(maven.signs).toHaveLength(pairs.length);
    const failures: string[] = [];
    pairs.forEach(([a, b], i) => {
      if (compare(a, b) !== maven.signs[i]) failures.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}: Maven ${maven.signs[i]}, Vigil ${compare(a, b)}`);
    });
    expect(failures.slice(0, 50)).toEqual([]);
    expect(real.length).toBeGreaterThan(3000);
  });
});
