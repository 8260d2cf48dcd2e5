import { SEVERITIES, type Severity } from '../advisories/model.js';
import type { Finding } from '../matcher/finding.js';
import type { StoredFinding } from '../store/fleet-store.js';

/**
 * What `vigil report` exports: the fleet's findings as the server keeps them
 * (schemas/host-finding.schema.json), the hosts they are on, and where every number
 * came from. Each format (csv.ts, json.ts, sarif.ts, html.ts) renders this one model.
 */

/** A finding on one host: the matcher's Finding with its lifecycle and episodes. */
export type ReportFinding = StoredFinding<Finding>;

export interface ReportHost {
  id: string;
  hostname: string;
  os?: string;
  tags: string[];
  /** See common/lifecycle/host.ts. */
  state: string;
  lastSeenAt: string;
  /**
   * The advisory data the host's findings were matched against (the host's `coverage`
   * in the API): the newest record of the feeds covering its packages, those feeds, and
   * what the data does not cover. Absent when the server said nothing about it.
   */
  advisoryData?: { newest?: string; feeds: string[]; problems: string[] };
}

export interface ReportSource {
  tool: 'vigil';
  version: string;
  /** The server's API URL, or the data directory whose database was read in-process. */
  api: string;
  /** The request the findings came from: `GET /api/v1/findings?status=ACTIVE,SUPPRESSED`. */
  request: string;
  filters: { status: string[]; severity?: string[]; host?: string; tag?: string };
  hosts: ReportHost[];
  /** Findings the API answered that are not valid host findings: left out, each with why. */
  problems: string[];
}

export interface FleetReport {
  generatedAt: string;
  source: ReportSource;
  /** Highest Vigil score first. */
  findings: ReportFinding[];
  /** Where an ASFF export is imported: the AWS account and region. */
  aws?: { accountId: string; region: string };
}

export const REPORT_FORMATS = ['csv', 'json', 'sarif', 'html', 'asff'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** One output format of `vigil report`. */
export interface ReportRenderer {
  format: ReportFormat;
  /** The file name extension `-o` infers the format from. */
  extensions: readonly string[];
  render(report: FleetReport): string;
  /** Whether `head` (the first bytes of a file) begins a document this renderer writes: such a file may be replaced. */
  recognises(head: string): boolean;
}

export type SeverityCounts = Record<Severity, number> & { total: number };

export function severityCounts(findings: readonly ReportFinding[]): SeverityCounts {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  out.total = 0;
  for (const f of findings) {
    out[f.finding.severity]++;
    out.total++;
  }
  return out;
}

/** Highest Vigil score first, then host, vulnerability and finding id: the same order for the same data. */
export function reportOrder(a: ReportFinding, b: ReportFinding): number {
  return b.finding.score - a.finding.score || cmp(a.hostId, b.hostId) || cmp(a.finding.vulnerability, b.finding.vulnerability) || cmp(a.id, b.id);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `2026-11-20 (17d before this report)`: the age of the host's advisory data at the report's time. */
export function advisoryAge(host: ReportHost | undefined, generatedAt: string): string {
  const newest = host?.advisoryData?.newest;
  if (!newest) return host?.advisoryData ? 'no dated record in the feeds covering it' : 'not given by the server';
  const ms = Date.parse(generatedAt) - Date.parse(newest);
  const days = Math.floor(ms / 86_400_000);
  const age = Number.isNaN(ms) ? '' : days >= 1 ? ` (${days}d before this report)` : ' (less than a day before this report)';
  return `${newest.slice(0, 10)}${age}`;
}

/** The query string of the findings request, for `source.request`. */
export function findingsRequest(filters: ReportSource['filters']): string {
  const q = new URLSearchParams();
  if (filters.host) q.set('host', filters.host);
  if (filters.severity?.length) q.set('severity', filters.severity.join(','));
  q.set('status', filters.status.join(','));
  if (filters.tag) q.set('tag', filters.tag);
  return `GET /api/v1/findings?${q.toString().replace(/%2C/g, ',')}`;
}
