import { severityFromScore } from '../advisories/cvss.js';
import type { CvssScore } from '../advisories/model.js';
import { cycloneDxDocument } from '../inventory/sbom/cyclonedx.js';
import type { Inventory, Problem } from '../common/model.js';
import type { Finding } from './finding.js';
import { remediationPlan } from './remediation.js';

/**
 * Standard outputs of a scan: SARIF 2.1.0 for code-scanning CI, CycloneDX 1.6 with
 * a `vulnerabilities` section, and Vigil's JSON. All sorted, so equal scans give
 * equal documents apart from timestamps.
 */

const CDX_SEVERITY = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', negligible: 'info', unknown: 'unknown' } as const;
const CDX_METHOD: Record<string, string> = { '2.0': 'CVSSv2', '3.0': 'CVSSv3', '3.1': 'CVSSv31', '4.0': 'CVSSv4' };

/** `extra` carries what a caller adds beside the findings (`vigil scan --show-suppressed`: `suppressed`). */
export function renderJson(inv: Inventory, findings: Finding[], problems: Problem[], extra: Record<string, unknown> = {}): string {
  const remediation = remediationPlan(findings, inv.target.kind, inv.components);
  return JSON.stringify({ tool: inv.tool, target: inv.target, os: inv.os, scannedAt: inv.scannedAt, findings, ...extra, problems, remediation }, null, 2) + '\n';
}

export function renderCycloneDxWithVulnerabilities(inv: Inventory, findings: Finding[]): string {
  const { doc, refOf } = cycloneDxDocument(inv);
  const byVuln = new Map<string, Finding[]>();
  for (const f of findings) byVuln.set(f.vulnerability, [...(byVuln.get(f.vulnerability) ?? []), f]);
  const vulnerabilities = [...byVuln.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, fs]) => {
      const first = fs[0]!;
      const v: Record<string, unknown> = {
        'bom-ref': `vuln:${id}`,
        id,
        source: { name: first.matches[0]?.source ?? 'vigil' },
      };
      if (first.aliases.length) v.references = first.aliases.map((a) => ({ id: a, source: { name: a.split('-')[0] } }));
      const ratings: Array<Record<string, unknown>> = [];
      // Each rating names who published it; the finding's severity may be a vendor's word, not the vector's.
      const chosen = first.ratings?.find((r) => r.chosen);
      if (chosen?.kind === 'vendor') ratings.push({ severity: CDX_SEVERITY[first.severity], method: 'other', source: { name: chosen.label.split(' rates it ')[0] } });
      if (first.cvss) {
        const cvssSeverity = CDX_SEVERITY[severityFromScore(first.cvss.score, first.cvss.version as CvssScore['version'])];
        ratings.push({ source: { name: first.cvss.source }, score: first.cvss.score, severity: cvssSeverity, method: CDX_METHOD[first.cvss.version] ?? 'other', vector: first.cvss.vector });
      } else if (chosen?.kind !== 'vendor') ratings.push({ severity: CDX_SEVERITY[first.severity] });
      ratings.push({ source: { name: 'vigil' }, score: Math.max(...fs.map((f) => f.score)), method: 'other' });
      v.ratings = ratings;
      if (first.summary) v.description = first.summary;
      const fixes = [...new Set(fs.map((f) => f.remediation).filter((r): r is string => !!r))].sort();
      if (fixes.length) v.recommendation = fixes.join('; ');
      v.affects = fs
        .map((f) => ({ ref: refOf(f.component) ?? f.component.purl, versions: [{ version: f.installedVersion, status: 'affected' }] }))
        .sort((a, b) => (a.ref < b.ref ? -1 : 1));
      const props: Array<{ name: string; value: string }> = [];
      if (first.kev) props.push({ name: 'vigil:kev:dueDate', value: first.kev.dueDate });
      if (first.epss) props.push({ name: 'vigil:epss', value: String(first.epss.score) }, { name: 'vigil:epss:percentile', value: String(first.epss.percentile) });
      const fixed = [...new Set(fs.map((f) => f.fixedVersion).filter((x): x is string => !!x))].sort();
      for (const [i, x] of fixed.entries()) props.push({ name: `vigil:fixedVersion:${i}`, value: x });
      if (props.length) v.properties = props;
      return v;
    });
  return JSON.stringify({ ...doc, vulnerabilities }, null, 2) + '\n';
}

function sarifLevel(f: Finding): 'error' | 'warning' | 'note' {
  return f.severity === 'critical' || f.severity === 'high' ? 'error' : f.severity === 'medium' || f.severity === 'unknown' ? 'warning' : 'note';
}

/** A SARIF rule of a vulnerability: its id, a summary and `security-severity` (the highest score of its findings), as GitHub code scanning reads them. */
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  help?: { text: string };
  properties: { 'security-severity': string; tags: string[] };
}

/** One rule per vulnerability of `findings`, keyed by vulnerability id. */
export function sarifRules(findings: Iterable<Finding>): Map<string, SarifRule> {
  const rules = new Map<string, SarifRule>();
  for (const f of findings) {
    const prev = Number(rules.get(f.vulnerability)?.properties['security-severity'] ?? 0);
    const sev = Math.max(f.cvss?.score ?? 0, f.score, prev);
    rules.set(f.vulnerability, {
      id: f.vulnerability,
      name: f.vulnerability.replace(/[^A-Za-z0-9]/g, ''),
      shortDescription: { text: `${f.vulnerability}${f.summary ? `: ${f.summary}` : ''}`.slice(0, 1000) },
      ...(f.aliases.length ? { help: { text: `Also known as ${f.aliases.join(', ')}.` } } : {}),
      properties: { 'security-severity': sev.toFixed(1), tags: ['security', 'vulnerability', f.severity] },
    });
  }
  return rules;
}

/**
 * SARIF 2.1.0. Problems (files that could not be read) are tool execution
 * notifications; `succeeded` false marks a run whose named input was not read.
 */
export function renderSarif(inv: Inventory, findings: Finding[], problems: Problem[] = inv.problems, succeeded = true): string {
  const rules = sarifRules(findings);
  const ruleIds = [...rules.keys()].sort();
  const results = findings.map((f) => ({
    ruleId: f.vulnerability,
    ruleIndex: ruleIds.indexOf(f.vulnerability),
    level: sarifLevel(f),
    message: {
      text: `${f.component.name} ${f.installedVersion} is affected by ${f.vulnerability}${f.fixedVersion ? `; fixed in ${f.fixedVersion}` : '; no fix available yet'}${f.remediation ? ` (${f.remediation})` : ''}. Vigil score ${f.score.toFixed(1)}.`,
    },
    locations: f.component.locations.map((loc) => ({
      physicalLocation: { artifactLocation: { uri: loc.split(':')[0]!.replace(/^\/+/, '') || '.' } },
      logicalLocations: [{ name: f.component.name, fullyQualifiedName: f.component.purl, kind: 'package' }],
    })),
    partialFingerprints: { vigilFinding: f.id },
    properties: { purl: f.component.purl, score: f.score, severity: f.severity, ...(f.kev ? { kev: true } : {}), ...(f.epss ? { epss: f.epss.score } : {}) },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'vigil', version: inv.tool.version, rules: ruleIds.map((id) => rules.get(id)!) } },
        invocations: [
          {
            executionSuccessful: succeeded,
            endTimeUtc: inv.scannedAt,
            ...(problems.length
              ? {
                  toolExecutionNotifications: problems.map((p) => ({
                    level: p.code === 'skipped' || p.code === 'malformed-record' ? 'warning' : 'error',
                    message: { text: `${p.path}: ${p.message}` },
                    descriptor: { id: `vigil/${p.code}` },
                    locations: [{ physicalLocation: { artifactLocation: { uri: p.path.replace(/^\/+/, '') || '.' } } }],
                    properties: { collector: p.collector, code: p.code },
                  })),
                }
              : {}),
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
