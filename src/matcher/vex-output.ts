/**
 * `vigil scan --format openvex`: an OpenVEX 0.2.0 document of what the scan decided.
 * One statement per vulnerability and package:
 * - set aside as `not_affected` → `not_affected` with the rule's justification (or,
 *   without one, its statement as the impact statement);
 * - set aside as `fixed` (a VEX input said so) → `fixed`;
 * - set aside as `false_positive` → `not_affected` whose impact statement says it is a
 *   false positive: OpenVEX has no such status, and the vulnerability is not there;
 * - set aside as `accepted_risk` or `mitigated` → `affected`: the vulnerable code is
 *   present, so saying `not_affected` would be false; the action statement records the
 *   decision, who made it and until when;
 * - open findings with a fixed version → `affected`, the fix as the action statement.
 * Open findings without a fix are left out: there is no decision or action to state.
 */
import { createHash } from 'node:crypto';
import type { Inventory } from '../common/model.js';
import type { Finding } from './finding.js';
import type { SuppressedFinding, SuppressionRule } from './suppression.js';

export type Statement = Record<string, unknown>;

const dateTime = (t: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t);

function vulnerability(f: Finding): Record<string, unknown> {
  const aliases = [...new Set(f.aliases.filter((a) => a !== f.vulnerability))];
  return aliases.length ? { name: f.vulnerability, aliases } : { name: f.vulnerability };
}

function decidedBy(rule: SuppressionRule): string {
  return `${rule.author}, ${rule.created} (rule ${rule.id}, ${rule.origin})`;
}

export function suppressedStatement({ finding, rule }: SuppressedFinding): Statement {
  const base: Statement = { vulnerability: vulnerability(finding), timestamp: dateTime(rule.created), products: [{ '@id': finding.component.purl }] };
  const said = rule.statement ? `${rule.statement} ` : '';
  switch (rule.reason) {
    case 'not_affected':
      return rule.justification
        ? { ...base, status: 'not_affected', justification: rule.justification, status_notes: `${said}Decided by ${decidedBy(rule)}.` }
        : { ...base, status: 'not_affected', impact_statement: rule.statement ?? 'not affected', status_notes: `Decided by ${decidedBy(rule)}.` };
    case 'fixed':
      return { ...base, status: 'fixed', status_notes: `${said}Stated by ${decidedBy(rule)}.` };
    case 'false_positive':
      return { ...base, status: 'not_affected', impact_statement: `False positive: ${rule.statement ?? 'the finding does not apply to this package'}`, status_notes: `Decided by ${decidedBy(rule)}.` };
    case 'accepted_risk':
    case 'mitigated': {
      const what = rule.reason === 'accepted_risk' ? 'Risk accepted' : 'Mitigated outside the package';
      return {
        ...base,
        status: 'affected',
        action_statement: `${what}${rule.expires ? ` until ${rule.expires}` : ''}: ${rule.statement ?? 'no statement given'}`,
        action_statement_timestamp: dateTime(rule.created),
        status_notes: `Decided by ${decidedBy(rule)}.`,
      };
    }
  }
}

function openStatement(f: Finding): Statement {
  return {
    vulnerability: vulnerability(f),
    products: [{ '@id': f.component.purl }],
    status: 'affected',
    action_statement: f.remediation ? `Upgrade to ${f.fixedVersion}: ${f.remediation}` : `Upgrade ${f.component.name} to ${f.fixedVersion}`,
  };
}

/** The document, or undefined when there is no statement to make (OpenVEX needs at least one). */
export function renderOpenVex(inv: Inventory, open: Finding[], suppressed: SuppressedFinding[]): string | undefined {
  const statements: Statement[] = [];
  const seen = new Set<string>();
  const add = (key: string, s: Statement) => {
    if (seen.has(key)) return;
    seen.add(key);
    statements.push(s);
  };
  for (const s of suppressed) add(`${s.finding.vulnerability} ${s.finding.component.purl}`, suppressedStatement(s));
  for (const f of open) if (f.fixedVersion !== undefined) add(`${f.vulnerability} ${f.component.purl}`, openStatement(f));
  if (statements.length === 0) return undefined;
  return openVexDocument({ subject: `${inv.target.kind}:${inv.target.path}`, timestamp: inv.scannedAt, author: 'Vigil scan (each statement names who decided it)', tooling: `${inv.tool.name} ${inv.tool.version}` }, statements);
}

/**
 * An OpenVEX 0.2.0 document of `statements` (at least one). Its `@id` is derived from
 * the subject, the time and the statements, so the same decisions at the same time
 * give the same document.
 */
export function openVexDocument(meta: { subject: string; timestamp: string; author: string; tooling: string }, statements: Statement[]): string {
  const body = JSON.stringify(statements);
  const id = createHash('sha256').update(`${meta.subject}\n${meta.timestamp}\n${body}`).digest('hex');
  const doc = {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': `https://openvex.dev/docs/public/vex-${id}`,
    author: meta.author,
    timestamp: meta.timestamp,
    version: 1,
    tooling: meta.tooling,
    statements,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
