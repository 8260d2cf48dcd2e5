/**
 * One version scheme per package format. Every scheme compares two version strings
 * of its format and refuses (with VersionError) a string that is not one: a silent
 * guess would make the matcher wrong, which is worse than saying nothing.
 */

export type VersionFormat = 'dpkg' | 'rpm' | 'apk' | 'semver' | 'pep440' | 'maven' | 'go' | 'gem' | 'nuget';

export const VERSION_FORMATS: readonly VersionFormat[] = ['dpkg', 'rpm', 'apk', 'semver', 'pep440', 'maven', 'go', 'gem', 'nuget'];

export type Ordering = -1 | 0 | 1;

export class VersionError extends Error {
  constructor(
    readonly scheme: VersionFormat,
    readonly version: string,
    reason: string,
  ) {
    super(`invalid ${scheme} version ${JSON.stringify(version.length > 120 ? version.slice(0, 120) + '…' : version)}: ${reason}`);
    this.name = 'VersionError';
  }
}

export interface VersionScheme {
  readonly name: VersionFormat;
  /** Throws VersionError when `v` is not a version of this format. */
  validate(v: string): void;
  /** Sign of a − b. Throws VersionError naming the bad side. */
  compare(a: string, b: string): Ordering;
}
