import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';

/**
 * Reference verdicts come from the distributions' own tools (dpkg, rpm) or, for apk,
 * from a port of apk-tools' comparison in python3: never from Vigil's version schemes,
 * so a scheme bug cannot hide itself in both the finding and the expectation.
 */

/** `a lt b` by the real `dpkg --compare-versions`, once per distinct pair. */
export function dpkgLessThan(pairs: Iterable<[string, string]>): (a: string, b: string) => boolean {
  const answers = new Map<string, boolean>();
  for (const [a, b] of pairs) {
    const key = `${a}\u0000${b}`;
    if (answers.has(key)) continue;
    const r = spawnSync('dpkg', ['--compare-versions', a, 'lt', b], { stdio: 'ignore' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`dpkg --compare-versions ${a} lt ${b}: exit ${r.status}`);
    answers.set(key, r.status === 0);
  }
  return (a, b) => {
    const v = answers.get(`${a}\u0000${b}`);
    if (v === undefined) throw new Error(`no dpkg verdict for ${a} < ${b}`);
    return v;
  };
}

/** rpm.vercmp of every pair in one `rpm --eval` (Lua reads the pairs from a file). */
export function rpmVercmp(pairs: Array<[string, string]>): number[] {
  const { dir, cleanup } = tempDir('vigil-rpmcmp-');
  try {
    const file = path.join(dir, 'pairs');
    writeFileSync(file, pairs.map(([a, b]) => `${a} ${b}\n`).join(''));
    const lua = `%{lua: for l in io.lines(${JSON.stringify(file)}) do local a, b = l:match("^(%S+) (%S+)$"); print(rpm.vercmp(a, b) .. "\\n") end}`;
    const out = execFileSync('rpm', ['--eval', lua], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const res = out.split('\n').filter((l) => l !== '').map(Number);
    if (res.length !== pairs.length || res.some((n) => ![-1, 0, 1].includes(n))) throw new Error(`rpm --eval gave ${res.length} answers for ${pairs.length} pairs`);
    return res;
  } finally {
    cleanup();
  }
}

/**
 * apk-tools 2.x `apk_version_compare` (src/version.c): a token walk where a leading
 * zero marks a fraction-like part, pre-release suffixes sort below the bare version
 * and post-release ones above; `-rN` is the last token.
 */
const APK_VERCMP_PY = String.raw`
import sys
INVALID, DIGIT_OR_ZERO, DIGIT, LETTER, SUFFIX, SUFFIX_NO, REVISION_NO, END = -1, 0, 1, 2, 3, 4, 5, 6
PRE = ["alpha", "beta", "pre", "rc"]
POST = ["cvs", "svn", "git", "hg", "p"]
def next_token(t, s, p):
    n = INVALID
    if p >= len(s):
        n = END
    elif t in (DIGIT, DIGIT_OR_ZERO) and s[p].islower():
        n = LETTER
    elif t == LETTER and s[p].isdigit():
        n = DIGIT
    elif t == SUFFIX and s[p].isdigit():
        n = SUFFIX_NO
    else:
        c = s[p]
        if c == ".": n = DIGIT_OR_ZERO
        elif c == "_": n = SUFFIX
        elif c == "-":
            if p + 1 < len(s) and s[p + 1] == "r":
                n = REVISION_NO
                p += 1
        p += 1
    if n < t and not ((n == DIGIT_OR_ZERO and t == DIGIT) or (n == SUFFIX and t == SUFFIX_NO) or (n == DIGIT and t == LETTER)):
        n = INVALID
    return n, p
def get_token(t, s, p):
    if p >= len(s):
        return END, p, 0
    i, v, nt = p, 0, INVALID
    if t == DIGIT_OR_ZERO and s[i] == "0":
        while i < len(s) and s[i] == "0": i += 1
        nt, v = DIGIT, -(i - p)
    elif t in (DIGIT_OR_ZERO, DIGIT, SUFFIX_NO, REVISION_NO):
        while i < len(s) and s[i].isdigit():
            v = v * 10 + int(s[i]); i += 1
    elif t == LETTER:
        v = ord(s[i]); i += 1
    elif t == SUFFIX:
        for k, suf in enumerate(PRE):
            if s.startswith(suf, p):
                v, i = k - len(PRE), p + len(suf); break
        else:
            for k, suf in enumerate(POST):
                if s.startswith(suf, p):
                    v, i = k, p + len(suf); break
            else:
                return INVALID, p, -1
    else:
        return INVALID, p, -1
    p = i
    if p >= len(s): t = END
    elif nt != INVALID: t = nt
    else: t, p = next_token(t, s, p)
    return t, p, v
def cmp(a, b):
    at = bt = DIGIT
    ap = bp = av = bv = 0
    while at == bt and at not in (END, INVALID) and av == bv:
        at, ap, av = get_token(at, a, ap)
        bt, bp, bv = get_token(bt, b, bp)
    if av < bv: return -1
    if av > bv: return 1
    if at == bt: return 0
    if at == SUFFIX and get_token(at, a, ap)[2] < 0: return -1
    if bt == SUFFIX and get_token(bt, b, bp)[2] < 0: return 1
    if at > bt: return -1
    if bt > at: return 1
    return 0
for line in sys.stdin:
    a, b = line.split()
    print(cmp(a, b))
`;

export function apkVercmp(pairs: Array<[string, string]>): number[] {
  const out = execFileSync('python3', ['-c', APK_VERCMP_PY], { input: pairs.map(([a, b]) => `${a} ${b}\n`).join(''), encoding: 'utf8' });
  const res = out.trim().split('\n').filter((l) => l !== '').map(Number);
  if (res.length !== pairs.length) throw new Error(`apk comparison gave ${res.length} answers for ${pairs.length} pairs`);
  return res;
}

/** Both directions of a set difference, for a failure message that shows what differs. */
export function setDiff(actual: Set<string>, expected: Set<string>): { missing: string[]; extra: string[] } {
  return {
    missing: [...expected].filter((x) => !actual.has(x)).sort(),
    extra: [...actual].filter((x) => !expected.has(x)).sort(),
  };
}
