import { existsSync } from 'node:fs';
import { EXIT_FINDINGS, VigilError } from '../../common/errors.js';
import { DEFAULT_BENCHMARK, loadBenchmark } from '../../checks/load.js';
import type { ChecksReport } from '../../checks/model.js';
import { runChecks } from '../../checks/run.js';
import { oneOf, parse } from '../args.js';
import { table } from '../output.js';

export const CHECKS_USAGE = `usage: vigil checks [--root DIR] [--benchmark FILE|DIR] [--format table|json] [--fail-on fail]

Run configuration checks against this host (--root /, the default: sysctls from
/proc/sys) or a mounted root directory (its files only), and print each result
with the compliance percentage: passed / (passed + failed), not-applicable and
error results left out. --benchmark names a YAML file or a directory of them
(default: Vigil's Debian 12 benchmark). --fail-on fail exits 1 when a check fails.`;

function summaryLine(r: ChecksReport): string {
  const s = r.summary;
  const pct = s.compliance_percent === null ? 'no compliance percentage (nothing passed or failed)' : `compliance ${s.compliance_percent.toFixed(1)}% (${s.pass} passed / (${s.pass} passed + ${s.fail} failed))`;
  return `${pct}; ${s.not_applicable} not applicable and ${s.error} in error left out; ${r.benchmark.controls} controls of ${r.benchmark.source} on ${r.root}\n`;
}

export async function checksCommand(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    { root: { type: 'string' }, benchmark: { type: 'string' }, format: { type: 'string', short: 'f' }, 'fail-on': { type: 'string' } },
    0,
  );
  const format = oneOf('format', values.format, ['table', 'json'] as const, 'table');
  const failOn = values['fail-on'] === undefined ? undefined : oneOf('fail-on', values['fail-on'], ['fail'] as const, 'fail');
  const root = values.root ?? '/';
  if (!existsSync(root)) throw new VigilError('NOT_FOUND', `--root ${root} does not exist`);
  const report = await runChecks(loadBenchmark(values.benchmark ?? DEFAULT_BENCHMARK), { root });
  if (format === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    const rows = report.results.map((r) => {
      const ev = r.found.evidence[0];
      const where = ev ? `${ev.path}${ev.line ? `:${ev.line}` : ''}` : '-';
      return [r.id, r.status.toUpperCase(), r.title, r.found.text, r.status === 'pass' ? where : `${r.reason} (${where})`];
    });
    process.stdout.write(table(['ID', 'STATUS', 'TITLE', 'FOUND', 'WHY / WHERE'], rows, { maxWidth: process.stdout.columns }));
    process.stdout.write(summaryLine(report));
  }
  return failOn && report.summary.fail > 0 ? EXIT_FINDINGS : 0;
}
