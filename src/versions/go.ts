import { type Ordering, type VersionScheme, VersionError } from './scheme.js';

/**
 * Go module versions, ordered as golang.org/x/mod/semver orders them (what the go
 * command uses): `vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]`, numbers without
 * leading zeros and of any size, `v1`/`v1.2` short for `v1.0.0`/`v1.2.0`, build
 * metadata such as `+incompatible` ignored. Pseudo-versions
 * (`v0.0.0-20210101000000-abcdefabcdef`, `v1.2.4-0.2021…`, `v1.2.3-pre.0.2021…`) are
 * pre-releases and need no rule of their own: x/mod's order is their order.
 *
 * The `v` is optional because OSV's Go records drop it (`1.2.3`, `introduced: "0"`),
 * while build information and go.sum keep it; both spellings compare the same.
 *
 * Go toolchain tags (`go1.21.3`, `go1.21rc2`, `go1.20`, `go1`) are read the way the
 * go-binary collector reports the standard library (`1.21.3`, `1.21.0-rc.2`,
 * `1.20.0`, `1.0.0`), the form Go's vulnerability database uses for `stdlib`.
 *
 * Where x/mod calls an invalid version smaller than every valid one, Vigil throws.
 */

/** No real module version comes close; longer strings are not data Vigil should read. */
const MAX_LENGTH = 256;

const NUM = '0|[1-9][0-9]*';
const PRE_IDENT = '0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*';
const BUILD_IDENT = '[0-9A-Za-z-]+';
const VERSION = new RegExp(
  `^(${NUM})(?:\\.(${NUM})(?:\\.(${NUM})(?:-((?:${PRE_IDENT})(?:\\.(?:${PRE_IDENT}))*))?(?:\\+(${BUILD_IDENT}(?:\\.${BUILD_IDENT})*))?)?)?$`,
);
/** The same toolchain tag grammar as the go-binary collector's `stdlibVersion`. */
const TOOLCHAIN = /^go(\d+\.\d+)(\.\d+)?(?:(beta|rc)(\d+))?$/;

interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  /** Dot-separated identifiers; empty for a release. */
  prerelease: string[];
}

function fromToolchain(v: string): string | undefined {
  if (v === 'go1') return '1.0.0';
  const m = TOOLCHAIN.exec(v);
  if (!m) return undefined;
  return `${m[1]}${m[2] ?? '.0'}${m[3] ? `-${m[3]}.${m[4]}` : ''}`;
}

/** Why x/mod would refuse `body` (the version without its `v`), for the error message. */
function reason(body: string): string {
  if (/^\d+(\.\d+)?[-+]/.test(body)) return 'a pre-release or build suffix needs all three numbers (vMAJOR.MINOR.PATCH)';
  if (/(^|\.)0\d/.test(body.split(/[-+]/)[0]!)) return 'MAJOR, MINOR and PATCH must not have leading zeros';
  if (/-(?:[^+]*\.)?0\d+(?:[.+]|$)/.test(body)) return 'numeric pre-release identifiers must not have leading zeros';
  return 'not a Go module version (vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]])';
}

function parse(v: string): GoVersion {
  if (v.trim() === '') throw new VersionError('go', v, v === '' ? 'empty' : 'only whitespace');
  if (v.length > MAX_LENGTH) throw new VersionError('go', v, `longer than ${MAX_LENGTH} characters`);
  const bad = /[^\x21-\x7e]/.exec(v);
  if (bad) {
    const code = bad[0].codePointAt(0)!;
    throw new VersionError('go', v, `contains U+${code.toString(16).toUpperCase().padStart(4, '0')} at offset ${bad.index}; Go versions are printable ASCII without spaces`);
  }
  const body = v.startsWith('go') ? fromToolchain(v) : v.startsWith('v') ? v.slice(1) : v;
  if (body === undefined) throw new VersionError('go', v, 'not a Go toolchain version (go1.N[.P], go1.NrcK, go1.NbetaK)');
  const m = VERSION.exec(body);
  if (!m) throw new VersionError('go', v, reason(body));
  return { major: m[1]!, minor: m[2] ?? '0', patch: m[3] ?? '0', prerelease: m[4] ? m[4].split('.') : [] };
}

const sign = (n: number): Ordering => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Decimal strings without leading zeros, of any length (x/mod compares them as text). */
function compareDigits(x: string, y: string): Ordering {
  if (x.length !== y.length) return sign(x.length - y.length);
  return x < y ? -1 : x > y ? 1 : 0;
}

const isNumeric = (s: string): boolean => /^[0-9]+$/.test(s);

function comparePrerelease(x: string[], y: string[]): Ordering {
  if (x.length === 0 || y.length === 0) return sign(y.length - x.length);
  for (let i = 0; i < x.length && i < y.length; i++) {
    const a = x[i]!;
    const b = y[i]!;
    if (a === b) continue;
    const an = isNumeric(a);
    const bn = isNumeric(b);
    if (an !== bn) return an ? -1 : 1;
    if (an) return compareDigits(a, b);
    return a < b ? -1 : 1;
  }
  return sign(x.length - y.length);
}

export const goScheme: VersionScheme = {
  name: 'go',
  validate(v: string): void {
    parse(v);
  },
  unusual(v: string): undefined {
    parse(v);
    return undefined;
  },
  compare(a: string, b: string): Ordering {
    const x = parse(a);
    const y = parse(b);
    return compareDigits(x.major, y.major) || compareDigits(x.minor, y.minor) || compareDigits(x.patch, y.patch) || comparePrerelease(x.prerelease, y.prerelease);
  },
};

declare module './scheme.js' {
  interface VersionFormats {
    go: true;
  }
}
