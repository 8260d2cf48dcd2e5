import { useState } from 'preact/hooks';
import { apiPath, apiSend, session } from '../api';
import { EMPTY_RULE_FIELDS, RuleFields } from '../rule-fields';
import { entries, matchText, newRule, type Rule } from '../rules';
import { OutcomeNote, Pager, act, useList, type Outcome } from '../settings-kit';
import { Failure, Loading, Source, when } from '../ui';
import type { TabProps } from './settings';

/** Suppression rules: every rule with its reason, author, expiry and match; operators create and delete them. */
export function RulesTab({ params, onUnauthorized }: TabProps) {
  const cursor = params.get('cursor') ?? undefined;
  const list = useList<Rule>('rules', 'rules', { cursor, limit: '50' }, onUnauthorized);
  const [outcome, setOutcome] = useState<Outcome>();
  const [fields, setFields] = useState(EMPTY_RULE_FIELDS);
  const [match, setMatch] = useState({ vulnerabilities: '', hosts: '', purls: '' });
  const operator = session.can('operator');
  const create = async (e: Event) => {
    e.preventDefault();
    const m: Rule['match'] = {};
    for (const k of ['vulnerabilities', 'hosts', 'purls'] as const) if (entries(match[k]).length) m[k] = entries(match[k]);
    const made = await act(() => apiSend<Rule>('POST', 'rules', newRule(m, fields.reason, fields.justification, fields.statement, fields.expires)), (r) => `Rule ${r.id} created.`, setOutcome, onUnauthorized);
    if (made) list.reload();
  };
  const remove = async (r: Rule) => {
    const gone = await act(() => apiSend<Rule>('DELETE', `rules/${encodeURIComponent(r.id)}`), () => `Rule ${r.id} deleted: what it covered is active again.`, setOutcome, onUnauthorized);
    if (gone) list.reload();
  };
  return (
    <>
      <OutcomeNote outcome={outcome} testid="rules-outcome" />
      {list.loading ? <Loading what="suppression rules" /> : null}
      {list.error ? <Failure error={list.error} /> : null}
      {list.data ? (
        <>
          <table data-testid="rules-table">
            <caption class="visually-hidden">Suppression rules, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Reason</th>
                <th scope="col">Match</th>
                <th scope="col">Author</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Note</th>
                {operator ? <th scope="col">Action</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((r) => (
                <tr key={r.id} data-rule={r.id}>
                  <td>{r.id}</td>
                  <td>
                    {r.reason}
                    {r.justification ? <span class="muted"> ({r.justification})</span> : null}
                  </td>
                  <td>{matchText(r.match)}</td>
                  <td>{r.author}</td>
                  <td>{when(r.created)}</td>
                  <td>{r.expires ? when(r.expires) : <span class="muted">never</span>}</td>
                  <td>{r.statement ?? ''}</td>
                  {operator ? (
                    <td>
                      <button type="button" class="danger" aria-label={`Delete rule ${r.id}`} onClick={() => void remove(r)}>
                        Delete
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.items.length === 0 ? <p>No suppression rule.</p> : null}
          <Pager path={['settings', 'rules']} params={{ cursor }} next={list.data.next} what="rules" />
        </>
      ) : null}
      <Source>
        <code>{apiPath('rules', { limit: '50' })}</code> (one page per cursor)
      </Source>
      {operator ? (
        <form class="filters" aria-labelledby="new-rule" onSubmit={(e) => void create(e)} data-testid="rule-form">
          <h2 id="new-rule">New rule</h2>
          <div class="field wide">
            <label for="r-vulnerabilities">Vulnerabilities (ids or aliases, comma-separated)</label>
            <input id="r-vulnerabilities" name="vulnerabilities" value={match.vulnerabilities} onInput={(e) => setMatch({ ...match, vulnerabilities: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field">
            <label for="r-hosts">Hosts (ids, optional)</label>
            <input id="r-hosts" name="hosts" value={match.hosts} onInput={(e) => setMatch({ ...match, hosts: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field wide">
            <label for="r-purls">Packages (purls, optional)</label>
            <input id="r-purls" name="purls" value={match.purls} onInput={(e) => setMatch({ ...match, purls: (e.target as HTMLInputElement).value })} />
          </div>
          <RuleFields prefix="r" values={fields} onChange={setFields} />
          <button class="primary" type="submit">
            Create rule
          </button>
        </form>
      ) : (
        <p class="muted" data-testid="needs-role">
          Creating and deleting rules: for the operator role and above; this token ({session.current()?.name}) has the {session.current()?.role} role.
        </p>
      )}
    </>
  );
}
