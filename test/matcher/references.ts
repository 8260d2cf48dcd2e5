import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import semver from 'semver';

/**
 * Affectedness computed without Vigil's matcher: npm ranges by the `semver` package,
 * PEP 440 by Debian's python3-packaging, Maven by Maven's own ComparableVersion.
 */

export interface OsvAffected {
  package: { ecosystem: string; name: string };
  ranges?: { type: string; events: Record<string, string>[] }[];
  versions?: string[];
}
export interface OsvRecord {
  id: string;
  aliases?: string[];
  withdrawn?: string;
  affected?: OsvAffected[];
}

/**
 * OSV's evaluation: events in file order, each `introduced` opens a range that the next
 * `fixed` (exclusive) or `last_affected` (inclusive) closes; `versions` list exact releases.
 * `cmp` is the ecosystem's comparator.
 */
export function osvAffects(v: string, a: OsvAffected, cmp: (x: string, y: string) => number, same: (x: string, y: string) => boolean = (x, y) => x === y): boolean {
  if ((a.versions ?? []).some((l) => same(v, l))) return true;
  for (const r of a.ranges ?? []) {
    if (r.type === 'GIT') continue;
    let open: string | undefined;
    for (const e of r.events) {
      const [kind, at] = Object.entries(e)[0]!;
      const above = (from: string): boolean => from === '0' || cmp(v, from) >= 0;
      if (kind === 'introduced') open ??= at;
      else if (kind === 'fixed' && open !== undefined) {
        if (above(open) && cmp(v, at) < 0) return true;
        open = undefined;
      } else if (kind === 'last_affected' && open !== undefined) {
        if (above(open) && cmp(v, at) <= 0) return true;
        open = undefined;
      }
    }
    if (open !== undefined && (open === '0' || cmp(v, open) >= 0)) return true;
  }
  return false;
}

const SEMVER_OPTS = { loose: true, includePrerelease: true };
export const npmSemverCompare = (a: string, b: string): number => semver.compare(a, b, SEMVER_OPTS);
/** npm audit's reading of a Security WG `vulnerable_versions` range. */
export const npmRangeAffects = (v: string, range: string): boolean => semver.satisfies(v, range, SEMVER_OPTS);

/** The vulnerability a record is about, as a reader merging by CVE would name it. */
export function recordKey(id: string, cves: string[]): string {
  const unique = [...new Set(cves.filter((c) => c.startsWith('CVE-')))];
  return unique.length === 1 ? unique[0]! : id;
}

// ---- PyPI: packaging.version in Debian's Python, isolated from any user site or virtualenv ----

export const SYSTEM_PYTHON = '/usr/bin/python3';
export const hasPackaging = existsSync(SYSTEM_PYTHON) && spawnSync(SYSTEM_PYTHON, ['-I', '-c', 'import packaging.version, packaging.utils'], { stdio: 'ignore' }).status === 0;

/** Reads one JSON job on stdin: `pairs` of [version, affected entry]; prints one 0/1 per pair, plus names canonicalised. */
const PY_OSV = `
import json, sys
from packaging.version import Version
from packaging.utils import canonicalize_name
job = json.load(sys.stdin)
def affects(v, a):
    v = Version(v)
    for listed in a.get('versions') or []:
        try:
            if Version(listed) == v: return True
        except Exception:
            pass
    for r in a.get('ranges') or []:
        if r.get('type') == 'GIT': continue
        start = None
        for e in r['events']:
            (kind, at), = e.items()
            above = lambda s: s == '0' or v >= Version(s)
            if kind == 'introduced':
                if start is None: start = at
            elif kind == 'fixed' and start is not None:
                if above(start) and v < Version(at): return True
                start = None
            elif kind == 'last_affected' and start is not None:
                if above(start) and v <= Version(at): return True
                start = None
        if start is not None and (start == '0' or v >= Version(start)): return True
    return False
print(json.dumps({'affected': [affects(v, a) for v, a in job['pairs']], 'names': [canonicalize_name(n) for n in job['names']]}))
`;

export function pythonReference(pairs: [string, OsvAffected][], names: string[]): { affected: boolean[]; names: string[] } {
  const out = execFileSync(SYSTEM_PYTHON, ['-I', '-c', PY_OSV], { input: JSON.stringify({ pairs, names }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as { affected: boolean[]; names: string[] };
}

// ---- Maven: ComparableVersion of Debian's libmaven3-core-java, shared with test/versions/maven.test.ts ----

export { hasJava, MAVEN_JAR, mavenComparator } from '../helpers/maven-reference.js';
