/**
 * What `vigil scan` sets aside before it reports and gates: the severity and
 * unfixed filters, then the suppression rules of the ignore file and the VEX
 * documents. Suppressed findings are reported only on request and never count for
 * `--fail-on` or `--exit-code`.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Severity } from '../advisories/model.js';
import { VigilError } from '../common/errors.js';
import type { Finding } from '../matcher/finding.js';
import { MAX_IGNORE_FILE_BYTES, parseVigilignore } from '../matcher/suppression-file.js';
import { applySuppressions, type SuppressionResult, type SuppressionRule } from '../matcher/suppression.js';
import { parseVex, type VexRules } from '../matcher/vex.js';

/** VEX documents of whole products run to megabytes; this keeps a wrong file bounded. */
const MAX_VEX_BYTES = 64 * 1024 * 1024;

export const DEFAULT_IGNORE_FILE = '.vigilignore';

export interface ScanFilters {
  /** Only these severities are shown and counted; all when undefined. */
  severities?: Severity[];
  ignoreUnfixed: boolean;
}

/** A file named on the command line, read whole with a size cap; a missing one is NOT_FOUND. */
export function readInputFile(file: string, what: string, maxBytes = MAX_IGNORE_FILE_BYTES): string {
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st) throw new VigilError('NOT_FOUND', `${what} ${file} does not exist`);
  if (!st.isFile()) throw new VigilError('INVALID_INPUT', `${what} ${file} is not a regular file`);
  if (st.size > maxBytes) throw new VigilError('INVALID_INPUT', `${what} ${file} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new VigilError('IO', `cannot read ${what} ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * The rules of `--ignore-file FILE`, or of `.vigilignore` in the current directory
 * when it exists and no file was named. `file` is undefined when none was read.
 */
export function loadIgnoreFile(named: string | undefined): { file?: string; rules: SuppressionRule[] } {
  const file = named ?? (statSync(DEFAULT_IGNORE_FILE, { throwIfNoEntry: false })?.isFile() ? DEFAULT_IGNORE_FILE : undefined);
  if (file === undefined) return { rules: [] };
  return { file, rules: parseVigilignore(readInputFile(file, 'ignore file'), path.normalize(file)) };
}

/** The rules of each `--vex FILE`, in the order given. */
export function loadVex(files: string[]): Array<VexRules & { file: string }> {
  return files.map((file) => ({ file, ...parseVex(readInputFile(file, 'VEX document', MAX_VEX_BYTES), path.normalize(file)) }));
}

export function filterFindings(findings: Finding[], filters: ScanFilters): Finding[] {
  return findings.filter((f) => (filters.severities === undefined || filters.severities.includes(f.severity)) && (!filters.ignoreUnfixed || f.fixedVersion !== undefined));
}

export interface ScanView extends SuppressionResult {
  /** Findings left out by --severity and --ignore-unfixed: neither shown nor counted. */
  filteredOut: number;
}

export function scanView(findings: Finding[], filters: ScanFilters, rules: SuppressionRule[], now: Date): ScanView {
  const passed = filterFindings(findings, filters);
  return { ...applySuppressions(passed, rules, { now }), filteredOut: findings.length - passed.length };
}

/** One warning line per rule past its expiry, naming it and what came back. */
export function expiryWarnings(view: ScanView): string[] {
  return view.expired.map(
    ({ rule, findings }) =>
      `warning: suppression rule "${rule.id}" (${rule.origin}) expired ${rule.expires}${findings.length ? `: ${findings.length} finding(s) it set aside are reported again` : ''}`,
  );
}

/** How a suppressed finding is labelled in the table's SUPPRESSED column. */
export function suppressedLabel(rule: SuppressionRule): string {
  return `${rule.justification ?? rule.reason} (${rule.id})`;
}

export function parseSeverityList(text: string, allowed: readonly Severity[]): Severity[] {
  const list = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = list.find((s) => !(allowed as readonly string[]).includes(s));
  if (bad !== undefined || list.length === 0) throw new VigilError('USAGE', `--severity takes a comma-separated list of ${allowed.join(', ')} (got ${JSON.stringify(text)})`);
  return [...new Set(list)] as Severity[];
}

export function parseCount(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new VigilError('USAGE', `--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
  return Number(text);
}
