import { VigilError } from '../../common/errors.js';
import type { SuppressionMatch } from '../../matcher/suppression.js';
import type { Principal } from '../api-tokens.js';

/**
 * What an operator token with a tag scope may act on: hosts carrying at least one of
 * its tags. Reads are not scoped (an operator reads what a viewer reads); actions are
 * refused with PERMISSION_DENIED (403, audited) when they would touch a host outside
 * the scope: a rescan, a patch job naming such hosts (one selected by filters patches
 * only hosts in scope), pausing or cancelling a job with such hosts, and a suppression
 * rule that is not confined to the scope's tags or to hosts in it.
 */

export function scopeOf(p: Principal | undefined): string[] | undefined {
  return p?.tags?.length ? p.tags : undefined;
}

export function inScope(scope: string[], hostTags: readonly string[]): boolean {
  return scope.some((t) => hostTags.includes(t));
}

function denied(p: Principal, what: string): VigilError {
  return new VigilError('PERMISSION_DENIED', `token ${p.name} acts only on hosts tagged ${p.tags!.join(' or ')}; ${what}`);
}

/** Refuses when any of `hosts` is outside the principal's scope. */
export function requireHostsInScope(p: Principal | undefined, hosts: Array<{ id: string; tags: readonly string[] }>, action: string): void {
  const scope = scopeOf(p);
  if (!scope) return;
  const out = hosts.filter((h) => !inScope(scope, h.tags));
  if (out.length) throw denied(p!, `${action} touches host${out.length === 1 ? '' : 's'} ${out.slice(0, 5).map((h) => h.id).join(', ')}${out.length > 5 ? ` and ${out.length - 5} more` : ''} outside it`);
}

/**
 * Refuses a rule a scoped token may not make: one must name tags all in the scope, or
 * hosts all in the scope; a rule for every host is beyond any scope.
 */
export function requireRuleInScope(p: Principal | undefined, match: Partial<SuppressionMatch> | undefined, hostTags: (id: string) => readonly string[] | undefined): void {
  const scope = scopeOf(p);
  if (!scope) return;
  const tags = Array.isArray(match?.tags) ? match.tags : [];
  const hosts = Array.isArray(match?.hosts) ? match.hosts : [];
  if (tags.length === 0 && hosts.length === 0) throw denied(p!, 'a rule without hosts or tags applies to every host; name tags of the scope (match.tags) or hosts in it');
  const foreign = tags.find((t) => !scope.includes(t));
  if (foreign !== undefined) throw denied(p!, `the rule names tag ${foreign}, which is not in the scope`);
  const outside = hosts.find((id) => !inScope(scope, hostTags(id) ?? []));
  if (outside !== undefined) throw denied(p!, `the rule names host ${outside}, outside it`);
}
