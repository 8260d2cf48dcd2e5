/**
 * CycloneDX VEX (1.4–1.6 `vulnerabilities[].analysis`) as suppression rules. Each
 * `affects[].ref` is a package URL, a BOM-link (`urn:cdx:…#ref`) or a `bom-ref` of a
 * component in the same document, which must carry a purl. States: `not_affected`
 * sets the finding aside with its justification in OpenVEX's words, `resolved` and
 * `resolved_with_pedigree` as fixed, `false_positive` as a false positive;
 * `exploitable` and `in_triage` set nothing aside.
 */
import path from 'node:path';
import { instantOf, parsePurlPattern, type SuppressionReason, type SuppressionRule, type VexJustification } from './suppression.js';
import { isObject, vexError } from './vex-json.js';

const SPEC_VERSIONS = ['1.4', '1.5', '1.6'];
const STATES: Record<string, SuppressionReason | null> = {
  not_affected: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  false_positive: 'false_positive',
  exploitable: null,
  in_triage: null,
};

/** CycloneDX's justifications in OpenVEX's vocabulary (as Trivy maps them). */
export const CDX_JUSTIFICATION: Record<string, VexJustification> = {
  code_not_present: 'vulnerable_code_not_present',
  code_not_reachable: 'vulnerable_code_not_in_execute_path',
  requires_configuration: 'vulnerable_code_cannot_be_controlled_by_adversary',
  requires_dependency: 'component_not_present',
  requires_environment: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_compiler: 'inline_mitigations_already_exist',
  protected_at_runtime: 'inline_mitigations_already_exist',
  protected_at_perimeter: 'inline_mitigations_already_exist',
  protected_by_mitigating_control: 'inline_mitigations_already_exist',
};

/** Every component's purl by bom-ref, nested components and metadata.component included. */
function purlsByRef(doc: Record<string, unknown>): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const walk = (c: unknown): void => {
    if (!isObject(c)) return;
    if (typeof c['bom-ref'] === 'string') out.set(c['bom-ref'], typeof c.purl === 'string' ? c.purl : undefined);
    if (Array.isArray(c.components)) c.components.forEach(walk);
  };
  if (isObject(doc.metadata)) walk(doc.metadata.component);
  if (Array.isArray(doc.components)) doc.components.forEach(walk);
  return out;
}

export function cyclonedxVexRules(doc: Record<string, unknown>, file: string): { rules: SuppressionRule[]; warnings: string[] } {
  if (typeof doc.specVersion !== 'string' || !SPEC_VERSIONS.includes(doc.specVersion)) {
    vexError(file, '/specVersion', `must be one of ${SPEC_VERSIONS.join(', ')} (got ${JSON.stringify(doc.specVersion)})`);
  }
  if (!Array.isArray(doc.vulnerabilities)) vexError(file, '/vulnerabilities', 'must be a list: a CycloneDX VEX document says what it decided there');
  const meta = isObject(doc.metadata) ? doc.metadata : {};
  const authors = Array.isArray(meta.authors) ? meta.authors.filter(isObject) : [];
  const author = authors.map((a) => a.name ?? a.email).find((n): n is string => typeof n === 'string') ?? `CycloneDX VEX ${path.basename(file)}`;
  const refs = purlsByRef(doc);
  const rules: SuppressionRule[] = [];
  const warnings: string[] = [];
  for (const [i, v] of (doc.vulnerabilities as unknown[]).entries()) {
    const at = `/vulnerabilities/${i}`;
    if (!isObject(v)) vexError(file, at, 'must be an object');
    if (typeof v.id !== 'string' || v.id === '') vexError(file, `${at}/id`, 'must name the vulnerability');
    if (v.analysis === undefined) continue;
    if (!isObject(v.analysis)) vexError(file, `${at}/analysis`, 'must be an object');
    const a = v.analysis;
    if (a.state === undefined) continue;
    if (typeof a.state !== 'string' || !(a.state in STATES)) vexError(file, `${at}/analysis/state`, `must be one of ${Object.keys(STATES).join(', ')} (got ${JSON.stringify(a.state)})`);
    if (a.justification !== undefined && (typeof a.justification !== 'string' || !(a.justification in CDX_JUSTIFICATION))) {
      vexError(file, `${at}/analysis/justification`, `must be one of ${Object.keys(CDX_JUSTIFICATION).join(', ')} (got ${JSON.stringify(a.justification)})`);
    }
    const reason = STATES[a.state];
    if (!reason) continue;
    if (!Array.isArray(v.affects)) vexError(file, `${at}/affects`, 'must list what the analysis is about');
    const purls: string[] = [];
    for (const [k, aff] of v.affects.entries()) {
      const where = `${at}/affects/${k}`;
      if (!isObject(aff) || typeof aff.ref !== 'string') vexError(file, `${where}/ref`, 'must be a string');
      const ref = aff.ref.startsWith('urn:cdx:') && aff.ref.includes('#') ? decodeURIComponent(aff.ref.slice(aff.ref.indexOf('#') + 1)) : aff.ref;
      const purl = ref.startsWith('pkg:') ? ref : refs.get(ref);
      if (purl === undefined) {
        warnings.push(`${file}#${where}: ${refs.has(ref) ? `component "${ref}" has no package URL` : `"${ref}" names no component of the document`}; the analysis does not apply to it`);
        continue;
      }
      try {
        parsePurlPattern(purl);
      } catch (err) {
        vexError(file, `${where}/ref`, `is not a package URL: ${(err as Error).message}`);
      }
      purls.push(purl);
    }
    if (purls.length === 0) continue;
    const aliases = Array.isArray(v.references) ? v.references.filter(isObject).map((r) => r.id).filter((id): id is string => typeof id === 'string') : [];
    const when = [a.lastUpdated, a.firstIssued, v.updated, v.published, meta.timestamp].find((t): t is string => typeof t === 'string' && !Number.isNaN(instantOf(t)));
    const rule: SuppressionRule = {
      id: `${path.basename(file)}#${at}`,
      match: { vulnerabilities: [v.id, ...aliases], purls },
      reason,
      author,
      created: when ?? new Date(0).toISOString(),
      origin: `${file}#${at}`,
    };
    if (typeof a.justification === 'string') rule.justification = CDX_JUSTIFICATION[a.justification]!;
    if (typeof a.detail === 'string' && a.detail !== '') rule.statement = a.detail;
    rules.push(rule);
  }
  return { rules, warnings };
}
