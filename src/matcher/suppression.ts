/**
 * Suppression: one model for every way a finding is set aside — a `.vigilignore`
 * rule, an OpenVEX or CycloneDX VEX statement, and (later) a rule kept by the server.
 * `applySuppressions` is pure: the caller passes the rules, the findings and the
 * clock, and gets back what stays, what was set aside by which rule, and which rules
 * have expired (their findings are back among the kept ones).
 */
import type { Severity } from '../advisories/model.js';
import type { Exposure } from '../common/model.js';
import { formatPurl, parsePurl, type PurlParts } from '../common/purl.js';
import type { Finding } from './finding.js';

/** Why a finding is set aside. `fixed` comes only from a VEX statement saying the product carries the fix. */
export const SUPPRESSION_REASONS = ['accepted_risk', 'false_positive', 'not_affected', 'mitigated', 'fixed'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** The VEX justifications of a `not_affected` statement (OpenVEX's names; CycloneDX's map onto them). */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

/**
 * What a rule applies to. Every criterion given must hold; within a list any entry
 * may. `hosts` and `tags` name fleet hosts: a rule that names any applies only to
 * those hosts, so a scan of one target (no fleet host) is never covered by it.
 */
export interface SuppressionMatch {
  /** Vulnerability ids; a finding matches by its id or any of its aliases. */
  vulnerabilities?: string[];
  /** Package purls: without a version every version matches; `*` in the namespace or name matches any run of characters. */
  purls?: string[];
  hosts?: string[];
  tags?: string[];
  severities?: Severity[];
  exposures?: Array<Exposure | 'none'>;
  /** `fixed`: only findings with a fixed version; `unfixed`: only those without. */
  fix?: 'fixed' | 'unfixed';
}

export interface SuppressionRule {
  /** Name of the rule as the output shows it: the file's `id`, or the VEX statement's place. */
  id: string;
  match: SuppressionMatch;
  reason: SuppressionReason;
  /** Required when `reason` is `not_affected`. */
  justification?: VexJustification;
  statement?: string;
  author: string;
  /** RFC 3339 date or date-time. */
  created: string;
  /** RFC 3339 date (the rule stops applying at 00:00 UTC that day) or date-time. */
  expires?: string;
  /** Where the rule was read: `.vigilignore:12:5`, `vex.json#/statements/0`. */
  origin: string;
}

export interface SuppressedFinding {
  finding: Finding;
  rule: SuppressionRule;
}

export interface ExpiredRule {
  rule: SuppressionRule;
  /** Findings the rule would set aside were it still in force: they are kept again. */
  findings: Finding[];
}

export interface SuppressionResult {
  kept: Finding[];
  suppressed: SuppressedFinding[];
  expired: ExpiredRule[];
}

export interface SuppressionContext {
  now: Date;
  /** The fleet host the findings belong to; absent for `vigil scan`, which no rule naming hosts or tags covers. */
  host?: { id: string; tags: string[] };
}

/** Milliseconds since the epoch of an RFC 3339 date (start of that day, UTC) or date-time; NaN when neither. */
export function instantOf(text: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(text)) return NaN;
  return Date.parse(text);
}

export function isExpired(rule: SuppressionRule, now: Date): boolean {
  return rule.expires !== undefined && instantOf(rule.expires) <= now.getTime();
}

interface PurlPattern {
  type: string;
  namespace?: RegExp;
  name: RegExp;
  version?: string;
  qualifiers: Array<[string, string]>;
}

const GLOB_MARK = 'vigilglobstar';

function globRegExp(text: string): RegExp {
  const parts = text.split(GLOB_MARK).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/**
 * A purl pattern in the canonical form findings carry (type-specific case and name
 * rules applied), so `pkg:PyPI/Foo_Bar` matches the finding's `pkg:pypi/foo-bar`.
 * Throws for text that is not a purl.
 */
export function parsePurlPattern(pattern: string): PurlPattern {
  const raw = parsePurl(pattern.replaceAll('*', GLOB_MARK));
  const canon: PurlParts = parsePurl(formatPurl({ ...raw, version: undefined }));
  const out: PurlPattern = {
    type: canon.type,
    name: globRegExp(canon.name),
    qualifiers: Object.entries(raw.qualifiers ?? {}).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  };
  if (canon.namespace !== undefined) out.namespace = globRegExp(canon.namespace);
  if (raw.version !== undefined && raw.version !== '') out.version = raw.version.replaceAll(GLOB_MARK, '*');
  return out;
}

export function purlMatches(pattern: PurlPattern, purl: string): boolean {
  let p: PurlParts;
  try {
    p = parsePurl(purl);
  } catch {
    return false;
  }
  if (p.type !== pattern.type || !pattern.name.test(p.name)) return false;
  if (pattern.namespace ? !pattern.namespace.test(p.namespace ?? '') : p.namespace !== undefined) return false;
  if (pattern.version !== undefined && p.version !== pattern.version) return false;
  return pattern.qualifiers.every(([k, v]) => p.qualifiers?.[k] === v);
}

interface CompiledRule {
  rule: SuppressionRule;
  ids?: Set<string>;
  purls?: PurlPattern[];
}

function compile(rule: SuppressionRule): CompiledRule {
  const c: CompiledRule = { rule };
  if (rule.match.vulnerabilities) c.ids = new Set(rule.match.vulnerabilities.map((v) => v.toUpperCase()));
  if (rule.match.purls) c.purls = rule.match.purls.map(parsePurlPattern);
  return c;
}

function applies(c: CompiledRule, f: Finding, host: SuppressionContext['host']): boolean {
  const m = c.rule.match;
  if (c.ids && !c.ids.has(f.vulnerability.toUpperCase()) && !f.aliases.some((a) => c.ids!.has(a.toUpperCase()))) return false;
  if (c.purls && !c.purls.some((p) => purlMatches(p, f.component.purl))) return false;
  if (m.severities && !m.severities.includes(f.severity)) return false;
  if (m.exposures && !m.exposures.includes(f.exposure)) return false;
  if (m.fix !== undefined && (f.fixedVersion !== undefined) !== (m.fix === 'fixed')) return false;
  // Scoped to fleet hosts: a target that is none of them is outside the rule.
  if (m.hosts && !(host && m.hosts.includes(host.id))) return false;
  if (m.tags && !(host && m.tags.some((t) => host.tags.includes(t)))) return false;
  return true;
}

/**
 * Sets aside each finding the first rule in force that matches it. Rules past their
 * `expires` set nothing aside; each is returned with the findings it would have
 * matched, so the caller can say they are back.
 */
export function applySuppressions(findings: Finding[], rules: SuppressionRule[], ctx: SuppressionContext): SuppressionResult {
  const compiled = rules.map(compile);
  const active = compiled.filter((c) => !isExpired(c.rule, ctx.now));
  const lapsed = compiled.filter((c) => isExpired(c.rule, ctx.now));
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const back = new Map<CompiledRule, Finding[]>(lapsed.map((c) => [c, []]));
  for (const f of findings) {
    const hit = active.find((c) => applies(c, f, ctx.host));
    if (hit) {
      suppressed.push({ finding: f, rule: hit.rule });
      continue;
    }
    kept.push(f);
    for (const c of lapsed) if (applies(c, f, ctx.host)) back.get(c)!.push(f);
  }
  return { kept, suppressed, expired: lapsed.map((c) => ({ rule: c.rule, findings: back.get(c)! })) };
}
