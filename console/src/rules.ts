import type { Answer } from './api';

/**
 * Server suppression rules as POST /api/v1/rules takes them (a .vigilignore rule):
 * the reasons, the VEX justifications a `not_affected` rule needs, and how a match
 * reads. Shared by the Settings page and the findings page's bulk suppress.
 */

export const REASONS: Array<[string, string]> = [
  ['accepted_risk', 'Accepted risk'],
  ['false_positive', 'False positive'],
  ['not_affected', 'Not affected (VEX)'],
  ['mitigated', 'Mitigated'],
];

export const JUSTIFICATIONS: Array<[string, string]> = [
  ['component_not_present', 'Component not present'],
  ['vulnerable_code_not_present', 'Vulnerable code not present'],
  ['vulnerable_code_not_in_execute_path', 'Vulnerable code not in execute path'],
  ['vulnerable_code_cannot_be_controlled_by_adversary', 'Vulnerable code cannot be controlled by an adversary'],
  ['inline_mitigations_already_exist', 'Inline mitigations already exist'],
];

export type RuleMatch = Rule['match'];

export type Rule = Answer<'/api/v1/rules'>['rules'][number];

export interface NewRule {
  match: RuleMatch;
  reason: string;
  justification?: string;
  statement?: string;
  expires?: string;
}

/** `vulnerabilities CVE-1, CVE-2; hosts a-1` */
export function matchText(m: RuleMatch): string {
  const parts: string[] = [];
  const list = (label: string, v: string[] | undefined) => v?.length && parts.push(`${label} ${v.join(', ')}`);
  list('vulnerabilities', m.vulnerabilities);
  list('packages', m.purls);
  list('hosts', m.hosts);
  list('tags', m.tags);
  list('severities', m.severities);
  list('exposures', m.exposures);
  if (m.fix) parts.push(`fix ${m.fix}`);
  return parts.join('; ') || 'every finding';
}

/** A rule from the form's fields; an empty expiry or statement is left out. */
export function newRule(match: RuleMatch, reason: string, justification: string, statement: string, expires: string): NewRule {
  const r: NewRule = { match, reason };
  if (reason === 'not_affected') r.justification = justification;
  if (statement.trim()) r.statement = statement.trim();
  if (expires) r.expires = expires;
  return r;
}

/** Comma- or space-separated entries of a text field. */
export const entries = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);
