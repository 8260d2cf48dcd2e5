import { VigilError } from '../../common/errors.js';
import { scan } from '../../inventory/scan.js';
import { explain, type Explanation } from '../../matcher/explain.js';
import type { Finding } from '../../matcher/finding.js';
import { matchInventory } from '../../matcher/match.js';
import { parse } from '../args.js';
import { openForMatching } from '../advisory-db.js';

export const EXPLAIN_USAGE = `usage: vigil explain VULNERABILITY [--package NAME] [PATH | --root DIR] [--db DIR] [--json]

Shows every advisory record about VULNERABILITY (a CVE, GHSA, DSA, USN, ALSA… id or
alias) that names a package of the target, and how it was decided: the source and
record, the namespace the host selected, the package compared (the source package
for Debian and Ubuntu), the installed and fixed versions, the version scheme and
the rule that fired, whether it is a finding or not. For each finding it then shows
how it was rated: every rating candidate (the distribution's word, CVSS vectors and
who published them, other publishers) in the order they are weighed, the one taken,
a disputed or rejected state, and the Vigil score with its reasons.`;

/** How a finding was rated and scored, for the text output. */
function renderRating(f: Finding): string {
  const lines = [`RATING  ${f.component.name} ${f.component.version}: ${f.severity}, Vigil score ${f.score.toFixed(1)}`, `  severity   ${f.severitySource ?? ''}`];
  for (const r of f.ratings ?? []) lines.push(`  ${r.chosen ? 'taken    ' : 'candidate'}  ${r.severity.padEnd(10)} ${r.label} (${r.from})`);
  if (f.cvss) lines.push(`  cvss       ${f.cvss.vector} ${f.cvss.score.toFixed(1)}${f.cvss.source ? ` by ${f.cvss.source}` : ''}`);
  if (f.state) lines.push(`  state      ${f.state.state} (${f.state.source})`);
  lines.push(`  score      ${(f.scoreReasons ?? []).join('; ')}`);
  return lines.join('\n');
}

function render(e: Explanation): string {
  const lines = [
    `${e.affected ? 'AFFECTED' : 'not affected'}  ${e.component.name} ${e.component.version}  ${e.component.locations.join(', ')}`,
    `  record     ${e.source} ${e.record}${e.aliases.length ? ` (aliases ${e.aliases.join(', ')})` : ''}`,
    `  namespace  ${e.namespace}`,
    `  compared   ${e.packageCompared}${e.via === 'source' ? ' (source package)' : ''} ${e.installedVersion}${e.fixedVersion ? ` against fixed ${e.fixedVersion}` : ''} (${e.scheme})`,
    `  status     ${e.status}${e.note ? ` (${e.note})` : ''}`,
    `  rule       ${e.rule}`,
  ];
  return lines.join('\n');
}

export async function explainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { package: { type: 'string', short: 'p' }, root: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } },
    2,
  );
  const [vuln, target] = positionals;
  if (!vuln) throw new VigilError('USAGE', 'name a vulnerability: vigil explain CVE-2024-1234');
  if (target !== undefined && values.root !== undefined) throw new VigilError('USAGE', 'give either PATH or --root, not both');
  const store = await openForMatching(values.db, values.quiet === true || values.json === true);
  try {
    const inv = await scan({ ...(target !== undefined ? { path: target } : { root: values.root ?? '/' }), noLive: true });
    const result = explain(inv, store, vuln, values.package);
    const named = new Set(result.filter((e) => e.affected).map((e) => e.component.purl));
    const findings = named.size
      ? matchInventory({ ...inv, components: inv.components.filter((c) => named.has(c.purl)) }, store).findings.filter(
          (f) => f.vulnerability === vuln || f.aliases.includes(vuln),
        )
      : [];
    const rating = findings.map((f) => ({
      component: f.component.purl,
      vulnerability: f.vulnerability,
      severity: f.severity,
      severitySource: f.severitySource,
      ratings: f.ratings,
      cvss: f.cvss,
      state: f.state,
      deprioritized: f.deprioritized,
      score: f.score,
      scoreReasons: f.scoreReasons,
    }));
    if (values.json) {
      process.stdout.write(JSON.stringify({ vulnerability: vuln, os: inv.os, explanations: result, ratings: rating }, null, 2) + '\n');
      return 0;
    }
    if (result.length === 0) {
      const known = store.advisory(vuln).length > 0;
      process.stdout.write(
        known
          ? `${vuln}: no record names a package of this target in the namespace it selects${inv.os ? ` (${inv.os.distro})` : ''}\n`
          : `${vuln}: not in the advisory database\n`,
      );
      return 0;
    }
    process.stdout.write([...result.map(render), ...findings.map(renderRating)].join('\n\n') + '\n');
    return 0;
  } finally {
    store.close();
  }
}
