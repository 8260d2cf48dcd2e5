import { VigilError } from '../common/errors.js';
import { findingToAsff } from '../matcher/asff.js';
import type { FleetReport, ReportRenderer } from './model.js';

/**
 * The findings as AWS Security Finding Format, in the body Security Hub's
 * BatchImportFindings takes (`{"Findings": [...]}`; at most 100 per call, so a larger
 * export is split by the importer). The account and region come from
 * `--aws-account` / `--aws-region` (or AWS_ACCOUNT_ID / AWS_REGION).
 */
export const asffRenderer: ReportRenderer = {
  format: 'asff',
  extensions: ['.asff.json'],
  render: (report: FleetReport): string => {
    const aws = report.aws;
    if (!aws) throw new VigilError('USAGE', 'an ASFF export needs the AWS account and region: --aws-account 123456789012 --aws-region eu-west-1');
    const hostname = new Map(report.source.hosts.map((h) => [h.id, h.hostname]));
    const findings = report.findings.map((f) => {
      const name = hostname.get(f.hostId);
      return findingToAsff({ hostId: f.hostId, ...(name ? { hostname: name } : {}), status: f.status, firstSeen: f.firstSeen, lastSeen: f.lastSeen, finding: f.finding }, { awsAccountId: aws.accountId, region: aws.region });
    });
    return JSON.stringify({ Findings: findings }, null, 2) + '\n';
  },
  recognises: (head) => /^\{\s*"Findings":\s*\[\s*(\]|\{\s*"SchemaVersion":\s*"2018-10-08")/.test(head),
};
