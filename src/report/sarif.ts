import type { Finding } from '../matcher/finding.js';
import { sarifRules } from '../matcher/reports.js';
import { advisoryAge, type FleetReport, type ReportRenderer } from './model.js';

/**
 * SARIF 2.1.0 of the fleet's findings: one rule per vulnerability (with its
 * `security-severity`, as `vigil scan --format sarif` writes it), one result per
 * finding on a host, located at the component's files on that host. A SUPPRESSED
 * finding carries an external, accepted suppression; findings the API answered
 * malformed are tool execution notifications, and the run is then not successful.
 */

function level(f: Finding): 'error' | 'warning' | 'note' {
  return f.severity === 'critical' || f.severity === 'high' ? 'error' : f.severity === 'medium' || f.severity === 'unknown' ? 'warning' : 'note';
}

/** A root-relative path as a URI reference: each segment percent-encoded, so any file name is a valid one. */
function uriOf(location: string): string {
  const file = location.split(':')[0]!.replace(/^\/+/, '');
  return file ? file.split('/').map(encodeURIComponent).join('/') : '.';
}

export function renderFleetSarif(report: FleetReport): string {
  const hosts = new Map(report.source.hosts.map((h) => [h.id, h]));
  const rules = sarifRules(report.findings.map((s) => s.finding));
  const ruleIds = [...rules.keys()].sort();
  const results = report.findings.map((s) => {
    const f = s.finding;
    const host = hosts.get(s.hostId);
    const on = host ? `${host.hostname} (${s.hostId})` : s.hostId;
    return {
      ruleId: f.vulnerability,
      ruleIndex: ruleIds.indexOf(f.vulnerability),
      level: level(f),
      message: {
        text: `On ${on}, ${f.component.name} ${f.installedVersion} is affected by ${f.vulnerability}${f.fixedVersion ? `; fixed in ${f.fixedVersion}` : '; no fix available yet'}${f.remediation ? ` (${f.remediation})` : ''}. Vigil score ${f.score.toFixed(1)}${f.scoreReasons?.length ? ` (${f.scoreReasons.join('; ')})` : ''}; severity ${f.severity}${f.severitySource ? ` (${f.severitySource})` : ''}.`,
      },
      locations: f.component.locations.map((loc) => ({
        physicalLocation: { artifactLocation: { uri: uriOf(loc) } },
        logicalLocations: [
          { name: f.component.name, fullyQualifiedName: `${s.hostId}/${f.component.purl}`, kind: 'package' },
          { name: host?.hostname ?? s.hostId, fullyQualifiedName: s.hostId, kind: 'host' },
        ],
      })),
      partialFingerprints: { vigilHostFinding: `${s.hostId}/${s.id}` },
      ...(s.status === 'SUPPRESSED' ? { suppressions: [{ kind: 'external', status: 'accepted', justification: 'suppressed by a rule on the Vigil server' }] } : {}),
      properties: {
        hostId: s.hostId,
        hostname: host?.hostname ?? '',
        status: s.status,
        episode: s.episode,
        firstSeen: s.firstSeen,
        lastSeen: s.lastSeen,
        purl: f.component.purl,
        score: f.score,
        scoreReasons: f.scoreReasons ?? [],
        severity: f.severity,
        severitySource: f.severitySource ?? '',
        advisoryData: advisoryAge(host, report.generatedAt),
        ...(f.cvss ? { cvss: f.cvss } : {}),
        ...(f.kev ? { kev: f.kev } : {}),
        ...(f.epss ? { epss: f.epss } : {}),
      },
    };
  });
  const { source } = report;
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'vigil', version: source.version, rules: ruleIds.map((id) => rules.get(id)!) } },
        invocations: [
          {
            executionSuccessful: source.problems.length === 0,
            endTimeUtc: report.generatedAt,
            ...(source.problems.length ? { toolExecutionNotifications: source.problems.map((text) => ({ level: 'error', message: { text }, descriptor: { id: 'vigil/invalid-finding' } })) } : {}),
          },
        ],
        results,
        properties: { api: source.api, request: source.request, filters: source.filters, hosts: source.hosts },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

export const sarifRenderer: ReportRenderer = {
  format: 'sarif',
  extensions: ['.sarif', '.sarif.json'],
  render: renderFleetSarif,
  // Also what `vigil scan --format sarif` writes.
  recognises: (head) => /^\{\s*"\$schema":\s*"https:\/\/json\.schemastore\.org\/sarif-2\.1\.0\.json",\s*"version":\s*"2\.1\.0",\s*"runs":\s*\[\s*\{\s*"tool":\s*\{\s*"driver":\s*\{\s*"name":\s*"vigil"/.test(head),
};
