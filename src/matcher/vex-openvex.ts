/**
 * OpenVEX 0.2.0 (github.com/openvex/spec) statements as suppression rules. A
 * statement's packages are its products' subcomponents when it names any, else the
 * products themselves, each by `@id` or `identifiers.purl` when that is a package URL.
 * Statements apply in order of their timestamps: a later statement about the same
 * vulnerability and package replaces an earlier one, so `affected` after
 * `not_affected` brings the finding back.
 */
import path from 'node:path';
import { instantOf, parsePurlPattern, VEX_JUSTIFICATIONS, type SuppressionRule, type VexJustification } from './suppression.js';
import { isObject, vexError } from './vex-json.js';

const STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
type Status = (typeof STATUSES)[number];

function str(v: unknown, file: string, pointer: string, required: boolean): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v === '') vexError(file, pointer, 'must be a non-empty string');
  return v;
}

function purlOf(c: Record<string, unknown>): string | undefined {
  const ids = isObject(c.identifiers) ? c.identifiers : {};
  for (const v of [c['@id'], ids.purl]) if (typeof v === 'string' && v.startsWith('pkg:')) return v;
  return undefined;
}

interface Statement {
  index: number;
  status: Status;
  vulnerabilities: string[];
  purls: string[];
  time: number;
  raw: Record<string, unknown>;
}

export function openVexRules(doc: Record<string, unknown>, file: string): { rules: SuppressionRule[]; warnings: string[] } {
  const author = str(doc.author, file, '/author', true)!;
  const docTime = str(doc.timestamp, file, '/timestamp', true)!;
  if (Number.isNaN(instantOf(docTime))) vexError(file, '/timestamp', `is not an RFC 3339 date-time (got ${JSON.stringify(docTime)})`);
  if (!Array.isArray(doc.statements)) vexError(file, '/statements', 'must be a list of statements');
  const warnings: string[] = [];
  const statements: Statement[] = doc.statements.map((s: unknown, i: number) => {
    const at = `/statements/${i}`;
    if (!isObject(s)) vexError(file, at, 'must be an object');
    if (!isObject(s.vulnerability)) vexError(file, `${at}/vulnerability`, 'must be an object with a name');
    const name = str(s.vulnerability.name, file, `${at}/vulnerability/name`, true)!;
    const aliases = Array.isArray(s.vulnerability.aliases) ? s.vulnerability.aliases.filter((a): a is string => typeof a === 'string') : [];
    const status = s.status as Status;
    if (!STATUSES.includes(status)) vexError(file, `${at}/status`, `must be one of ${STATUSES.join(', ')} (got ${JSON.stringify(s.status)})`);
    if (status === 'not_affected') {
      const j = s.justification;
      if (j !== undefined && !(VEX_JUSTIFICATIONS as readonly unknown[]).includes(j)) vexError(file, `${at}/justification`, `must be one of ${VEX_JUSTIFICATIONS.join(', ')} (got ${JSON.stringify(j)})`);
      if (j === undefined && typeof s.impact_statement !== 'string') vexError(file, at, 'a not_affected statement needs a justification or an impact_statement');
    }
    const time = str(s.timestamp, file, `${at}/timestamp`, false) ?? docTime;
    if (Number.isNaN(instantOf(time))) vexError(file, `${at}/timestamp`, `is not an RFC 3339 date-time (got ${JSON.stringify(time)})`);
    if (s.products !== undefined && !Array.isArray(s.products)) vexError(file, `${at}/products`, 'must be a list');
    const purls: string[] = [];
    for (const [pi, p] of ((s.products as unknown[] | undefined) ?? []).entries()) {
      if (!isObject(p)) vexError(file, `${at}/products/${pi}`, 'must be an object');
      const subs = Array.isArray(p.subcomponents) ? p.subcomponents.filter(isObject) : [];
      const named = subs.length ? subs.map(purlOf) : [purlOf(p)];
      for (const [k, purl] of named.entries()) {
        const where = subs.length ? `${at}/products/${pi}/subcomponents/${k}` : `${at}/products/${pi}`;
        if (purl === undefined) {
          warnings.push(`${file}#${where}: names no package URL; the statement does not apply to it`);
          continue;
        }
        try {
          parsePurlPattern(purl);
        } catch (err) {
          vexError(file, where, `is not a package URL: ${(err as Error).message}`);
        }
        purls.push(purl);
      }
    }
    if (purls.length === 0 && (status === 'not_affected' || status === 'fixed')) warnings.push(`${file}#${at}: names no package; it sets nothing aside`);
    return { index: i, status, vulnerabilities: [name, ...aliases], purls, time: instantOf(time), raw: s };
  });
  // The latest statement about a vulnerability and package is the one in force; one replaced under any of its names sets nothing aside.
  const ordered = [...statements].sort((a, b) => a.time - b.time || a.index - b.index);
  const latest = new Map<string, Statement>();
  for (const s of ordered) for (const v of s.vulnerabilities) for (const p of s.purls) latest.set(`${v.toUpperCase()} ${p}`, s);
  const rules: SuppressionRule[] = [];
  for (const s of statements) {
    if (s.status !== 'not_affected' && s.status !== 'fixed') continue;
    const purls = s.purls.filter((p) => s.vulnerabilities.every((v) => latest.get(`${v.toUpperCase()} ${p}`) === s));
    if (purls.length === 0) continue;
    const rule: SuppressionRule = {
      id: `${path.basename(file)}#/statements/${s.index}`,
      match: { vulnerabilities: s.vulnerabilities, purls },
      reason: s.status,
      author,
      created: new Date(s.time).toISOString(),
      origin: `${file}#/statements/${s.index}`,
    };
    if (typeof s.raw.justification === 'string') rule.justification = s.raw.justification as VexJustification;
    const note = [s.raw.impact_statement, s.raw.status_notes].filter((t): t is string => typeof t === 'string' && t !== '');
    if (note.length) rule.statement = note.join(' ');
    rules.push(rule);
  }
  return { rules, warnings };
}
