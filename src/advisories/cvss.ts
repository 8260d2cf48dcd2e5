import type { CvssScore, Severity } from './model.js';

/**
 * CVSS vectors from the feeds, parsed strictly and scored by FIRST's formulas, so
 * Vigil never shows a score it cannot recompute from the vector. Only base scores:
 * exploitation evidence comes from KEV and EPSS, not from a publisher's threat metrics.
 *
 * Specifications: CVSS v2.0 complete guide §3.2.1; v3.0 and v3.1 specifications §7 and
 * v3.1 Appendix A (Roundup); v4.0 specification, scored as FIRST's calculator
 * (first.org/cvss/calculator/4.0) does: its reference implementation, `cvss40.js` in
 * github.com/RedHatProductSecurity/cvss-v4-calculator, is followed step by step below.
 */

export type CvssVersion = CvssScore['version'];

export interface ParsedCvss {
  version: CvssVersion;
  /** Metric → value, in vector order. */
  metrics: Record<string, string>;
}

export class CvssError extends Error {
  constructor(
    readonly vector: string,
    reason: string,
  ) {
    super(`invalid CVSS vector ${cut(vector, 100)}: ${reason}`);
    this.name = 'CvssError';
  }
}

/** Quoted and cut, so a hostile vector cannot flood a log line. */
function cut(s: string, max: number): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}

/** No valid vector of any version comes near this; longer input is refused before it is split. */
const MAX_VECTOR_LENGTH = 512;

type MetricTable = Record<string, { values: readonly string[]; base: boolean }>;

function table(base: Record<string, string>, other: Record<string, string>): MetricTable {
  const t: MetricTable = {};
  for (const [k, v] of Object.entries(base)) t[k] = { values: v.split(','), base: true };
  for (const [k, v] of Object.entries(other)) t[k] = { values: v.split(','), base: false };
  return t;
}

const V2 = table(
  { AV: 'L,A,N', AC: 'H,M,L', Au: 'M,S,N', C: 'N,P,C', I: 'N,P,C', A: 'N,P,C' },
  { E: 'U,POC,F,H,ND', RL: 'OF,TF,W,U,ND', RC: 'UC,UR,C,ND', CDP: 'N,L,LM,MH,H,ND', TD: 'N,L,M,H,ND', CR: 'L,M,H,ND', IR: 'L,M,H,ND', AR: 'L,M,H,ND' },
);

const V3 = table(
  { AV: 'N,A,L,P', AC: 'L,H', PR: 'N,L,H', UI: 'N,R', S: 'U,C', C: 'H,L,N', I: 'H,L,N', A: 'H,L,N' },
  {
    E: 'X,H,F,P,U', RL: 'X,U,W,T,O', RC: 'X,C,R,U', CR: 'X,H,M,L', IR: 'X,H,M,L', AR: 'X,H,M,L',
    MAV: 'X,N,A,L,P', MAC: 'X,L,H', MPR: 'X,N,L,H', MUI: 'X,N,R', MS: 'X,U,C', MC: 'X,H,L,N', MI: 'X,H,L,N', MA: 'X,H,L,N',
  },
);

const V4 = table(
  { AV: 'N,A,L,P', AC: 'L,H', AT: 'N,P', PR: 'N,L,H', UI: 'N,P,A', VC: 'H,L,N', VI: 'H,L,N', VA: 'H,L,N', SC: 'H,L,N', SI: 'H,L,N', SA: 'H,L,N' },
  {
    E: 'X,A,P,U', CR: 'X,H,M,L', IR: 'X,H,M,L', AR: 'X,H,M,L', MAV: 'X,N,A,L,P', MAC: 'X,L,H', MAT: 'X,N,P', MPR: 'X,N,L,H',
    MUI: 'X,N,P,A', MVC: 'X,H,L,N', MVI: 'X,H,L,N', MVA: 'X,H,L,N', MSC: 'X,H,L,N', MSI: 'X,S,H,L,N', MSA: 'X,S,H,L,N',
    S: 'X,N,P', AU: 'X,N,Y', R: 'X,A,U,I', V: 'X,D,C', RE: 'X,L,M,H', U: 'X,Clear,Green,Amber,Red',
  },
);

const TABLES: Record<CvssVersion, MetricTable> = { '2.0': V2, '3.0': V3, '3.1': V3, '4.0': V4 };

/**
 * Parses a vector: `CVSS:3.1/…`, `CVSS:3.0/…`, `CVSS:4.0/…`, or a v2 vector with no
 * prefix, optionally in parentheses as NVD used to print them. Metric order is not
 * enforced: v3.x allows any order and publishers emit v4.0 vectors out of order.
 * Throws CvssError for anything else.
 */
export function parseCvss(vector: string): ParsedCvss {
  if (typeof vector !== 'string') throw new CvssError(String(vector), 'not a string');
  if (vector.length > MAX_VECTOR_LENGTH) throw new CvssError(vector, `${vector.length} characters long, no vector is longer than ${MAX_VECTOR_LENGTH}`);
  let version: CvssVersion;
  let body: string;
  const prefix = /^CVSS:(\d+\.\d+)\//.exec(vector);
  if (prefix) {
    const v = prefix[1]!;
    if (v !== '3.0' && v !== '3.1' && v !== '4.0') throw new CvssError(vector, `unknown CVSS version ${v}`);
    version = v;
    body = vector.slice(prefix[0].length);
  } else if (vector.startsWith('CVSS:')) {
    throw new CvssError(vector, 'malformed version prefix');
  } else {
    version = '2.0';
    body = vector.startsWith('(') && vector.endsWith(')') ? vector.slice(1, -1) : vector;
  }
  const defs = TABLES[version];
  const metrics: Record<string, string> = {};
  for (const part of body.split('/')) {
    const colon = part.indexOf(':');
    if (colon <= 0) throw new CvssError(vector, part === '' ? 'empty component' : `component ${cut(part, 40)} is not METRIC:VALUE`);
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const def = Object.hasOwn(defs, key) ? defs[key] : undefined;
    if (!def) throw new CvssError(vector, `unknown CVSS ${version} metric ${cut(key, 40)}`);
    if (Object.hasOwn(metrics, key)) throw new CvssError(vector, `metric ${key} appears twice`);
    if (!def.values.includes(value)) throw new CvssError(vector, `${key}:${cut(value, 40)} is not one of ${def.values.join(', ')}`);
    metrics[key] = value;
  }
  const missing = Object.keys(defs).filter((k) => defs[k]!.base && !(k in metrics));
  if (missing.length) throw new CvssError(vector, `missing base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return { version, metrics };
}

/** The CVSS base score (0.0–10.0) of a vector; throws CvssError for an invalid one. */
export function cvssBaseScore(vector: string): number {
  const { version, metrics } = parseCvss(vector);
  switch (version) {
    case '2.0':
      return v2Base(metrics);
    case '3.0':
    case '3.1':
      return v3Base(metrics, version);
    case '4.0':
      return v4Base(metrics);
  }
}

/**
 * Qualitative rating of a score. v3.x and v4.0 use FIRST's scale, where 0.0 is "None"
 * (Vigil's `negligible`); v2.0 has no rating in its specification, so NVD's is used
 * (low below 4.0, medium below 7.0, high above).
 */
export function severityFromScore(score: number, version: CvssVersion): Severity {
  if (!Number.isFinite(score) || score < 0 || score > 10) return 'unknown';
  if (version === '2.0') return score < 4 ? 'low' : score < 7 ? 'medium' : 'high';
  if (score === 0) return 'negligible';
  return score < 4 ? 'low' : score < 7 ? 'medium' : score < 9 ? 'high' : 'critical';
}

function v2Base(m: Record<string, string>): number {
  const av = { L: 0.395, A: 0.646, N: 1.0 }[m.AV as 'L']!;
  const ac = { H: 0.35, M: 0.61, L: 0.71 }[m.AC as 'H']!;
  const au = { M: 0.45, S: 0.56, N: 0.704 }[m.Au as 'M']!;
  const cia = (v: string | undefined) => ({ N: 0, P: 0.275, C: 0.66 })[v as 'N']!;
  const impact = 10.41 * (1 - (1 - cia(m.C)) * (1 - cia(m.I)) * (1 - cia(m.A)));
  const exploitability = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  return round1(((0.6 * impact + 0.4 * exploitability - 1.5) * f));
}

function v3Base(m: Record<string, string>, version: '3.0' | '3.1'): number {
  const changed = m.S === 'C';
  const av = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 }[m.AV as 'N']!;
  const ac = { L: 0.77, H: 0.44 }[m.AC as 'L']!;
  const pr = { N: 0.85, L: changed ? 0.68 : 0.62, H: changed ? 0.5 : 0.27 }[m.PR as 'N']!;
  const ui = { N: 0.85, R: 0.62 }[m.UI as 'N']!;
  const cia = (v: string | undefined) => ({ H: 0.56, L: 0.22, N: 0 })[v as 'H']!;
  const iss = 1 - (1 - cia(m.C)) * (1 - cia(m.I)) * (1 - cia(m.A));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * av * ac * pr * ui;
  const raw = Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10);
  return version === '3.1' ? roundup31(raw) : Math.ceil(raw * 10) / 10;
}

/** v3.1 Appendix A: Roundup done on integers so 4.000000000000001 stays 4.0. */
function roundup31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

// ---- CVSS v4.0: macro vectors (EQ1..EQ6) and FIRST's interpolation ----

/*
 * The tables below are data from `cvss40.js` (LOOKUP_TABLE, MAX_COMPOSED, MAX_SEVERITY,
 * METRIC_LEVELS). Copyright FIRST, Red Hat, and contributors. SPDX-License-Identifier: BSD-2-Clause.
 */

/**
 * Scores of the 270 macro vectors. Key: EQ1 EQ2 EQ3; values in order of EQ4 (0..2) ×
 * EQ5 (0..2) × EQ6 (0..1); EQ3 = 2 only exists with EQ6 = 1.
 */
const MACRO_ROWS: Record<string, number[]> = {
  '000': [10, 9.9, 9.8, 9.5, 9.5, 9.2, 10, 9.6, 9.3, 8.7, 9.1, 8.1, 9.3, 9, 8.9, 8, 8.1, 6.8],
  '001': [9.8, 9.5, 9.5, 9.2, 9, 8.4, 9.3, 9.2, 8.9, 8.1, 8.1, 6.5, 8.8, 8, 7.8, 7, 6.9, 4.8],
  '002': [9.2, 8.2, 7.2, 7.9, 6.9, 5, 6.9, 5.5, 2.7],
  '010': [9.9, 9.7, 9.5, 9.2, 9.2, 8.5, 9.5, 9.1, 9, 8.3, 8.4, 7.1, 9.2, 8.1, 8.2, 7.1, 7.2, 5.3],
  '011': [9.5, 9.3, 9.2, 8.5, 8.5, 7.3, 9.2, 8.2, 8, 7.2, 7, 5.9, 8.4, 7, 7.1, 5.2, 5, 3],
  '012': [8.6, 7.5, 5.2, 7.1, 5.2, 2.9, 6.3, 2.9, 1.7],
  '100': [9.8, 9.5, 9.4, 8.7, 9.1, 8.1, 9.4, 8.9, 8.6, 7.4, 7.7, 6.4, 8.7, 7.5, 7.4, 6.3, 6.3, 4.9],
  '101': [9.4, 8.9, 8.8, 7.7, 7.6, 6.7, 8.6, 7.6, 7.4, 5.8, 5.9, 5, 7.2, 5.7, 5.7, 5.2, 5.2, 2.5],
  '102': [8.3, 7, 5.4, 6.5, 5.8, 2.6, 5.3, 2.1, 1.3],
  '110': [9.5, 9, 8.8, 7.6, 7.6, 7, 9, 7.7, 7.5, 6.2, 6.1, 5.3, 7.7, 6.6, 6.8, 5.9, 5.2, 3],
  '111': [8.9, 7.8, 7.6, 6.7, 6.2, 5.8, 7.4, 5.9, 5.7, 5.7, 4.7, 2.3, 6.1, 5.2, 5.7, 2.9, 2.4, 1.6],
  '112': [7.1, 5.9, 3, 5.8, 2.6, 1.5, 2.3, 1.3, 0.6],
  '200': [9.3, 8.7, 8.6, 7.2, 7.5, 5.8, 8.6, 7.4, 7.4, 6.1, 5.6, 3.4, 7, 5.4, 5.2, 4, 4, 2.2],
  '201': [8.5, 7.5, 7.4, 5.5, 6.2, 5.1, 7.2, 5.7, 5.5, 4.1, 4.6, 1.9, 5.3, 3.6, 3.4, 1.9, 1.9, 0.8],
  '202': [6.4, 5.1, 2, 4.7, 2.1, 1.1, 2.4, 0.9, 0.4],
  '210': [8.8, 7.5, 7.3, 5.3, 6, 5, 7.3, 5.5, 5.9, 4, 4.1, 2, 5.4, 4.3, 4.5, 2.2, 2, 1.1],
  '211': [7.5, 5.5, 5.8, 4.5, 4, 2.1, 6.1, 5.1, 4.8, 1.8, 2, 0.9, 4.6, 1.8, 1.7, 0.7, 0.8, 0.2],
  '212': [5.3, 2.4, 1.4, 2.4, 1.2, 0.5, 1, 0.3, 0.1],
};

export const CVSS4_MACRO_SCORES: ReadonlyMap<string, number> = (() => {
  const out = new Map<string, number>();
  for (const [head, values] of Object.entries(MACRO_ROWS)) {
    const eq6s = head[2] === '2' ? [1] : [0, 1];
    let i = 0;
    for (const eq4 of [0, 1, 2]) for (const eq5 of [0, 1, 2]) for (const eq6 of eq6s) out.set(`${head}${eq4}${eq5}${eq6}`, values[i++]!);
  }
  return out;
})();

/** Highest-severity vectors of each macro vector level (FIRST's `max_composed`). */
const MAX_COMPOSED = {
  eq1: [['AV:N/PR:N/UI:N'], ['AV:A/PR:N/UI:N', 'AV:N/PR:L/UI:N', 'AV:N/PR:N/UI:P'], ['AV:P/PR:N/UI:N', 'AV:A/PR:L/UI:P']],
  eq2: [['AC:L/AT:N'], ['AC:H/AT:N', 'AC:L/AT:P']],
  eq3eq6: [
    [['VC:H/VI:H/VA:H/CR:H/IR:H/AR:H'], ['VC:H/VI:H/VA:L/CR:M/IR:M/AR:H', 'VC:H/VI:H/VA:H/CR:M/IR:M/AR:M']],
    [
      ['VC:L/VI:H/VA:H/CR:H/IR:H/AR:H', 'VC:H/VI:L/VA:H/CR:H/IR:H/AR:H'],
      ['VC:L/VI:H/VA:L/CR:H/IR:M/AR:H', 'VC:L/VI:H/VA:H/CR:H/IR:M/AR:M', 'VC:H/VI:L/VA:H/CR:M/IR:H/AR:M', 'VC:H/VI:L/VA:L/CR:M/IR:H/AR:H', 'VC:L/VI:L/VA:H/CR:H/IR:H/AR:M'],
    ],
    [[], ['VC:L/VI:L/VA:L/CR:H/IR:H/AR:H']],
  ],
  eq4: [['SC:H/SI:S/SA:S'], ['SC:H/SI:H/SA:H'], ['SC:L/SI:L/SA:L']],
  eq5: [['E:A'], ['E:P'], ['E:U']],
} as const;

/** Depth of each macro vector level, in steps of 0.1 (FIRST's `max_severity`). */
const MAX_SEVERITY = { eq1: [1, 4, 5], eq2: [1, 2], eq3eq6: [[7, 6], [8, 8], [NaN, 10]], eq4: [6, 5, 4] };

/** Severity levels; FIRST's calculator uses these exact floats, kept so rounding matches it. */
const LEVELS: Record<string, Record<string, number>> = {
  AV: { N: 0.0, A: 0.1, L: 0.2, P: 0.3 },
  PR: { N: 0.0, L: 0.1, H: 0.2 },
  UI: { N: 0.0, P: 0.1, A: 0.2 },
  AC: { L: 0.0, H: 0.1 },
  AT: { N: 0.0, P: 0.1 },
  VC: { H: 0.0, L: 0.1, N: 0.2 },
  VI: { H: 0.0, L: 0.1, N: 0.2 },
  VA: { H: 0.0, L: 0.1, N: 0.2 },
  SC: { H: 0.1, L: 0.2, N: 0.3 },
  SI: { S: 0.0, H: 0.1, L: 0.2, N: 0.3 },
  SA: { S: 0.0, H: 0.1, L: 0.2, N: 0.3 },
  CR: { H: 0.0, M: 0.1, L: 0.2 },
  IR: { H: 0.0, M: 0.1, L: 0.2 },
  AR: { H: 0.0, M: 0.1, L: 0.2 },
  E: { U: 0.2, P: 0.1, A: 0 },
};

function splitMetrics(s: string): Record<string, string> {
  return Object.fromEntries(s.split('/').map((p) => p.split(':') as [string, string]));
}

/** The CVSS-B score: threat and environmental metrics take their worst-case defaults (E:A, CR/IR/AR:H, no modified metrics). */
function v4Base(vector: Record<string, string>): number {
  const m = (k: string): string => (k === 'E' ? 'A' : k === 'CR' || k === 'IR' || k === 'AR' ? 'H' : V4[k]?.base ? vector[k]! : 'X');
  if (['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((k) => m(k) === 'N')) return 0;
  const [av, pr, ui] = [m('AV'), m('PR'), m('UI')];
  const eq1 = av === 'N' && pr === 'N' && ui === 'N' ? 0 : (av === 'N' || pr === 'N' || ui === 'N') && av !== 'P' ? 1 : 2;
  const eq2 = m('AC') === 'L' && m('AT') === 'N' ? 0 : 1;
  const [vc, vi, va] = [m('VC'), m('VI'), m('VA')];
  const eq3 = vc === 'H' && vi === 'H' ? 0 : vc === 'H' || vi === 'H' || va === 'H' ? 1 : 2;
  const eq4 = m('MSI') === 'S' || m('MSA') === 'S' ? 0 : m('SC') === 'H' || m('SI') === 'H' || m('SA') === 'H' ? 1 : 2;
  const eq5 = { A: 0, P: 1, U: 2 }[m('E') as 'A']!;
  const eq6 = (m('CR') === 'H' && vc === 'H') || (m('IR') === 'H' && vi === 'H') || (m('AR') === 'H' && va === 'H') ? 0 : 1;
  const score = (e1: number, e2: number, e3: number, e4: number, e5: number, e6: number) => CVSS4_MACRO_SCORES.get(`${e1}${e2}${e3}${e4}${e5}${e6}`) ?? NaN;

  const value = score(eq1, eq2, eq3, eq4, eq5, eq6);
  const lowerEq1 = score(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
  const lowerEq2 = score(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
  // EQ3 and EQ6 are stepped down together; from 00 either way is possible and the higher score is taken.
  const lowerEq3Eq6 =
    eq3 === 0 && eq6 === 0
      ? Math.max(score(eq1, eq2, 0, eq4, eq5, 1), score(eq1, eq2, 1, eq4, eq5, 0))
      : eq3 === 1 && eq6 === 0
        ? score(eq1, eq2, 1, eq4, eq5, 1)
        : eq3 === 2
          ? NaN
          : score(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
  const lowerEq4 = score(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
  const lowerEq5 = score(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

  // The first highest-severity vector of this macro vector that the scored vector does not exceed.
  let distances: Record<string, number> = {};
  outer: for (const a of MAX_COMPOSED.eq1[eq1]!)
    for (const b of MAX_COMPOSED.eq2[eq2]!)
      for (const c of MAX_COMPOSED.eq3eq6[eq3]![eq6]!)
        for (const d of MAX_COMPOSED.eq4[eq4]!)
          for (const e of MAX_COMPOSED.eq5[eq5]!) {
            const max = splitMetrics(`${a}/${b}/${c}/${d}/${e}`);
            distances = Object.fromEntries(Object.keys(LEVELS).map((k) => [k, LEVELS[k]![m(k)]! - LEVELS[k]![max[k]!]!]));
            if (Object.values(distances).every((x) => x >= 0)) break outer;
          }
  const d = (k: string) => distances[k]!;
  const current = [d('AV') + d('PR') + d('UI'), d('AC') + d('AT'), d('VC') + d('VI') + d('VA') + d('CR') + d('IR') + d('AR'), d('SC') + d('SI') + d('SA')];
  const depth = [MAX_SEVERITY.eq1[eq1]! * 0.1, MAX_SEVERITY.eq2[eq2]! * 0.1, MAX_SEVERITY.eq3eq6[eq3]![eq6]! * 0.1, MAX_SEVERITY.eq4[eq4]! * 0.1];
  const available = [value - lowerEq1, value - lowerEq2, value - lowerEq3Eq6, value - lowerEq4];
  let existing = 0;
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    if (Number.isNaN(available[i]!)) continue;
    existing++;
    sum += available[i]! * (current[i]! / depth[i]!);
  }
  // EQ5 always contributes a proportion of 0, but it counts in the mean when a lower level exists.
  if (!Number.isNaN(value - lowerEq5)) existing++;
  const mean = existing === 0 ? 0 : sum / existing;
  // FIRST's calculator since 2024-11-01 (cvss-v4-calculator PR #67): half up, lifted by 1e-6
  // so that an x.x5 tie computed one ULP low in floating point still rounds up.
  return Math.round((Math.max(0, Math.min(10, value - mean)) + 1e-6) * 10) / 10;
}
