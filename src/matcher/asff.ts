import { createHash } from 'node:crypto';
import { VigilError } from '../common/errors.js';
import type { FindingStatus } from '../common/lifecycle/finding.js';
import type { Finding } from './finding.js';

/**
 * A host's finding in the AWS Security Finding Format (ASFF, schema 2018-10-08), as
 * Security Hub's BatchImportFindings takes it (AWS Security Hub User Guide, "AWS
 * Security Finding Format", "Required top-level ASFF attributes"; API Reference
 * `AwsSecurityFinding`, `Vulnerability`, `Severity`). The limits it states hold:
 * Id and GeneratorId at most 512 characters, Title 256, Description 1024, at most 32
 * resources, Severity.Original 64, ProductFields at most 50 of 128 / 2048 characters.
 */

export interface AsffOptions {
  /** The 12-digit AWS account the findings are imported into. */
  awsAccountId: string;
  region: string;
  /** Security Hub's ARN for the product; the account's default custom product unless given. */
  productArn?: string;
  generatorId?: string;
}

export interface AsffInput {
  hostId: string;
  hostname?: string;
  status: FindingStatus;
  firstSeen: string;
  lastSeen: string;
  finding: Finding;
}

export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface AsffFinding {
  SchemaVersion: '2018-10-08';
  Id: string;
  ProductArn: string;
  ProductName: string;
  GeneratorId: string;
  AwsAccountId: string;
  Region: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  FirstObservedAt: string;
  LastObservedAt: string;
  Severity: { Label: AsffSeverityLabel; Original: string };
  Title: string;
  Description: string;
  Remediation?: { Recommendation: { Text: string } };
  ProductFields: Record<string, string>;
  Resources: Array<{ Type: 'Other'; Id: string; Partition: 'aws'; Region: string; Details: { Other: Record<string, string> } }>;
  Vulnerabilities: Array<Record<string, unknown>>;
  Workflow: { Status: 'NEW' | 'NOTIFIED' | 'SUPPRESSED' | 'RESOLVED' };
  RecordState: 'ACTIVE' | 'ARCHIVED';
}

export const ASFF_TYPE_CVE = 'Software and Configuration Checks/Vulnerabilities/CVE';

const LABELS: Record<string, AsffSeverityLabel> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', negligible: 'INFORMATIONAL', unknown: 'INFORMATIONAL' };
const WORKFLOW: Record<FindingStatus, AsffFinding['Workflow']['Status']> = { ACTIVE: 'NEW', SUPPRESSED: 'SUPPRESSED', CLOSED: 'RESOLVED' };

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

/** An identifier kept whole when it fits, else made of its start and a digest of all of it, so it stays unique. */
function boundedId(s: string, max: number): string {
  if (s.length <= max) return s;
  const digest = createHash('sha256').update(s).digest('hex');
  return `${s.slice(0, max - digest.length - 1)}#${digest}`;
}

/** ASFF timestamps: RFC 3339 in UTC with milliseconds, as Security Hub's examples write them. */
function stamp(s: string, what: string): string {
  const t = new Date(s);
  if (Number.isNaN(t.getTime())) throw new VigilError('INVALID_INPUT', `the finding's ${what} "${s}" is not a time`);
  return t.toISOString();
}

export function findingToAsff(input: AsffInput, o: AsffOptions): AsffFinding {
  if (!/^\d{12}$/.test(o.awsAccountId)) throw new VigilError('INVALID_INPUT', `an AWS account id has 12 digits, not "${o.awsAccountId}"`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(o.region)) throw new VigilError('INVALID_INPUT', `"${o.region}" is not an AWS region name`);
  const f = input.finding;
  const host = input.hostname ?? input.hostId;
  const pkg = `${f.component.name} ${f.installedVersion}`;
  const title = clip(`${f.vulnerability} in ${pkg} on ${host}`, 256);
  const fix = f.fixedVersion ? `Fixed in ${f.fixedVersion}${f.remediation ? `: ${f.remediation}` : ''}.` : 'No fixed version is known yet.';
  const description = clip(`${f.summary ? `${f.summary.trim()} ` : ''}${f.vulnerability} affects ${pkg} (${f.component.purl}) on ${host}. ${fix}`, 1024);
  const productFields: Record<string, string> = {
    'vigil/score': String(f.score),
    'vigil/exposure': f.exposure,
    'vigil/in-use': String(f.inUse),
    'vigil/purl': clip(f.component.purl, 2048),
    'vigil/finding-id': clip(f.id, 2048),
    'vigil/host-id': clip(input.hostId, 2048),
  };
  if (f.severitySource) productFields['vigil/severity-source'] = clip(f.severitySource, 2048);
  const pkgRecord: Record<string, string> = { Name: f.component.name, Version: f.installedVersion, PackageManager: f.component.ecosystem };
  if (f.component.locations[0]) pkgRecord.FilePath = f.component.locations[0];
  if (f.fixedVersion) pkgRecord.FixedInVersion = f.fixedVersion;
  if (f.remediation) pkgRecord.Remediation = f.remediation;
  const vuln: Record<string, unknown> = {
    Id: f.vulnerability,
    VulnerablePackages: [pkgRecord],
    // One package: YES when it has both a fixed version and a remediation, else NO (PARTIAL needs several).
    FixAvailable: f.fixedVersion && f.remediation ? 'YES' : 'NO',
    Vendor: { Name: clip(f.matches[0]?.source ?? 'Vigil', 256), VendorSeverity: f.severity },
  };
  if (f.aliases.length) vuln.RelatedVulnerabilities = f.aliases.slice(0, 100);
  if (f.cvss) vuln.Cvss = [{ Version: f.cvss.version, BaseScore: f.cvss.score, BaseVector: f.cvss.vector, ...(f.cvss.source ? { Source: f.cvss.source } : {}) }];
  if (f.epss) vuln.EpssScore = f.epss.score;
  // Known exploitation (CISA KEV) says an exploit exists; its absence says nothing, so NO is never claimed.
  if (f.kev) vuln.ExploitAvailable = 'YES';
  const created = stamp(input.firstSeen, 'first-seen time');
  const updated = stamp(input.lastSeen, 'last-seen time');
  return {
    SchemaVersion: '2018-10-08',
    Id: boundedId(`vigil/${input.hostId}/${f.id}`, 512),
    ProductArn: o.productArn ?? `arn:aws:securityhub:${o.region}:${o.awsAccountId}:product/${o.awsAccountId}/default`,
    ProductName: 'Vigil',
    GeneratorId: boundedId(o.generatorId ?? `vigil/matcher/${f.component.ecosystem}`, 512),
    AwsAccountId: o.awsAccountId,
    Region: o.region,
    Types: [ASFF_TYPE_CVE],
    CreatedAt: created,
    UpdatedAt: updated,
    FirstObservedAt: created,
    LastObservedAt: updated,
    Severity: { Label: LABELS[f.severity] ?? 'INFORMATIONAL', Original: clip(f.severity, 64) },
    Title: title,
    Description: description,
    ...(f.remediation ? { Remediation: { Recommendation: { Text: clip(`Upgrade ${f.component.name}${f.fixedVersion ? ` to ${f.fixedVersion}` : ''}: ${f.remediation}`, 512) } } } : {}),
    ProductFields: productFields,
    Resources: [{ Type: 'Other', Id: clip(host, 512), Partition: 'aws', Region: o.region, Details: { Other: { 'vigil/host-id': input.hostId, ...(input.hostname ? { 'vigil/hostname': input.hostname } : {}) } } }],
    Vulnerabilities: [vuln],
    Workflow: { Status: WORKFLOW[input.status] },
    RecordState: input.status === 'CLOSED' ? 'ARCHIVED' : 'ACTIVE',
  };
}
