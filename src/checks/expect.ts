import type { Expect, Fact, FileModeValue } from './model.js';

/**
 * Comparison of a fact with what a check expects. Strings compare without regard to
 * case (sshd reads "No" as "no"); numbers compare as decimal integers; a mode is at
 * most another when it sets no permission bit the other does not.
 */

export interface Verdict {
  ok: boolean;
  expected: string;
  found: string;
  /** The first expectation that failed, in words. */
  reason: string;
}

const lc = (s: string): string => s.toLowerCase();

export function valueText(v: Fact['value']): string {
  if (v === undefined) return 'not set';
  if (Array.isArray(v)) return v.length ? `${v.length}: ${v.slice(0, 5).join(', ')}${v.length > 5 ? ', …' : ''}` : 'none';
  if (typeof v === 'object') return `mode ${v.mode} owner ${v.owner ?? v.uid} group ${v.group ?? v.gid}`;
  return String(v);
}

export function describeExpect(e: Expect): string {
  const parts: string[] = [];
  if (e.equals !== undefined) parts.push(`is ${e.equals}`);
  if (e.one_of) parts.push(`is one of ${e.one_of.join(', ')}`);
  if (e.not_one_of) parts.push(`is none of ${e.not_one_of.join(', ')}`);
  if (e.at_least !== undefined) parts.push(`is at least ${e.at_least}`);
  if (e.at_most !== undefined) parts.push(`is at most ${e.at_most}`);
  if (e.matches !== undefined) parts.push(`matches /${e.matches}/`);
  if (e.present !== undefined) parts.push(e.present ? 'is set' : 'is not set');
  if (e.mode_at_most !== undefined) parts.push(`mode at most ${e.mode_at_most}`);
  if (e.owner !== undefined) parts.push(`owner ${e.owner}`);
  if (e.group !== undefined) parts.push(`group ${e.group}`);
  if (e.installed !== undefined) parts.push(e.installed ? 'installed' : 'not installed');
  if (e.enabled !== undefined) parts.push(e.enabled ? 'enabled' : 'not enabled');
  if (e.none !== undefined) parts.push(e.none ? 'none found' : 'some found');
  return parts.join(' and ');
}

function scalarFailures(e: Expect, v: Fact['value']): string[] {
  const out: string[] = [];
  const s = typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  if (e.present !== undefined && (s !== undefined) !== e.present) out.push(e.present ? 'not set' : `set to ${s}`);
  const needsValue = e.equals !== undefined || e.one_of || e.at_least !== undefined || e.at_most !== undefined || e.matches !== undefined;
  if (s === undefined) {
    if (needsValue) out.push('not set, and the check names no default');
    return out;
  }
  if (e.equals !== undefined && lc(s) !== lc(e.equals)) out.push(`${s} is not ${e.equals}`);
  if (e.one_of && !e.one_of.some((x) => lc(x) === lc(s))) out.push(`${s} is not one of ${e.one_of.join(', ')}`);
  if (e.not_one_of && e.not_one_of.some((x) => lc(x) === lc(s))) out.push(`${s} is one of ${e.not_one_of.join(', ')}`);
  if (e.at_least !== undefined || e.at_most !== undefined) {
    const n = /^-?\d+$/.test(s.trim()) ? Number(s.trim()) : NaN;
    if (Number.isNaN(n)) out.push(`${s} is not a whole number`);
    else {
      if (e.at_least !== undefined && n < e.at_least) out.push(`${n} is less than ${e.at_least}`);
      if (e.at_most !== undefined && n > e.at_most) out.push(`${n} is more than ${e.at_most}`);
    }
  }
  if (e.matches !== undefined && !new RegExp(e.matches).test(s)) out.push(`${s} does not match /${e.matches}/`);
  return out;
}

function modeFailures(e: Expect, v: FileModeValue | undefined): string[] {
  if (!v) return e.present === false ? [] : ['the file does not exist'];
  const out: string[] = [];
  if (e.present === false) out.push('the file exists');
  if (e.mode_at_most !== undefined) {
    const extra = parseInt(v.mode, 8) & ~parseInt(e.mode_at_most, 8);
    if (extra) out.push(`mode ${v.mode} sets bits ${extra.toString(8).padStart(4, '0')} beyond ${e.mode_at_most}`);
  }
  if (e.owner !== undefined && (v.owner ?? String(v.uid)) !== e.owner) out.push(`owner is ${v.owner ?? v.uid}, not ${e.owner}`);
  if (e.group !== undefined && (v.group ?? String(v.gid)) !== e.group) out.push(`group is ${v.group ?? v.gid}, not ${e.group}`);
  return out;
}

export function evaluate(e: Expect, fact: Fact): Verdict {
  const v = fact.value;
  let failures: string[];
  if (e.installed !== undefined) failures = v === e.installed ? [] : [e.installed ? 'not installed' : 'installed'];
  else if (e.enabled !== undefined) failures = v === e.enabled ? [] : [e.enabled ? 'not enabled' : 'enabled'];
  else if (e.none !== undefined) failures = Array.isArray(v) && (v.length === 0) === e.none ? [] : [`${Array.isArray(v) ? v.length : 0} found`];
  else if (e.mode_at_most !== undefined || e.owner !== undefined || e.group !== undefined || (typeof v === 'object' && !Array.isArray(v)))
    failures = modeFailures(e, v as FileModeValue | undefined);
  else failures = scalarFailures(e, v);
  return { ok: failures.length === 0, expected: describeExpect(e), found: valueText(v), reason: failures.join('; ') };
}
