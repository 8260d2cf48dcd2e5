import type { FleetReport, ReportRenderer } from './model.js';

/**
 * `{generatedAt, source, findings}`: every finding exactly as the server keeps it
 * (schemas/host-finding.schema.json), and in `source` where the findings came from,
 * the filters, the hosts with the age of their advisory data, and what was left out.
 */
export const jsonRenderer: ReportRenderer = {
  format: 'json',
  extensions: ['.json'],
  render: (report: FleetReport): string => JSON.stringify({ generatedAt: report.generatedAt, source: report.source, findings: report.findings }, null, 2) + '\n',
  recognises: (head) => /^\{\s*"generatedAt":\s*"[^"]*",\s*"source":\s*\{\s*"tool":\s*"vigil"/.test(head),
};
