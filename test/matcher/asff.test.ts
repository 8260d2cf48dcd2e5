import { beforeAll, describe, expect, it } from 'vitest';
import { VigilError } from '../../src/common/errors.js';
import type { Finding } from '../../src/matcher/finding.js';
import { ASFF_TYPE_CVE, findingToAsff, type AsffFinding } from '../../src/matcher/asff.js';
import { realFindings } from '../server/events/real-findings.js';

/**
 * ASFF from real findings, checked against what AWS documents for BatchImportFindings:
 * the required top-level attributes (Security Hub User Guide, "Required top-level ASFF
 * attributes": AwsAccountId, CreatedAt, Description, GeneratorId, Id, ProductArn,
 * Resources, SchemaVersion, Severity, Title, Types, UpdatedAt) and the limits and
 * values of the API Reference (AwsSecurityFinding: AwsAccountId 12 characters, Id and
 * GeneratorId 1-512, Title up to 256, Description 1-1024, Resources up to 32, Types up
 * to 50 of namespace/category/classifier; Severity.Label one of INFORMATIONAL, LOW,
 * MEDIUM, HIGH, CRITICAL; Severity.Original 1-64; Workflow.Status NEW, NOTIFIED,
 * RESOLVED, SUPPRESSED; RecordState ACTIVE, ARCHIVED; Vulnerability.Id required,
 * FixAvailable YES, NO, PARTIAL, ExploitAvailable YES, NO; Vendor.Name required;
 * timestamps as its "Timestamps" section lists them).
 */

const OPTS = { awsAccountId: '111122223333', region: 'eu-west-1' };
let findings: Finding[] = [];
beforeAll(async () => {
  findings = await realFindings();
}, 120_000);

/** Every limit the documentation states, as a list of what is wrong. */
function asffProblems(a: AsffFinding): string[] {
  const p: string[] = [];
  const text = (v: unknown, field: string, min: number, max: number) => {
    if (typeof v !== 'string' || v.length < min || v.length > max || !/\S/.test(v)) p.push(`${field}: ${JSON.stringify(v)}`);
  };
  const time = (v: unknown, field: string) => {
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/.test(v)) p.push(`${field}: ${JSON.stringify(v)}`);
  };
  for (const k of ['AwsAccountId', 'CreatedAt', 'Description', 'GeneratorId', 'Id', 'ProductArn', 'Resources', 'SchemaVersion', 'Severity', 'Title', 'Types', 'UpdatedAt'] as const) if (a[k] === undefined) p.push(`${k} missing`);
  if (a.SchemaVersion !== '2018-10-08') p.push('SchemaVersion');
  if (!/^\d{12}$/.test(a.AwsAccountId)) p.push('AwsAccountId');
  text(a.Id, 'Id', 1, 512);
  text(a.GeneratorId, 'GeneratorId', 1, 512);
  text(a.Title, 'Title', 1, 256);
  text(a.Description, 'Description', 1, 1024);
  if (!/^arn:aws:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/.test(a.ProductArn)) p.push('ProductArn');
  if (a.Types.length < 1 || a.Types.length > 50 || a.Types.some((t) => t.split('/').length > 3)) p.push('Types');
  time(a.CreatedAt, 'CreatedAt');
  time(a.UpdatedAt, 'UpdatedAt');
  time(a.FirstObservedAt, 'FirstObservedAt');
  time(a.LastObservedAt, 'LastObservedAt');
  if (!['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(a.Severity.Label)) p.push('Severity.Label');
  text(a.Severity.Original, 'Severity.Original', 1, 64);
  if (a.Resources.length < 1 || a.Resources.length > 32) p.push('Resources');
  for (const r of a.Resources) {
    text(r.Type, 'Resources.Type', 1, 256);
    text(r.Id, 'Resources.Id', 1, 512);
  }
  if (!['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'].includes(a.Workflow.Status)) p.push('Workflow.Status');
  if (!['ACTIVE', 'ARCHIVED'].includes(a.RecordState)) p.push('RecordState');
  const pf = Object.entries(a.ProductFields);
  if (pf.length > 50 || pf.some(([k, v]) => k.length > 128 || v.length > 2048)) p.push('ProductFields');
  for (const v of a.Vulnerabilities) {
    text(v.Id, 'Vulnerabilities.Id', 1, 512);
    if (!['YES', 'NO', 'PARTIAL'].includes(v.FixAvailable as string)) p.push('FixAvailable');
    if (v.ExploitAvailable !== undefined && !['YES', 'NO'].includes(v.ExploitAvailable as string)) p.push('ExploitAvailable');
    text((v.Vendor as { Name?: string }).Name, 'Vendor.Name', 1, 256);
  }
  return p;
}

describe('ASFF', () => {
  it('every real finding maps to an ASFF finding within the documented limits', () => {
    expect(findings.length).toBeGreaterThan(10);
    for (const status of ['ACTIVE', 'SUPPRESSED', 'CLOSED'] as const) {
      for (const f of findings) {
        const a = findingToAsff({ hostId: 'b7f1c9e2-0000-4000-8000-000000000001', hostname: 'web-1.example.com', status, firstSeen: '2026-11-29T08:00:00Z', lastSeen: '2026-11-30T10:00:00Z', finding: f }, OPTS);
        expect(asffProblems(a), f.id).toEqual([]);
      }
    }
  });

  it('carries severity, CVSS, EPSS, the package and its fix, the host, workflow and record state', () => {
    const f = findings.find((x) => x.cvss && x.epss && x.fixedVersion)!;
    const a = findingToAsff({ hostId: 'h1', hostname: 'web-1', status: 'CLOSED', firstSeen: '2026-11-29T08:00:00Z', lastSeen: '2026-11-30T10:00:00Z', finding: f }, OPTS);
    expect(a).toMatchObject({
      Id: `vigil/h1/${f.id}`,
      ProductArn: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
      Types: [ASFF_TYPE_CVE],
      CreatedAt: '2026-11-29T08:00:00.000Z',
      UpdatedAt: '2026-11-30T10:00:00.000Z',
      Severity: { Label: f.severity.toUpperCase(), Original: f.severity },
      Resources: [{ Type: 'Other', Id: 'web-1', Partition: 'aws', Region: 'eu-west-1', Details: { Other: { 'vigil/host-id': 'h1', 'vigil/hostname': 'web-1' } } }],
      Workflow: { Status: 'RESOLVED' },
      RecordState: 'ARCHIVED',
    });
    expect(a.Title).toBe(`${f.vulnerability} in ${f.component.name} ${f.installedVersion} on web-1`);
    expect(a.Vulnerabilities).toEqual([
      {
        Id: f.vulnerability,
        VulnerablePackages: [{ Name: f.component.name, Version: f.installedVersion, PackageManager: f.component.ecosystem, FilePath: f.component.locations[0], FixedInVersion: f.fixedVersion, Remediation: f.remediation }],
        FixAvailable: 'YES',
        Vendor: { Name: f.matches[0]!.source, VendorSeverity: f.severity },
        RelatedVulnerabilities: f.aliases,
        Cvss: [{ Version: f.cvss!.version, BaseScore: f.cvss!.score, BaseVector: f.cvss!.vector, Source: f.cvss!.source }],
        EpssScore: f.epss!.score,
      },
    ]);
    const unknown = findings.find((x) => x.severity === 'unknown')!;
    expect(findingToAsff({ hostId: 'h1', status: 'ACTIVE', firstSeen: '2026-11-29T08:00:00Z', lastSeen: '2026-11-30T10:00:00Z', finding: unknown }, OPTS)).toMatchObject({ Severity: { Label: 'INFORMATIONAL', Original: 'unknown' }, Workflow: { Status: 'NEW' }, RecordState: 'ACTIVE' });
  });

  it('holds the limits for long summaries, names and ids, and a finding without a fix', () => {
    const f = findings[0]!;
    const long: Finding = { ...f, id: `${'f'.repeat(600)}:${f.vulnerability}`, summary: 'S'.repeat(5000), fixedVersion: undefined, remediation: undefined, component: { ...f.component, name: 'n'.repeat(400) } } as Finding;
    const a = findingToAsff({ hostId: 'h1', hostname: 'h'.repeat(600), status: 'SUPPRESSED', firstSeen: '2026-11-29T08:00:00+02:00', lastSeen: '2026-11-30T10:00:00Z', finding: long }, OPTS);
    expect(asffProblems(a)).toEqual([]);
    expect(a.Title.length).toBe(256);
    expect(a.Description.length).toBe(1024);
    expect(a.Id.length).toBe(512);
    expect(a.CreatedAt).toBe('2026-11-29T06:00:00.000Z');
    expect(a.Vulnerabilities[0]!.FixAvailable).toBe('NO');
    expect(a.Workflow.Status).toBe('SUPPRESSED');
    const other: Finding = { ...long, id: `${'f'.repeat(600)}:CVE-2099-0002` } as Finding;
    expect(findingToAsff({ hostId: 'h1', status: 'ACTIVE', firstSeen: '2026-11-29T08:00:00Z', lastSeen: '2026-11-30T10:00:00Z', finding: other }, OPTS).Id).not.toBe(a.Id);
  });

  it('refuses an account id or region that is not one, and a first-seen time that is no time', () => {
    const f = findings[0]!;
    const input = { hostId: 'h1', status: 'ACTIVE' as const, firstSeen: '2026-11-29T08:00:00Z', lastSeen: '2026-11-30T10:00:00Z', finding: f };
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(VigilError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refusal(() => findingToAsff(input, { ...OPTS, awsAccountId: '1234' }))).toBe('an AWS account id has 12 digits, not "1234"');
    expect(refusal(() => findingToAsff(input, { ...OPTS, region: 'Europe' }))).toBe('"Europe" is not an AWS region name');
    expect(refusal(() => findingToAsff({ ...input, firstSeen: 'yesterday' }, OPTS))).toBe('the finding\'s first-seen time "yesterday" is not a time');
  });
});
