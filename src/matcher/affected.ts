import type { AffectedPackage, VersionRange } from '../advisories/model.js';
import type { VersionScheme } from '../versions/scheme.js';

/** The verdict on one affected-package entry for one installed version, with the rule that decided. */
export interface Verdict {
  affected: boolean;
  rule: string;
}

/** Shared: most records a package is checked against do not affect its version, and this is the hot path. */
const OUTSIDE: Verdict = Object.freeze({ affected: false, rule: 'the version is outside every affected range' });

function inRange(v: string, r: VersionRange, scheme: VersionScheme): Verdict | undefined {
  if (r.introduced !== '0' && r.introduced !== '' && scheme.compare(v, r.introduced) < 0) return undefined;
  if (r.limit !== undefined && scheme.compare(v, r.limit) >= 0) return undefined;
  const from = r.introduced === '0' || r.introduced === '' ? 'any version' : `introduced ${r.introduced}`;
  if (r.fixed !== undefined) {
    return scheme.compare(v, r.fixed) < 0 ? { affected: true, rule: `${v} < fixed ${r.fixed} (${from})` } : undefined;
  }
  if (r.lastAffected !== undefined) {
    return scheme.compare(v, r.lastAffected) <= 0 ? { affected: true, rule: `${v} <= last affected ${r.lastAffected} (${from})` } : undefined;
  }
  return { affected: true, rule: `${v} >= ${from}, no fixed version` };
}

/**
 * Whether `version` is affected by one entry. Throws VersionError when a version
 * (installed or from the feed) is not valid in the scheme: the caller reports it
 * rather than guessing. `satisfiesRange` evaluates npm range expressions.
 */
export function evaluate(
  version: string,
  a: AffectedPackage,
  scheme: VersionScheme,
  satisfiesRange?: (version: string, range: string) => boolean,
  /** The caller already validated `version` in this scheme (once per component, not per record). */
  validated = false,
): Verdict {
  if (a.status === 'not-affected') return { affected: false, rule: 'the distribution marks this package not affected' };
  if (!validated) scheme.validate(version);
  for (const listed of a.versions ?? []) {
    if (listed === version || scheme.compare(version, listed) === 0) return { affected: true, rule: `${version} is listed as affected` };
  }
  if (a.semverRange !== undefined && satisfiesRange) {
    if (satisfiesRange(version, a.semverRange)) return { affected: true, rule: `${version} satisfies ${a.semverRange}` };
  }
  for (const r of a.ranges) {
    const v = inRange(version, r, scheme);
    if (v) return v;
  }
  if (a.ranges.length === 0 && !a.versions?.length && a.semverRange === undefined) {
    return { affected: true, rule: `every version is affected (${a.status.replace(/-/g, ' ')})` };
  }
  return OUTSIDE;
}
