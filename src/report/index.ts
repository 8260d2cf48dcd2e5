import { asffRenderer } from './asff.js';
import { csvRenderer } from './csv.js';
import { htmlRenderer } from './html.js';
import { jsonRenderer } from './json.js';
import type { ReportFormat, ReportRenderer } from './model.js';
import { sarifRenderer } from './sarif.js';

export { CSV_HEADER, csvRecord } from './csv.js';
export { REPORT_FORMATS, advisoryAge, findingsRequest, reportOrder, severityCounts } from './model.js';
export type { FleetReport, ReportFinding, ReportFormat, ReportHost, ReportRenderer, ReportSource } from './model.js';

/** Every format of `vigil report`; the compiler refuses one left out. */
export const RENDERERS: Record<ReportFormat, ReportRenderer> = {
  csv: csvRenderer,
  json: jsonRenderer,
  sarif: sarifRenderer,
  html: htmlRenderer,
  asff: asffRenderer,
};

/** The format a file name asks for by its extension (`.sarif.json` is SARIF), if any. */
export function formatOfPath(file: string): ReportFormat | undefined {
  const name = file.toLowerCase();
  let best: { format: ReportFormat; length: number } | undefined;
  for (const r of Object.values(RENDERERS)) {
    for (const ext of r.extensions) if (name.endsWith(ext) && ext.length > (best?.length ?? 0)) best = { format: r.format, length: ext.length };
  }
  return best?.format;
}

/** Whether `head` (the first bytes of a file) begins a report Vigil wrote, in any format: such a file may be replaced. */
export function isVigilReport(head: string): boolean {
  return Object.values(RENDERERS).some((r) => r.recognises(head));
}
