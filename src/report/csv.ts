import type { FleetReport, ReportFinding, ReportHost, ReportRenderer } from './model.js';

/**
 * CSV per RFC 4180: a header line, one record per finding, CRLF line ends, a field
 * quoted (its quotes doubled) when it holds a comma, quote, CR or LF. A spreadsheet
 * runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR) as a formula, so
 * such a cell is prefixed with a single quote: a hostile package name or path
 * stays text (OWASP "CSV injection").
 */

const COLUMNS: ReadonlyArray<[string, (s: ReportFinding, host: ReportHost | undefined) => string | number | boolean | undefined]> = [
  ['host_id', (s) => s.hostId],
  ['hostname', (_s, h) => h?.hostname],
  ['status', (s) => s.status],
  ['close_reason', (s) => s.closeReason],
  ['episode', (s) => s.episode],
  ['first_seen', (s) => s.firstSeen],
  ['last_seen', (s) => s.lastSeen],
  ['vulnerability', (s) => s.finding.vulnerability],
  ['aliases', (s) => s.finding.aliases.join(' ')],
  ['severity', (s) => s.finding.severity],
  ['severity_source', (s) => s.finding.severitySource],
  ['score', (s) => s.finding.score],
  ['score_reasons', (s) => s.finding.scoreReasons?.join('; ')],
  ['cvss_score', (s) => s.finding.cvss?.score],
  ['cvss_version', (s) => s.finding.cvss?.version],
  ['cvss_vector', (s) => s.finding.cvss?.vector],
  ['cvss_source', (s) => s.finding.cvss?.source],
  ['kev_date_added', (s) => s.finding.kev?.dateAdded],
  ['kev_due_date', (s) => s.finding.kev?.dueDate],
  ['epss_score', (s) => s.finding.epss?.score],
  ['epss_percentile', (s) => s.finding.epss?.percentile],
  ['epss_date', (s) => s.finding.epss?.date],
  ['exposure', (s) => s.finding.exposure],
  ['in_use', (s) => s.finding.inUse],
  ['ecosystem', (s) => s.finding.component.ecosystem],
  ['package', (s) => s.finding.component.name],
  ['installed_version', (s) => s.finding.installedVersion],
  ['fixed_version', (s) => s.finding.fixedVersion],
  ['fix_status', (s) => s.finding.status],
  ['purl', (s) => s.finding.component.purl],
  ['locations', (s) => s.finding.component.locations.join('; ')],
  ['remediation', (s) => s.finding.remediation],
  ['summary', (s) => s.finding.summary],
  ['advisory_data_newest', (_s, h) => h?.advisoryData?.newest],
  ['advisory_feeds', (_s, h) => h?.advisoryData?.feeds.join(' ')],
  ['finding_id', (s) => s.id],
];

export const CSV_HEADER = COLUMNS.map(([name]) => name).join(',');

/** One field: formula-guarded, then quoted when RFC 4180 needs it. */
export function csvField(value: string | number | boolean | undefined): string {
  let s = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One finding's record (no line end), the columns of CSV_HEADER. */
export function csvRecord(s: ReportFinding, host: ReportHost | undefined): string {
  return COLUMNS.map(([, get]) => csvField(get(s, host))).join(',');
}

export const csvRenderer: ReportRenderer = {
  format: 'csv',
  extensions: ['.csv'],
  render(report: FleetReport): string {
    const hosts = new Map(report.source.hosts.map((h) => [h.id, h]));
    const lines = [CSV_HEADER];
    for (const s of report.findings) {
      const host = hosts.get(s.hostId);
      lines.push(csvRecord(s, host));
    }
    return lines.join('\r\n') + '\r\n';
  },
  recognises: (head) => head.startsWith(`${CSV_HEADER}\r\n`) || head === CSV_HEADER,
};
