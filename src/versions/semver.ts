import semver from 'semver';
import { type Ordering, type VersionScheme, VersionError } from './scheme.js';

/**
 * npm package versions, compared by the `semver` package itself so that Vigil orders
 * them exactly as npm does.
 *
 * The default is npm's loose mode. Registry versions are strict SemVer, but Vigil
 * also reads versions from hand-written package.json files, old lockfiles and
 * advisory data, which carry loose forms (`=1.2.3`, `v 1.2.3`, `1.2.3beta`, `01.2.3`).
 * Loose mode accepts a superset of strict mode and orders every strict version the
 * same way, so it loses nothing; refusing those forms would only drop components
 * from matching. `semverStrictScheme` is there for callers that must insist on
 * registry-grade versions.
 *
 * Vigil refuses, where npm would not: strings that are empty or only spaces, and any
 * character outside printable ASCII (npm trims tabs and newlines away, but in data
 * Vigil reads they mean a parsing bug upstream). Like npm, it refuses numbers above
 * 2^53 - 1 and versions without exactly three numbers, which generic SemVer
 * comparators (osv-scalibr's) would still order: a version npm cannot install is
 * not one Vigil should claim to place.
 */

export interface SemverOptions {
  /** npm's loose mode: `v`/`=` prefixes, spaces after them, `-` optional before a pre-release, leading zeros. */
  readonly loose: boolean;
}

export interface RangeOptions {
  readonly loose?: boolean;
  /** Let pre-release versions satisfy ranges whose bounds are releases (`1.3.0-rc.1` in `<2.0.0`). */
  readonly includePrerelease?: boolean;
}

/**
 * What `npm audit` passes to `semver.satisfies` when it tests an installed version
 * against an advisory's vulnerable range (npm/metavuln-calculator `lib/advisory.js`).
 * Without `includePrerelease`, `2.0.0-beta.1` would escape `<2.0.1`, which is the
 * wrong answer for a vulnerability check.
 */
export const NPM_AUDIT_RANGE_OPTIONS: Required<RangeOptions> = { loose: true, includePrerelease: true };

/** npm semver refuses longer versions. */
const MAX_VERSION_LENGTH = 256;
/** Advisory ranges can chain many `||` alternatives; anything longer is not data we trust. */
const MAX_RANGE_LENGTH = 4096;

function checkText(text: string, what: 'version' | 'range', max: number): void {
  if (text.length > max) throw new VersionError('semver', text, `longer than ${max} characters, npm's limit for a ${what}`);
  const bad = /[^\x20-\x7e]/.exec(text);
  if (bad) {
    const code = bad[0].codePointAt(0)!;
    throw new VersionError('semver', text, `contains U+${code.toString(16).toUpperCase().padStart(4, '0')} at offset ${bad.index}; npm ${what}s are printable ASCII`);
  }
}

function parse(v: string, loose: boolean): semver.SemVer {
  if (v.trim() === '') throw new VersionError('semver', v, v === '' ? 'empty' : 'only whitespace');
  checkText(v, 'version', MAX_VERSION_LENGTH);
  const parsed = semver.parse(v, { loose });
  if (parsed) return parsed;
  if (/\d{16,}/.test(v)) throw new VersionError('semver', v, 'a number is larger than npm semver allows (2^53 - 1)');
  if (!loose && semver.parse(v, { loose: true })) throw new VersionError('semver', v, 'valid only in npm semver loose mode');
  throw new VersionError('semver', v, `not a${loose ? '' : ' strict'} SemVer version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])`);
}

export function makeSemverScheme(options: SemverOptions): VersionScheme {
  const { loose } = options;
  return {
    name: 'semver',
    validate(v: string): void {
      parse(v, loose);
    },
    unusual(v: string): string | undefined {
      parse(v, loose);
      return loose && semver.parse(v) === null ? 'valid only in npm semver loose mode' : undefined;
    },
    compare(a: string, b: string): Ordering {
      return parse(a, loose).compare(parse(b, loose));
    },
  };
}

export const semverScheme: VersionScheme = makeSemverScheme({ loose: true });
export const semverStrictScheme: VersionScheme = makeSemverScheme({ loose: false });

/**
 * Does `version` fall in the npm range `range`? Unlike `semver.satisfies`, which says
 * `false` for a version or range it cannot read, this throws VersionError: "not
 * affected" must never be the answer to "could not tell".
 */
export function satisfiesRange(version: string, range: string, options: RangeOptions = NPM_AUDIT_RANGE_OPTIONS): boolean {
  const opts = {
    loose: options.loose ?? NPM_AUDIT_RANGE_OPTIONS.loose,
    includePrerelease: options.includePrerelease ?? NPM_AUDIT_RANGE_OPTIONS.includePrerelease,
  };
  parse(version, opts.loose);
  // An empty range is npm's `*`: advisories use it for "every version".
  checkText(range, 'range', MAX_RANGE_LENGTH);
  if (semver.validRange(range, opts) === null) throw new VersionError('semver', range, 'not an npm version range');
  return semver.satisfies(version, range, opts);
}

declare module './scheme.js' {
  interface VersionFormats {
    semver: true;
  }
}
