/**
 * One version scheme per package format. Every scheme orders every version its
 * format's own tool orders, in the same order, so that a package the tool can place
 * is never left out of matching. Where a version is outside the format's grammar but
 * the tool still orders it (apk-tools 2's `6.6.1p1`, an rpm release with a stray
 * `%{?dist}`), `unusual` says so, and the matcher reports it on the component.
 *
 * A scheme refuses (with VersionError) only what cannot be ordered (the empty string
 * and what the tool itself rejects) and hostile text: over-long strings, control
 * characters, and the characters each scheme's header names.
 */

/**
 * The version formats Vigil has. Each scheme's own file adds its name here by
 * declaration merging (`declare module './scheme.js' { interface VersionFormats { dpkg: true } }`)
 * and is listed once in `index.ts`, so a new scheme touches no other file.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface VersionFormats {}
export type VersionFormat = keyof VersionFormats & string;

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
  /** Throws VersionError when `v` cannot be ordered in this format. */
  validate(v: string): void;
  /**
   * Why `v`, which compare orders, is outside the format's grammar (an "unusual
   * version"), or undefined for a well-formed one. Throws VersionError as validate does.
   */
  unusual(v: string): string | undefined;
  /** Sign of a − b. Throws VersionError naming the bad side. */
  compare(a: string, b: string): Ordering;
}
