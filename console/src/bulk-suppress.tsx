import { useState } from 'preact/hooks';
import { apiSend, type HostFinding } from './api';
import { EMPTY_RULE_FIELDS, RuleFields } from './rule-fields';
import { matchText, newRule, type Rule, type RuleMatch } from './rules';
import { OutcomeNote, act, type Outcome } from './settings-kit';
import { rowKey } from './ui';

/**
 * Bulk suppress: the selected findings become one server rule (POST /api/v1/rules)
 * naming their vulnerabilities, their packages (any version) and their hosts. A rule
 * holds when every list matches, so it also covers a selected vulnerability in another
 * selected package on another selected host; the form says how many findings of this
 * page beyond the selection that is, before the rule is made.
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

function covers(m: RuleMatch, f: HostFinding): boolean {
  return m.vulnerabilities!.includes(f.finding.vulnerability) && m.purls!.includes(purlWithoutVersion(f.finding.component.purl)) && m.hosts!.includes(f.hostId);
}

export function BulkSuppress({ page, selected, onDone, onUnauthorized }: { page: HostFinding[]; selected: ReadonlySet<string>; onDone: () => void; onUnauthorized: (m: string) => void }) {
  const [fields, setFields] = useState(EMPTY_RULE_FIELDS);
  const [outcome, setOutcome] = useState<Outcome>();
  const rows = page.filter((f) => selected.has(rowKey(f)));
  const match = rows.length ? selectionMatch(rows) : undefined;
  const extra = match ? page.filter((f) => !selected.has(rowKey(f)) && covers(match, f) && f.status !== 'CLOSED').length : 0;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!match) return;
    const made = await act(
      () => apiSend<Rule>('POST', 'rules', newRule(match, fields.reason, fields.justification, fields.statement, fields.expires)),
      (r) => `Rule ${r.id} suppresses ${rows.length} selected finding${rows.length === 1 ? '' : 's'}${extra ? ` and ${extra} more on this page` : ''}.`,
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
            {rows.length} selected: one rule for {matchText(match)}.{extra ? ` It also covers ${extra} other finding${extra === 1 ? '' : 's'} on this page.` : ''}
          </>
        ) : (
          'Select findings with the checkboxes of the table (the header one selects the whole page).'
        )}
      </p>
      <RuleFields prefix="bulk" values={fields} onChange={setFields} />
      <button class="primary" type="submit" disabled={!match}>
        Suppress {rows.length || ''} finding{rows.length === 1 ? '' : 's'}
      </button>
      <OutcomeNote outcome={outcome} testid="bulk-outcome" />
    </form>
  );
}
