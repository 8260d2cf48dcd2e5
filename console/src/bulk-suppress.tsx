import { useEffect, useState } from 'preact/hooks';
import { apiGet, apiSend, type HostFinding } from './api';
import { EMPTY_RULE_FIELDS, RuleFields } from './rule-fields';
import { matchText, newRule, type Rule, type RuleMatch } from './rules';
import { OutcomeNote, act, type Outcome } from './settings-kit';
import { rowKey } from './ui';

/**
 * Bulk suppress: the selected findings become one server rule (POST /api/v1/rules)
 * naming their vulnerabilities, their packages (any version) and their hosts. A rule
 * holds when every list matches, so it also covers a selected vulnerability in another
 * selected package on another selected host; before the rule is made the form asks
 * the API for the active findings of each selected vulnerability and says how many
 * beyond the selection the rule would set aside, across the fleet.
 */

/** A purl without its version: the package at any version. */
export const purlWithoutVersion = (purl: string): string => purl.replace(/@[^/?#]*(?=[?#]|$)/, '');

const uniq = (xs: string[]): string[] => [...new Set(xs)].sort();

export function selectionMatch(rows: HostFinding[]): RuleMatch {
  return {
    vulnerabilities: uniq(rows.map((f) => f.finding.vulnerability)),
    purls: uniq(rows.map((f) => purlWithoutVersion(f.finding.component.purl))),
    hosts: uniq(rows.map((f) => f.hostId)),
  };
}

/** Whether the rule for `m` sets `f` aside: as the server matches, a vulnerability by its id or any alias, case aside. */
function covers(m: RuleMatch, f: HostFinding): boolean {
  const ids = new Set(m.vulnerabilities!.map((v) => v.toUpperCase()));
  const named = ids.has(f.finding.vulnerability.toUpperCase()) || f.finding.aliases.some((a) => ids.has(a.toUpperCase()));
  return named && m.purls!.includes(purlWithoutVersion(f.finding.component.purl)) && m.hosts!.includes(f.hostId);
}

/** The active findings the rule for `m` covers beyond `selected`: every page of GET /api/v1/findings?cve=V&status=ACTIVE per vulnerability. */
async function coveredBeyond(m: RuleMatch, selected: ReadonlySet<string>): Promise<number> {
  const others = new Set<string>();
  for (const cve of m.vulnerabilities!) {
    let cursor: string | undefined;
    do {
      const page = await apiGet<{ findings: HostFinding[]; next?: string }>('findings', { cve, status: 'ACTIVE', host: m.hosts!.length === 1 ? m.hosts![0] : undefined, limit: '1000', cursor });
      for (const f of page.findings) if (covers(m, f) && !selected.has(rowKey(f))) others.add(rowKey(f));
      cursor = page.next;
    } while (cursor);
  }
  return others.size;
}

export function BulkSuppress({ page, selected, onDone, onUnauthorized }: { page: HostFinding[]; selected: ReadonlySet<string>; onDone: () => void; onUnauthorized: (m: string) => void }) {
  const [fields, setFields] = useState(EMPTY_RULE_FIELDS);
  const [outcome, setOutcome] = useState<Outcome>();
  const rows = page.filter((f) => selected.has(rowKey(f)));
  const match = rows.length ? selectionMatch(rows) : undefined;
  const matchKey = match ? JSON.stringify([match, rows.map(rowKey)]) : '';
  const [beyond, setBeyond] = useState<{ key: string; extra?: number; error?: string }>({ key: '' });
  useEffect(() => {
    if (!match) return;
    let live = true;
    coveredBeyond(match, selected).then(
      (extra) => live && setBeyond({ key: matchKey, extra }),
      (err: Error) => live && setBeyond({ key: matchKey, error: err.message }),
    );
    return () => {
      live = false;
    };
  }, [matchKey]);
  const counted = beyond.key === matchKey ? beyond : undefined;
  const extra = counted?.extra ?? 0;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!match) return;
    const made = await act(
      () => apiSend<Rule>('POST', 'rules', newRule(match, fields.reason, fields.justification, fields.statement, fields.expires)),
      (r) => `Rule ${r.id} suppresses ${rows.length} selected finding${rows.length === 1 ? '' : 's'}${extra ? ` and ${extra} other${extra === 1 ? '' : 's'} it covers` : ''}.`,
      setOutcome,
      onUnauthorized,
    );
    if (made) {
      setFields(EMPTY_RULE_FIELDS);
      onDone();
    }
  };
  return (
    <form class="filters bulk" aria-labelledby="bulk-h" onSubmit={(e) => void submit(e)} data-testid="bulk-suppress">
      <h2 id="bulk-h">Suppress the selected findings</h2>
      <p class="wide" data-testid="bulk-summary">
        {match ? (
          <>
            {rows.length} selected: one rule for {matchText(match)}.{' '}
            <span data-testid="bulk-extra" data-extra={counted?.extra}>
              {!counted
                ? 'Counting the other active findings it covers…'
                : counted.error !== undefined
                  ? `The other findings it covers could not be counted: ${counted.error}`
                  : extra
                    ? `It also covers ${extra} other active finding${extra === 1 ? '' : 's'} (a selected vulnerability in another selected package on a selected host).`
                    : 'It covers no other active finding.'}
            </span>
          </>
        ) : (
          'Select findings with the checkboxes of the table (the header one selects the whole page).'
        )}
      </p>
      <RuleFields prefix="bulk" values={fields} onChange={setFields} />
      <button class="primary" type="submit" disabled={!match || !counted}>
        Suppress {rows.length || ''} finding{rows.length === 1 ? '' : 's'}
      </button>
      <OutcomeNote outcome={outcome} testid="bulk-outcome" />
    </form>
  );
}
