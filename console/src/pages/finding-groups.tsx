import { apiPath, type Answer, type Query } from '../api';
import { href } from '../route';
import { Failure, Loading, SeverityBadge, Source, useApi } from '../ui';

export type FindingGroups = Answer<'/api/v1/findings/groups'>;
export type GroupBy = 'vulnerability' | 'host' | 'package';
export const GROUP_BY: Array<[string, string]> = [
  ['', 'None (every finding)'],
  ['vulnerability', 'Vulnerability'],
  ['host', 'Host'],
  ['package', 'Package'],
];
export const GROUP_SORTS: Array<[string, string]> = [
  ['-findings', 'Most findings first'],
  ['-maxScore', 'Highest Vigil score first'],
  ['findings', 'Fewest findings first'],
];
/** The findings list's filter that names one group: exact, unlike `cve` (aliases too) and `package` (a prefix). */
const FILTER_OF: Record<GroupBy, string> = { vulnerability: 'vulnerability', host: 'host', package: 'purl' };
const HEADING: Record<GroupBy, string> = { vulnerability: 'Vulnerability', host: 'Host', package: 'Package (purl without version)' };

/**
 * The findings of the page's filters grouped (GET /api/v1/findings/groups), one page of
 * groups per cursor; each group opens the findings list filtered to it.
 */
export function FindingGroupsView(props: { by: GroupBy; filters: Query; sort: string; limit: string; cursor?: string; link: (q: Query) => string; onUnauthorized: (m: string) => void }) {
  const { by, filters, sort, limit, cursor } = props;
  const query = { ...filters, by, sort, limit, cursor };
  const page = useApi<FindingGroups>('findings/groups', query, props.onUnauthorized);
  const list = (key: string) => href(['findings'], { ...filters, [FILTER_OF[by]]: key });
  return (
    <>
      {page.loading ? <Loading what="groups" /> : null}
      {page.error ? <Failure error={page.error} /> : null}
      {page.data ? (
        <>
          <table class="groups" data-testid="groups-table">
            <caption class="visually-hidden">Findings grouped by {by}</caption>
            <thead>
              <tr>
                <th scope="col">{HEADING[by]}</th>
                <th scope="col" class="num">
                  Findings
                </th>
                <th scope="col" class="num">
                  Hosts
                </th>
                <th scope="col">Highest severity</th>
                <th scope="col" class="num">
                  Highest score
                </th>
                <th scope="col">KEV</th>
                <th scope="col" class="num">
                  Fix available
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.groups.map((g) => (
                <tr key={g.key} data-group={g.key}>
                  <td class="key">
                    <a href={list(g.key)} data-testid="group-link">
                      {by === 'host' ? `${g.hostname} (${g.key})` : g.key}
                    </a>
                  </td>
                  <td class="num" data-field="findings">
                    {g.findings.toLocaleString('en')}
                  </td>
                  <td class="num" data-field="hosts">
                    {g.hosts.toLocaleString('en')}
                  </td>
                  <td>
                    <SeverityBadge severity={g.severity} />
                  </td>
                  <td class="num">{g.maxScore.toFixed(1)}</td>
                  <td>{g.kev ? <span class="badge kev">KEV</span> : <span class="muted">no</span>}</td>
                  <td class="num" data-field="fixable">
                    {g.fixable.toLocaleString('en')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.data.groups.length === 0 ? <p>No finding matches these filters.</p> : null}
          <nav class="pager" aria-label="Pages">
            {cursor ? <a href={props.link({ cursor: undefined })}>First page</a> : null}
            {page.data.next ? (
              <a href={props.link({ cursor: page.data.next })} rel="next">
                Next {limit} groups
              </a>
            ) : (
              <span class="muted">Last page</span>
            )}
          </nav>
        </>
      ) : null}
      <Source>
        <code>{apiPath('findings/groups', { ...filters, by, sort, limit })}</code> (one page of groups per cursor; each count is the findings of these filters in the group)
      </Source>
    </>
  );
}
