import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { composerNormalized, composerScheme } from '../../src/versions/composer.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { antisymmetryFailures, HOSTILE_VERSIONS, outcome, pickOne, refusalFailures, samplePairs, seededRandom, shellTextAfter, type Pair } from './vectors.js';

/**
 * The reference is Composer's own comparator, Debian's php-composer-semver (composer/semver
 * 3.3) run by php-cli: each version goes through `VersionParser::normalize`, and each pair
 * of normal forms through `Comparator::lessThan/greaterThan/equalTo`. A pair with a named
 * branch (a normal form starting `dev-`) is asked instead whether Composer's constraints
 * order it (`Constraint::matches` with `<` and `>`): they never do, which is why Vigil
 * refuses branches. Every pair goes to one `php -r` run as JSON on stdin; no data is ever
 * part of the command line.
 */

const PHP = `
require '/usr/share/php/Composer/Semver/autoload.php';
use Composer\\Semver\\VersionParser;
use Composer\\Semver\\Comparator;
use Composer\\Semver\\Constraint\\Constraint;
$parser = new VersionParser();
$norm = function ($v) use ($parser) {
  try { return $parser->normalize($v); } catch (\\UnexpectedValueException $e) { return null; }
};
$in = json_decode(stream_get_contents(STDIN), true);
$normal = [];
foreach ($in['versions'] as $v) $normal[] = $norm($v);
$answers = [];
foreach ($in['pairs'] as [$a, $b]) {
  $na = $norm($a);
  $nb = $norm($b);
  if ($na === null || $nb === null) { $answers[] = 'invalid'; continue; }
  if (strpos($na, 'dev-') === 0 || strpos($nb, 'dev-') === 0) {
    $ordered = (new Constraint('<', $nb))->matches(new Constraint('==', $na)) || (new Constraint('>', $nb))->matches(new Constraint('==', $na));
    $answers[] = $ordered ? 'branch-ordered' : 'branch';
    continue;
  }
  $answers[] = Comparator::lessThan($na, $nb) ? -1 : (Comparator::greaterThan($na, $nb) ? 1 : (Comparator::equalTo($na, $nb) ? 0 : 'unordered'));
}
echo json_encode(['normal' => $normal, 'answers' => $answers]);
`;

type Answer = -1 | 0 | 1 | 'invalid' | 'branch' | 'branch-ordered' | 'unordered';

function composer(versions: readonly string[], pairs: readonly Pair[]): { normal: Array<string | null>; answers: Answer[] } {
  const out = execFileSync('php', ['-d', 'display_errors=stderr', '-r', PHP], { input: JSON.stringify({ versions, pairs }), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const parsed = JSON.parse(out) as { normal: Array<string | null>; answers: Answer[] };
  expect(parsed.answers.length).toBe(pairs.length);
  return parsed;
}

/** Vigil against Composer on every pair (both directions); `refusedByVigil` lists what Vigil refuses on purpose although Composer orders it. */
function crossCheck(pairs: readonly Pair[], refusedByVigil: ReadonlySet<string> = new Set()): string[] {
  const { answers } = composer([], pairs);
  const failures: string[] = [];
  pairs.forEach(([a, b], i) => {
    const want = answers[i]!;
    const got = outcome(() => composerScheme.compare(a, b));
    const show = `${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
    if (want === 'branch-ordered' || want === 'unordered') failures.push(`${show}: Composer answers ${want}, which Vigil has no rule for`);
    else if (want === 'invalid' || want === 'branch') {
      if (got !== 'VersionError') failures.push(`${show}: got ${got}, Composer ${want === 'branch' ? 'orders no branch' : 'refuses it'}`);
    } else if (got === 'VersionError') {
      if (!refusedByVigil.has(a) && !refusedByVigil.has(b)) failures.push(`${show}: refused, Composer says ${want}`);
    } else if (got !== want) failures.push(`${show}: got ${got}, Composer says ${want}`);
  });
  return [...failures, ...antisymmetryFailures(composerScheme, pairs)];
}

const allPairs = (xs: readonly string[]): Pair[] => xs.flatMap((a) => xs.map((b) => [a, b] as const));

/** Every version of the Packagist records and the Composer fixtures Vigil's tests use. */
function fixtureVersions(): string[] {
  const out = new Set<string>();
  const adv = path.join(FIXTURES, 'advisories/osv-composer');
  for (const f of readdirSync(adv)) {
    const rec = JSON.parse(readFileSync(path.join(adv, f), 'utf8')) as { affected: Array<{ ranges: Array<{ events: Array<Record<string, string>> }> }> };
    for (const a of rec.affected) for (const r of a.ranges) for (const e of r.events) for (const v of Object.values(e)) out.add(v);
  }
  const pkgdb = path.join(FIXTURES, 'pkgdb/composer');
  const files = readdirSync(pkgdb, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('composer.lock') || f.endsWith('installed.json'));
  for (const f of files) {
    const doc = JSON.parse(readFileSync(path.join(pkgdb, f), 'utf8')) as unknown;
    const lists = Array.isArray(doc) ? [doc] : [(doc as Record<string, unknown>).packages, (doc as Record<string, unknown>)['packages-dev']];
    for (const list of lists) if (Array.isArray(list)) for (const p of list as Array<{ version?: string }>) if (p.version) out.add(p.version);
  }
  return [...out].sort();
}

/**
 * composer/semver tests/VersionParserTest.php @ 00a557826f35b96e65f261d0f8308c4e0dcf3ecd
 * (successfulNormalizedVersions, failingNormalizedVersions, successfulNormalizedBranches
 * inputs), the constraint versions of roave/security-advisories' conflict list, and the
 * forms Composer's grammar allows around them.
 */
const CURATED = [
  // VersionParserTest
  '1.0.0', '1.2.3.4', '1.0.0RC1dev', '1.0.0-rC15-dev', '1.0.0.RC.15-dev', '1.0.0-rc1', '1.0.0.pl3-dev', '1.0-dev', '0', '10.4.13-beta', '10.4.13beta2',
  '10.4.13beta.2', '10.4.13-b', '10.4.13-b5', 'v1.0.0', '2010.01', '2010.01.02', '2010.1.555', '2010.10.200', 'v20100102', '2010-01-02', '2010-01-02.5',
  '20100102-203040', '20150920.0.0', '20100102203040-10', '20100102-203040-p1', 'dev-master', 'dev-trunk', '1.x-dev', 'dev-feature-foo', 'DEV-FOOBAR',
  'dev-feature/foo', 'dev-feature+issue-1', '1.0.0-beta.5+foo', '1.0.0+foo', '1.0.0-alpha.3.1+foo', '1.0.0-alpha2.1+foo', '1.0.0-alpha-2.1-3+foo',
  'a', '1.0.0-meh', '1.0.0.0.0', 'feature-foo', 'v1.x-dev', 'v1.0.x-dev', '2.0.x-dev', '1.0.3.*-dev', 'master', 'trunk', 'default', '1-dev',
  // roave/security-advisories conflict bounds
  '4-rc.2', '2-alpha.1', '1-rc.0', '1-rc.6', '0.1-beta.14', '1.7-beta.8', '2.3.2-p.2', '1.0.2.1', '5.4.6.1', '9.9.99', '4.1.99999', '2017.12.0.1', '1-alpha.11',
  // stabilities, spellings, cases and lengths
  '1.0.0-alpha', '1.0.0a', '1.0.0-a1', '1.0.0-A1', '1.0.0b', '1.0.0-beta', '1.0.0-BETA', '1.0.0-Beta1', '1.0.0-RC', '1.0.0-rc.1', '1.0.0-RC2', '1.0.0-patch',
  '1.0.0p1', '1.0.0-pl2', '1.0.0-PL2', '1.0.0-patch1', '1.0.0-stable', '1.0.0-STABLE', '1.0.0-Stable-dev', '1.0.0-stable-dev', '1.0.0-dev', '1.0.0-beta-dev',
  '1.0.0-beta1-dev', '1.0.0_beta1', '1.0.0.beta1', '1.0.0beta', '1.0.0-beta.1.2', '1.0.0-beta1.2', '1.0.0-beta-1-2', '1.0.0.1', '1.0.0.0', '1.0', '1',
  'V1.2.3', 'v1.2', '01.02', '1.01', '1.1', '99999.0', '100000.0', '123456', '20231231', '2023.12.31', '1.0.0+build.1', '1.0.0+20130313144700',
  '1.0@dev', '1.0.0-beta@beta', '1.0.0@stable', '3.x-dev', '3.*-dev', '3.X-dev', 'v3.x-dev', '1.0.0-alpha1', '1.0.0-alpha10', '1.0.0-alpha2', '1.0.0-RC10',
  '2.4.5', '2.4.5.0', '2.4.5-patch1', '2.4.5pl1', '2.4.5-alpha', '2.4.5-dev', '2.4.4.9999999', '9223372036854775807.0', '1.9223372036854775807', '1.', '1.0-', '1_', '1.0.0-', '1.0+a+b', '1.0.0+build+2',
];

/** What Vigil refuses on purpose although Composer orders it: numbers past PHP_INT_MAX, saturated by strtol. */
const VIGIL_REFUSES = ['1.9223372036854775808', '1.99999999999999999999', '1.0.0+$(id)', "1.0.0+a'b", '1.0.0+x;y', '1.0.0+x|y'];

describe('composer scheme (composer/semver VersionParser + Comparator)', () => {
  beforeAll(() => {
    try {
      execFileSync('php', ['-r', "require '/usr/share/php/Composer/Semver/autoload.php';"], { stdio: 'ignore' });
    } catch {
      throw new Error('the composer version tests need php-cli and php-composer-semver (apt-get install php-cli php-composer-semver)');
    }
  });

  it('agrees with Composer on every pair of the versions in the Packagist records and Composer fixtures used by Vigil, and on their normal forms', () => {
    const versions = fixtureVersions();
    expect(versions).toEqual(expect.arrayContaining(['0', '1.9.1', '2.0.0', '2.4.5', '6.5.8', '7.0.0', '7.4.5', '1.9.0', 'v1.27.0', 'v1.0.2', 'v4.6.2', 'dev-master']));
    expect(versions.length).toBeGreaterThan(20);
    expect(crossCheck(allPairs(versions))).toEqual([]);
    const { normal } = composer(versions, []);
    const failures = versions.flatMap((v, i) => {
      const mine = outcome(() => composerNormalized(v));
      const theirs = normal[i] ?? null;
      if (theirs === null || theirs.startsWith('dev-')) return mine === 'VersionError' ? [] : [`${v}: normalised to ${mine}, Composer ${theirs === null ? 'refuses it' : `calls it the branch ${theirs}`}`];
      return mine === theirs ? [] : [`${v}: normalised to ${mine}, Composer says ${theirs}`];
    });
    expect(failures).toEqual([]);
  });

  it("agrees with Composer on every pair of VersionParserTest's inputs, security-advisories' bounds and the grammar's spellings, and on their normal forms", () => {
    const versions = [...new Set(CURATED)];
    expect(crossCheck(allPairs(versions))).toEqual([]);
    const { normal } = composer(versions, []);
    const failures: string[] = [];
    versions.forEach((v, i) => {
      const mine = outcome(() => composerNormalized(v));
      const theirs = normal[i] ?? null;
      const refused = theirs === null || theirs.startsWith('dev-');
      if (refused !== (mine === 'VersionError') || (!refused && mine !== theirs)) failures.push(`${v}: Vigil ${mine}, Composer ${theirs}`);
    });
    expect(failures).toEqual([]);
    // The order version_compare gives the stabilities, and the quirks of Composer's spelling.
    const order = ['1.0.0-dev', '1.0.0-alpha', '1.0.0-alpha1', '1.0.0-alpha2', '1.0.0-alpha10', '1.0.0-beta', '1.0.0-beta1-dev', '1.0.0-beta1', '1.0.0-RC1', '1.0.0', '1.0.0-patch1', '1.0.0.1', '1.0.1-dev', '1.0.1'];
    for (let i = 1; i < order.length; i++) expect(composerScheme.compare(order[i - 1]!, order[i]!), `${order[i - 1]} < ${order[i]}`).toBe(-1);
    expect(composerScheme.compare('1.0.0-STABLE', '1.0.0-dev')).toBe(-1);
    expect(composerScheme.compare('1.0.0-stable', '1.0.0')).toBe(0);
    expect(composerScheme.compare('v1.2', '1.2.0.0')).toBe(0);
    expect(composerScheme.compare('1.0.0+build.1', '1.0.0')).toBe(0);
    expect(composerScheme.compare('1.x-dev', '1.99999')).toBe(1);
    expect(composerNormalized('10.4.13beta.2')).toBe('10.4.13.0-beta2');
  });

  it('agrees with Composer on thousands of generated versions and pairs', () => {
    const rand = seededRandom(7351);
    const pick = <T>(xs: readonly T[]): T => pickOne(xs, rand);
    const num = () => pick(['0', '0', '1', '2', '9', '10', '01', '007', '99999', '123456', '2010', '20100102']);
    const stab = () => pick(['alpha', 'a', 'beta', 'b', 'RC', 'rc', 'patch', 'pl', 'p', 'stable', 'STABLE', 'Beta', 'dev', 'x', 'meh']);
    const sep = () => pick(['', '.', '-', '_', '+']);
    const version = (): string => {
      let v = (rand() < 0.15 ? pick(['v', 'V']) : '') + num();
      const n = Math.floor(rand() * 5);
      for (let i = 0; i < n; i++) v += pick(['.', '.', '.', '-', ':']) + (rand() < 0.9 ? num() : pick(['x', '*']));
      if (rand() < 0.5) v += sep() + stab() + (rand() < 0.6 ? pick(['', '.', '-']) + num() : '') + (rand() < 0.3 ? pick(['.', '-']) + num() : '');
      if (rand() < 0.2) v += pick(['-dev', '.dev', 'dev', '-DEV']);
      if (rand() < 0.1) v += '+' + pick(['build', '1', 'a.b', 'x-y']);
      return v;
    };
    const pool = Array.from({ length: 1500 }, version);
    const pairs = samplePairs(pool, 20000, rand, 10);
    const failures = crossCheck(pairs);
    expect(failures.slice(0, 20)).toEqual([]);
    // Both orders, ties and refusals all occur, so the check is not vacuous.
    expect(new Set(composer([], pairs).answers)).toEqual(new Set([-1, 0, 1, 'invalid']));
  });

  it('refuses named branches, which Composer orders against no version', () => {
    const branches = ['dev-master', 'dev-main', 'DEV-FOOBAR', 'dev-feature/foo', 'master', 'trunk', 'default', 'dev-1.x'];
    const { answers } = composer([], branches.map((b) => [b, '1.0.0'] as const));
    expect(answers).toEqual(branches.map(() => 'branch'));
    expect(refusalFailures(composerScheme, branches.map((b) => [b, /a named branch/] as const), ['1.0.0', '9999999-dev'])).toEqual([]);
  });

  it('refuses what Composer refuses, empty, whitespace, control characters, 10 KB strings and shell text, and what Vigil will not read', () => {
    const composerRefuses = ['a', '1.0.0-meh', '1.0.0.0.0', 'feature-foo', '1.0.0+foo bar', 'dev', '1..0', '.1', '1.0.0-beta.x'];
    const { answers } = composer([], [...composerRefuses, ...shellTextAfter('1.0.0')].map((v) => [v, '1.0.0'] as const));
    expect(answers).toEqual(answers.map(() => 'invalid'));
    // Composer orders these: spaces make an alias, strtol saturates, and metadata may hold anything but spaces.
    const composerOrders = ['1.0.0 as 2.0.0', ' 1.0.0 as 1.0.1', ...VIGIL_REFUSES];
    expect(composer([], composerOrders.map((v) => [v, '1.0.0'] as const)).answers.every((a) => typeof a === 'number')).toBe(true);
    const cases = [...composerRefuses, ...shellTextAfter('1.0.0'), ...HOSTILE_VERSIONS, ...composerOrders, '1.0.0\n', '\t1.0.0', '1.0.\u00000', '\u001b[31m1.0.0', '1.0.0\u00a0', `1.0.0-${'a'.repeat(10 * 1024)}`];
    expect(refusalFailures(composerScheme, cases, '1.0.0')).toEqual([]);
    expect(() => composerScheme.validate('1.99999999999999999999')).toThrow(/beyond PHP's integer range/);
    expect(() => composerScheme.validate('1.0.0+$(id)')).toThrow(/build metadata/);
    expect(() => composerScheme.validate('1.0 as 2.0')).toThrow(/contains a space/);
    expect(() => composerScheme.validate('1.0.0-meh')).toThrow(/not a Composer version/);
  });

  it('reads a stability flag as Composer does and calls the version unusual', () => {
    expect(composerScheme.unusual('1.0@dev')).toMatch(/stability flag @dev belongs to constraints/);
    expect(composerScheme.unusual('1.0.0')).toBeUndefined();
    expect(composerScheme.unusual('1.x-dev')).toBeUndefined();
    expect(composerScheme.compare('1.0@dev', '1.0.0')).toBe(0);
    expect(composer([], [['1.0@dev', '1.0.0']]).answers).toEqual([0]);
  });
});
