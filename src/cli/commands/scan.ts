import { EXIT_FINDINGS, VigilError } from '../../common/errors.js';
import { scan } from '../../inventory/scan.js';
import type { Finding } from '../../matcher/finding.js';
import { coverage } from '../../matcher/coverage.js';
import { matchInventory } from '../../matcher/match.js';
import { parseDuration } from '../../server/tokens.js';
import { renderCycloneDxWithVulnerabilities, renderJson, renderSarif } from '../../matcher/reports.js';
import { renderOpenVex } from '../../matcher/vex-output.js';
import { remediationPlan, renderRemediationPlan } from '../../matcher/remediation.js';
import { parse, oneOf } from '../args.js';
import { openForMatching } from '../advisory-db.js';
import { progressLine, table, type TableOptions } from '../output.js';
import { envNoColor } from '../../common/config.js';
import type { SuppressedFinding } from '../../matcher/suppression.js';
import { expiryWarnings, loadIgnoreFile, loadVex, parseCount, parseSeverityList, scanView, suppressedLabel, type ScanFilters } from '../scan-suppress.js';
import { writeFileAtomic } from '../../common/atomic-write.js';
import { namedInputError, namedInputProblem } from '../named-input.js';

export const SCAN_USAGE = `usage: vigil scan [PATH] [--root DIR | --image TARBALL] [--format table|json|sarif|cyclonedx|openvex] [--fail-on SEVERITY] [--db DIR] [-o FILE]
                  [--criticality high|medium|low] [--app-root DIR]... [--skip-dir DIR]... [--include-caches] [--max-db-age AGE] [--include-disputed] [--quiet]
                  [--severity LIST] [--ignore-unfixed] [--exit-code N] [--ignore-file FILE] [--vex FILE]... [--show-suppressed] [--top N] [--no-color]

Inventory a live host, a mounted rootfs (--root DIR), a container image saved with
docker save or as an OCI layout tarball (--image TARBALL) or a project, lockfile,
archive or zip package (PATH), match it against the advisory database and list the findings,
highest Vigil score first. --fail-on exits 1 when a finding at or above the
severity exists (critical, high, medium, low, negligible, unknown), for CI gates;
disputed, rejected and vendor-negligible findings count only with --include-disputed.
Under --fail-on, a target whose packages no imported feed covers exits 5 (not
covered), as does data older than --max-db-age when that option is given (without it,
data older than 7 days is only reported).

--severity critical,high shows and counts only those severities; --ignore-unfixed
leaves out findings with no fixed version. Suppression rules come from --ignore-file
FILE (YAML, schemas/vigilignore.schema.json), else from .vigilignore in the current
directory when there is one, and --vex FILE (OpenVEX or CycloneDX VEX: not_affected
and fixed statements); suppressed findings are not shown (--show-suppressed
lists them) and never count for --fail-on or --exit-code. --exit-code N exits N
instead of 1 when findings remain: at or above --fail-on's severity when given, any
otherwise. --format openvex writes an OpenVEX document of what was decided: the
suppressed findings and the open ones with a fix. --top N prints only the N highest-scored findings (counts and gates still
see all). Colour on a terminal only; --no-color or NO_COLOR turns it off.`;

const FORMATS = ['table', 'json', 'sarif', 'cyclonedx', 'openvex'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const;
const RANK: Record<(typeof SEVERITIES)[number], number> = { critical: 5, high: 4, medium: 3, low: 2, negligible: 1, unknown: 0 };

const COLOUR: Partial<Record<(typeof SEVERITIES)[number], string>> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m' };

interface TableView {
  suppressed: SuppressedFinding[];
  colour: boolean;
  width?: number;
  /** Findings neither listed nor counted: `3 suppressed, 2 filtered out`. */
  aside?: string;
}

function renderTable(findings: Finding[], image: boolean, unreadFiles = 0, notChecked = false, view: TableView = { suppressed: [], colour: false }): string {
  if (findings.length === 0 && view.suppressed.length === 0) {
    if (view.aside) return `no findings left to report (${view.aside})\n`;
    if (unreadFiles > 0) return `no known vulnerabilities in what was read; ${unreadFiles} file(s) could not be read (see the problems)\n`;
    // Packages no feed covers were not looked up: "none found" would say they were.
    return notChecked ? 'no known vulnerabilities in what was checked\n' : 'no known vulnerabilities found\n';
  }
  const headers = ['SCORE', 'SEVERITY', 'VULNERABILITY', 'PACKAGE', 'INSTALLED', 'FIXED IN', 'KEV', 'EPSS', 'EXPOSURE'];
  if (image) headers.push('LAYER');
  const all = [...findings.map((f) => ({ f, label: '' })), ...view.suppressed.map((s) => ({ f: s.finding, label: suppressedLabel(s.rule) }))];
  if (view.suppressed.length) headers.push('SUPPRESSED');
  const severityOf = all.map(({ f }) => f.severity);
  const opts: TableOptions = {};
  if (view.width !== undefined) opts.maxWidth = view.width;
  if (view.colour) opts.decorate = (col, row, cell) => (col === 1 && COLOUR[severityOf[row]!] ? `${COLOUR[severityOf[row]!]}${cell}\x1b[0m` : cell);
  return table(
    headers,
    all.map(({ f, label }) => {
      const row = [
        f.score.toFixed(1),
        f.severity,
        f.vulnerability,
        f.component.cache ? `${f.component.name} (in ${f.component.cache})` : f.component.name,
        f.installedVersion,
        f.fixedVersion ?? (f.status === 'affected' ? '(no fix yet)' : `(${f.status})`),
        f.kev ? 'yes' : '',
        f.epss ? f.epss.score.toFixed(3) : '',
        f.exposure === 'none' ? (f.inUse ? 'running' : '') : f.exposure,
      ];
      // Layers are named by a short digest, as image tools print them.
      if (image) row.push(f.component.layer ? f.component.layer.replace(/^sha256:/, '').slice(0, 12) : '');
      if (view.suppressed.length) row.push(label);
      return row;
    }),
    opts,
  );
}

export async function scanCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      root: { type: 'string' },
      image: { type: 'string' },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      db: { type: 'string' },
      criticality: { type: 'string' },
      'app-root': { type: 'string', multiple: true },
      'skip-dir': { type: 'string', multiple: true },
      'include-caches': { type: 'boolean' },
      'max-db-age': { type: 'string' },
      'include-disputed': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      severity: { type: 'string' },
      'ignore-unfixed': { type: 'boolean' },
      'exit-code': { type: 'string' },
      'ignore-file': { type: 'string' },
      vex: { type: 'string', multiple: true },
      'show-suppressed': { type: 'boolean' },
      top: { type: 'string' },
      'no-color': { type: 'boolean' },
    },
    1,
  );
  const maxAge = values['max-db-age'] === undefined ? undefined : parseDuration(values['max-db-age']) * 1000;
  const format = oneOf('format', values.format, FORMATS, 'table');
  const failOn = values['fail-on'] === undefined ? undefined : oneOf('fail-on', values['fail-on'], SEVERITIES, 'high');
  const criticality = values.criticality === undefined ? undefined : oneOf('criticality', values.criticality, ['high', 'medium', 'low'] as const, 'medium');
  if ([positionals[0], values.root, values.image].filter((v) => v !== undefined).length > 1) {
    throw new VigilError('USAGE', 'give only one of PATH, --root and --image');
  }
  const quiet = values.quiet === true;
  const filters: ScanFilters = { ignoreUnfixed: values['ignore-unfixed'] === true };
  if (values.severity !== undefined) filters.severities = parseSeverityList(values.severity, SEVERITIES);
  const exitCode = values['exit-code'] === undefined ? undefined : parseCount('exit-code', values['exit-code'], 0, 255);
  const top = values.top === undefined ? undefined : parseCount('top', values.top, 1, 1_000_000);
  const showSuppressed = values['show-suppressed'] === true;
  const ignore = loadIgnoreFile(values['ignore-file']);
  if (ignore.file !== undefined && !quiet) process.stderr.write(`vigil: ${ignore.rules.length} suppression rule(s) read from ${ignore.file}\n`);
  const vex = loadVex(values.vex ?? []);
  for (const v of vex) {
    if (quiet) continue;
    process.stderr.write(`vigil: ${v.rules.length} suppressing statement(s) read from ${v.file} (${v.format === 'openvex' ? 'OpenVEX' : 'CycloneDX VEX'})\n`);
    for (const w of v.warnings) process.stderr.write(`vigil: warning: ${w}\n`);
  }
  const rules = [...ignore.rules, ...vex.flatMap((v) => v.rules)];
  const store = await openForMatching(values.db, quiet);
  try {
    const progress = progressLine(!quiet && process.stderr.isTTY === true);
    const inv = await scan({
      ...(values.image !== undefined ? { image: values.image } : positionals[0] !== undefined ? { path: positionals[0] } : { root: values.root ?? '/' }),
      appRoots: values['app-root'] ?? [],
      skipDirs: values['skip-dir'] ?? [],
      includeCaches: values['include-caches'] === true,
      onProgress: progress.update,
    });
    progress.update('match', `${inv.components.length} components`);
    const result = matchInventory(inv, store, criticality ? { criticality } : {});
    const covered = coverage(inv, store.sources(), maxAge !== undefined ? { maxAgeMs: maxAge } : {});
    progress.done();
    const unread = namedInputProblem(inv, positionals[0]);
    const view = scanView(result.findings, filters, rules, new Date());
    const kept = view.kept;
    const shown = top === undefined ? kept : kept.slice(0, top);
    const suppressed = showSuppressed ? view.suppressed : [];
    const colour = format === 'table' && !values.output && process.stdout.isTTY === true && values['no-color'] !== true && !envNoColor();
    const aside = [view.suppressed.length ? `${view.suppressed.length} suppressed` : '', view.filteredOut ? `${view.filteredOut} filtered out` : ''].filter(Boolean).join(', ');
    const tableView: TableView = { suppressed, colour, aside };
    if (!values.output && process.stdout.isTTY === true && process.stdout.columns) tableView.width = process.stdout.columns;
    const problems = [...covered.problems, ...inv.problems, ...result.problems];
    const render: Record<(typeof FORMATS)[number], () => string> = {
      table: () =>
        unread
          ? `not scanned: ${inv.target.path}: ${unread.message}\n`
          : renderTable(shown, inv.target.kind === 'image', new Set(inv.problems.filter((p) => p.code !== 'skipped' && p.code !== 'malformed-record').map((p) => p.path)).size, covered.problems.some((p) => p.code === 'not-covered'), tableView) +
            (top !== undefined && kept.length > top ? `… ${kept.length - top} more finding(s); without --top all are listed\n` : '') +
            (kept.length ? '\n' + renderRemediationPlan(remediationPlan(kept, inv.target.kind, inv.components)) : '') +
            covered.problems.map((p) => `${p.code === 'not-covered' ? 'not checked' : 'warning'}: ${p.message}\n`).join(''),
      json: () => renderJson(inv, shown, problems, showSuppressed ? { suppressed: view.suppressed } : {}),
      sarif: () => renderSarif(inv, shown, problems, unread === undefined),
      // Coverage and matching problems travel with the inventory's, as metadata properties.
      cyclonedx: () => renderCycloneDxWithVulnerabilities({ ...inv, problems }, shown),
      // Every decision, whatever --top shows.
      openvex: () => renderOpenVex(inv, kept, view.suppressed) ?? '',
    };
    const doc = render[format]();
    if (format === 'openvex' && doc === '') process.stderr.write('vigil: no OpenVEX document written: nothing was set aside and no open finding has a fix\n');
    else if (values.output) await writeFileAtomic(values.output, doc);
    else process.stdout.write(doc);
    if (!quiet) {
      const bySev = SEVERITIES.map((s) => [s, kept.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
      process.stderr.write(`vigil: ${inv.components.length} components, ${kept.length} findings${bySev.length ? ` (${bySev.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}${aside ? `; ${aside}` : ''}\n`);
      for (const w of expiryWarnings(view)) process.stderr.write(`vigil: ${w}\n`);
    }
    if (!quiet && problems.length > 0 && format === 'table' && !unread) {
      for (const p of problems.slice(0, 5)) process.stderr.write(`vigil: problem: ${p.path}: ${p.message} (${p.collector}, ${p.code})\n`);
      if (problems.length > 5) process.stderr.write(`vigil: … and ${problems.length - 5} more problems; --format json lists them all\n`);
    }
    if (unread) throw namedInputError(inv, unread);
    if (failOn === undefined && exitCode === undefined) return 0;
    const gated = kept.filter((f) => (failOn === undefined || RANK[f.severity] >= RANK[failOn]) && (values['include-disputed'] === true || f.deprioritized === undefined));
    if (gated.length > 0) return exitCode ?? EXIT_FINDINGS;
    const notCovered = covered.problems.find((p) => p.code === 'not-covered');
    if (notCovered) throw new VigilError('NOT_COVERED', notCovered.message);
    const stale = covered.problems.find((p) => p.code === 'stale-data');
    if (stale && maxAge !== undefined) throw new VigilError('NOT_COVERED', stale.message);
    return 0;
  } finally {
    store.close();
  }
}
