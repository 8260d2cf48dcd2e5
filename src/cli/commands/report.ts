import path from 'node:path';
import { SEVERITIES } from '../../advisories/model.js';
import { writeFileAtomic } from '../../common/atomic-write.js';
import { VigilError } from '../../common/errors.js';
import { vigilVersion } from '../../common/version.js';
import { validateHostFinding } from '../../matcher/finding-schema.js';
import { REPORT_FORMATS, RENDERERS, findingsRequest, formatOfPath, reportOrder, severityCounts, type FleetReport, type ReportFinding, type ReportFormat, type ReportSource } from '../../report/index.js';
import type { HostDetail, HostSummary } from '../../server/fleet-types.js';
import { reportHost } from '../../server/report-host.js';
import { apiCall, apiList, apiTarget } from '../api-client.js';
import { oneOf, parse } from '../args.js';
import { progressLine } from '../output.js';
import { checkReportOutput, reportDirectory } from '../report-output.js';

export const REPORT_USAGE = `usage: vigil report [--format csv|json|sarif|html|asff] [--output FILE] [--severity SEV[,SEV]]
                    [--status ACTIVE|SUPPRESSED|CLOSED[,...]] [--host ID] [--tag KEY=VALUE] [--quiet]
       vigil report --per-host --output DIR [filters]
                    [--api URL] [--token-file FILE] [--aws-account ID --aws-region R]

Export the fleet's open findings (ACTIVE and SUPPRESSED unless --status says
otherwise) from a Vigil server, highest Vigil score first:
  csv    RFC 4180, one row per finding (cells that a spreadsheet would run as a
         formula, starting with = + - @, are prefixed with ')
  json   {generatedAt, source, findings}: each finding as
         schemas/host-finding.schema.json, source naming the server, request,
         filters, hosts and the age of their advisory data
  sarif  SARIF 2.1.0, one result per finding on a host
  html   one self-contained page (no external resources): counts per severity
         and per host, every finding in a table sorted by clicking its headers,
         printable (A4 landscape)
  asff   AWS Security Finding Format 2018-10-08 as BatchImportFindings takes it
         ({"Findings": [...]}), for the account and region of --aws-account and
         --aws-region (or AWS_ACCOUNT_ID and AWS_REGION)
Without --format the format follows --output's extension (.csv, .json, .sarif,
.html), else json. --output is written atomically and replaces only an empty
file or a report Vigil wrote (exit 8 for any other file); without it the report
goes to stdout. --per-host writes DIR/HOST-ID.html, one printable page per host.
Findings the server answers that are not valid host findings are left out and
named; the report is still written, and the exit is 4.
Exit: 2 usage, 3 no such host, 4 invalid findings, 6 cannot write, 7 server
not reachable, 8 refusing to overwrite, 9 wrong token.
API and token as for "vigil hosts".`;

/** A host id the API answered, safe as a file name: the API's own grammar, never `.` or `..`. */
const HOST_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

function list(flag: string, value: string | undefined, allowed: readonly string[], norm: (v: string) => string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((v) => norm(v.trim())).filter(Boolean);
  for (const item of items) if (!allowed.includes(item)) throw new VigilError('USAGE', `--${flag}: ${JSON.stringify(item)} is not one of ${allowed.join(', ')}`);
  return items;
}

/** Runs `fn` over `items`, at most `width` at a time, keeping their order. */
async function each<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      'per-host': { type: 'boolean' },
      severity: { type: 'string' },
      status: { type: 'string' },
      host: { type: 'string' },
      tag: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      api: { type: 'string' },
      'token-file': { type: 'string' },
      'aws-account': { type: 'string' },
      'aws-region': { type: 'string' },
    },
    0,
  );
  const perHost = values['per-host'] === true;
  const fallback: ReportFormat = perHost ? 'html' : ((values.output !== undefined ? formatOfPath(values.output) : undefined) ?? 'json');
  const format = oneOf('format', values.format, REPORT_FORMATS, fallback);
  if (perHost && format !== 'html') throw new VigilError('USAGE', '--per-host writes HTML pages; leave out --format or give --format html');
  if (perHost && !values.output) throw new VigilError('USAGE', '--per-host needs --output DIR, the directory to write one page per host into');
  const filters: ReportSource['filters'] = { status: list('status', values.status, ['ACTIVE', 'SUPPRESSED', 'CLOSED'], (v) => v.toUpperCase()) ?? ['ACTIVE', 'SUPPRESSED'] };
  const severity = list('severity', values.severity, SEVERITIES, (v) => v.toLowerCase());
  if (severity) filters.severity = severity;
  if (values.host) filters.host = values.host;
  if (values.tag) filters.tag = values.tag;
  if (filters.status.length === 0) throw new VigilError('USAGE', '--status names no status');

  const quiet = values.quiet === true;
  const progress = progressLine(!quiet && process.stderr.isTTY === true);
  const t = apiTarget({ api: values.api, tokenFile: values['token-file'] });
  const generatedAt = new Date().toISOString();
  try {
    progress.update('hosts', 'listing');
    // A named host is looked up first, so one the server does not know exits 3 (NOT_FOUND).
    const named = filters.host ? await apiCall<HostDetail>(t, 'GET', `hosts/${encodeURIComponent(filters.host)}`) : undefined;
    const listed: HostSummary[] = named ? [named] : await apiList<HostSummary>(t, 'hosts', 'hosts', { tag: filters.tag });
    const answered = await apiList<unknown>(t, 'findings', 'findings', { host: filters.host, severity: filters.severity?.join(','), status: filters.status.join(','), tag: filters.tag }, (n) =>
      progress.update('findings', `${n} received`),
    );
    const problems: string[] = [];
    const findings: ReportFinding[] = [];
    answered.forEach((f, i) => {
      const errors = validateHostFinding(f);
      if (errors.length === 0) findings.push(f as ReportFinding);
      else problems.push(`GET /api/v1/findings #${i}${typeof (f as { id?: unknown }).id === 'string' ? ` (${(f as { id: string }).id.slice(0, 120)})` : ''}: ${errors[0]!.pointer || '/'} ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`);
    });
    findings.sort(reportOrder);
    const withFindings = new Set(findings.map((f) => f.hostId));
    // A revoked host is in the report when asked for or when it has findings in it (closed ones).
    const inScope = listed.filter((h) => h === named || h.state !== 'revoked' || withFindings.has(h.id));
    let done = 0;
    const hosts = await each(inScope, 4, async (h) => {
      const detail = h === named ? named : await apiCall<HostDetail>(t, 'GET', `hosts/${encodeURIComponent(h.id)}`);
      progress.update('hosts', `${++done}/${inScope.length} with their advisory data`);
      return reportHost(h, detail);
    });
    const source: ReportSource = { tool: 'vigil', version: vigilVersion(), api: t.local ? `local data directory ${t.local}` : t.url, request: findingsRequest(filters), filters, hosts, problems };
    progress.update('render', `${findings.length} findings as ${format}`);
    const written = perHost ? await writePerHost(values.output!, { generatedAt, source, findings }) : await writeOne(values.output, RENDERERS[format].render({ generatedAt, source, findings, ...awsOf(values) }));
    progress.done();
    if (!quiet) {
      const c = severityCounts(findings);
      const bySev = SEVERITIES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
      process.stderr.write(`vigil: ${findings.length} findings${bySev.length ? ` (${bySev.join(', ')})` : ''} on ${hosts.length} host(s)${written ? `; ${written}` : ''}\n`);
      for (const p of problems.slice(0, 5)) process.stderr.write(`vigil: left out: ${p}\n`);
    }
    if (problems.length) throw new VigilError('INVALID_INPUT', `${problems.length} finding(s) the server answered are not valid host findings (schemas/host-finding.schema.json) and were left out; first: ${problems[0]}`);
    return 0;
  } finally {
    progress.done();
  }
}

async function writeOne(output: string | undefined, doc: string): Promise<string | undefined> {
  if (output === undefined) {
    process.stdout.write(doc);
    return undefined;
  }
  await checkReportOutput(output);
  await writeFileAtomic(output, doc);
  return `${output} (${Buffer.byteLength(doc)} bytes)`;
}

/** One page per host, every file checked before any is written. */
async function writePerHost(dir: string, report: FleetReport): Promise<string> {
  for (const h of report.source.hosts) if (!HOST_ID.test(h.id)) throw new VigilError('INVALID_INPUT', `the server named a host ${JSON.stringify(h.id.slice(0, 80))}, which is not a host id a file can be named after`);
  await reportDirectory(dir);
  const files = report.source.hosts.map((h) => ({ host: h, file: path.join(dir, `${h.id}.html`) }));
  for (const { file } of files) await checkReportOutput(file);
  let bytes = 0;
  for (const { host, file } of files) {
    const doc = RENDERERS.html.render({ generatedAt: report.generatedAt, source: { ...report.source, hosts: [host] }, findings: report.findings.filter((f) => f.hostId === host.id) });
    await writeFileAtomic(file, doc);
    bytes += Buffer.byteLength(doc);
  }
  return `${files.length} page(s) in ${dir} (${bytes} bytes)`;
}

/** The AWS account and region an ASFF export names, from the flags or the environment. */
function awsOf(values: { 'aws-account'?: string | undefined; 'aws-region'?: string | undefined }): { aws?: { accountId: string; region: string } } {
  const accountId = values['aws-account'] ?? process.env.AWS_ACCOUNT_ID;
  const region = values['aws-region'] ?? process.env.AWS_REGION;
  return accountId && region ? { aws: { accountId, region } } : {};
}
