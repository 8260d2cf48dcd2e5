import { openVexDocument, suppressedStatement, type Statement } from '../matcher/vex-output.js';
import type { FleetDecision } from './suppression-service.js';

/**
 * `GET /api/v1/vex`: the fleet's suppression decisions as an OpenVEX 0.2.0 document,
 * so what operators decided on the server can be handed to another scanner or back to
 * `vigil scan --vex`. One statement per vulnerability, package version and rule, in
 * the form `vigil scan --format openvex` gives it (see matcher/vex-output.ts for how
 * each reason maps to a status), with the hosts it holds on in its notes. A finding
 * that is open, or suppressed by no rule in force, is not a decision and is left out.
 */

const HOSTS_NAMED = 20;

export interface FleetVex {
  /** Absent when nothing is decided in scope: OpenVEX needs at least one statement. */
  document?: string;
  statements: number;
  findings: number;
}

export function fleetOpenVex(decisions: FleetDecision[], meta: { scope: string; timestamp: string; tooling: string }): FleetVex {
  const groups = new Map<string, { first: FleetDecision; hosts: Map<string, string> }>();
  for (const d of decisions) {
    const key = `${d.finding.vulnerability}\n${d.finding.component.purl}\n${d.rule.id}`;
    const g = groups.get(key) ?? { first: d, hosts: new Map<string, string>() };
    g.hosts.set(d.host.id, d.host.hostname);
    groups.set(key, g);
  }
  const statements: Statement[] = [];
  for (const { first, hosts } of [...groups.values()].sort((a, b) => order(a.first, b.first))) {
    const s = suppressedStatement({ finding: first.finding, rule: first.rule });
    const named = [...hosts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, name]) => `${name} (${id})`);
    const list = named.length > HOSTS_NAMED ? `${named.slice(0, HOSTS_NAMED).join(', ')} and ${named.length - HOSTS_NAMED} more` : named.join(', ');
    statements.push({ ...s, status_notes: `${String(s.status_notes)} On ${hosts.size} host${hosts.size === 1 ? '' : 's'}: ${list}.` });
  }
  if (statements.length === 0) return { statements: 0, findings: 0 };
  return {
    document: openVexDocument({ subject: meta.scope, timestamp: meta.timestamp, author: 'Vigil server (each statement names who decided it)', tooling: meta.tooling }, statements),
    statements: statements.length,
    findings: decisions.length,
  };
}

function order(a: FleetDecision, b: FleetDecision): number {
  const ka = `${a.finding.vulnerability}\n${a.finding.component.purl}\n${a.rule.id}`;
  const kb = `${b.finding.vulnerability}\n${b.finding.component.purl}\n${b.rule.id}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
