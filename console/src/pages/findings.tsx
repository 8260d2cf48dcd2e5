import { useState } from 'preact/hooks';
import { SEVERITIES, apiPath, apiUrl, session, type FindingCounts, type HostFinding, type Query } from '../api';
import { BulkSuppress } from '../bulk-suppress';
import { href, navigate } from '../route';
import { Failure, FindingsTable, Loading, Source, rowKey, useApi } from '../ui';
import { FindingGroupsView, GROUP_BY, GROUP_SORTS, type GroupBy } from './finding-groups';

/** The filters GET /api/v1/findings takes, as the address keeps them. */
const FILTERS = ['severity', 'status', 'kev', 'fixable', 'exposure', 'inUse', 'epss', 'tag', 'host', 'package', 'purl', 'cve', 'vulnerability'] as const;
const TEXT = [
  ['host', 'Host id'],
  ['tag', 'Tag (key=value)'],
  ['package', 'Package purl prefix'],
  ['cve', 'Vulnerability or alias'],
  ['epss', 'EPSS score at least (0–1)'],
] as const;
const SORTS: Array<[string, string]> = [
  ['-score', 'Vigil score, highest first'],
  ['score', 'Vigil score, lowest first'],
  ['-severity', 'Severity, critical first'],
  ['severity', 'Severity, lowest first'],
  ['-firstSeen', 'Newest first'],
  ['firstSeen', 'Oldest first'],
  ['host', 'Host'],
  ['vulnerability', 'Vulnerability'],
];
const PAGE = '50';
const PAGE_SIZES: Array<[string, string]> = ['50', '100', '250', '500', '1000'].map((n) => [n, `${Number(n).toLocaleString('en')} rows`]);
/** Up to this many rows a page is rendered whole; beyond, only the rows in view (virtual.tsx). */
const WHOLE = 100;
/** The filters that name one group, shown in the form when a group's link set them. */
const EXACT: Array<[string, string]> = [
  ['vulnerability', 'Vulnerability id (exactly)'],
  ['purl', 'Package purl (exactly)'],
];

function filtersOf(params: URLSearchParams): Query {
  const q: Query = {};
  for (const k of FILTERS) {
    const v = params.get(k);
    if (v) q[k] = v;
  }
  return q;
}

function Choice({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: Array<[string, string]>; onChange: (v: string) => void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={id} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Findings across the fleet, paged by the server's cursors, filtered and sorted as the address says. */
export function Findings({ params, onUnauthorized }: { params: URLSearchParams; onUnauthorized: (m: string) => void }) {
  const filters = filtersOf(params);
  const sort = params.get('sort') || '-score';
  const cursor = params.get('cursor') ?? undefined;
  const limit = params.get('limit') || PAGE;
  const group = (GROUP_BY.some(([v]) => v && v === params.get('group')) ? params.get('group') : undefined) as GroupBy | undefined;
  const groupSort = params.get('groupSort') || '-findings';
  const keep = { group, groupSort: groupSort === '-findings' ? undefined : groupSort };
  const go = (change: Record<string, string | undefined>) => {
    const next: Record<string, string | undefined> = { ...filters, sort: sort === '-score' ? undefined : sort, limit: limit === PAGE ? undefined : limit, ...keep, ...change };
    if (!('cursor' in change)) delete next.cursor;
    navigate(href(['findings'], next));
  };
  const [version, setVersion] = useState(0);
  const page = useApi<{ findings: HostFinding[]; next?: string }>(group ? '' : 'findings', group ? {} : { ...filters, sort, limit, cursor }, onUnauthorized, version);
  const counts = useApi<FindingCounts>('stats/findings', filters, onUnauthorized, version);
  const operator = session.can('operator');
  const view = `${params.toString()}#${version}`;
  const [picked, setPicked] = useState<{ view: string; keys: Set<string> }>({ view: '', keys: new Set() });
  const selected = picked.view === view ? picked.keys : new Set<string>();
  const select = (keys: string[], on: boolean) => {
    const next = new Set(selected);
    for (const k of keys) on ? next.add(k) : next.delete(k);
    setPicked({ view, keys: next });
  };
  const exportHref = apiUrl('findings/export.csv', { ...filters, sort: sort === '-score' ? undefined : sort }).href;
  const severities = new Set((filters.severity ?? '').split(',').filter(Boolean));
  const [text, setText] = useState<{ key: string; values: Record<string, string> }>({ key: '', values: {} });
  const key = params.toString();
  const values = text.key === key ? text.values : Object.fromEntries(TEXT.map(([k]) => [k, filters[k] ?? '']));
  const toggleSeverity = (sev: string, on: boolean) => {
    const next = SEVERITIES.filter((s) => (s === sev ? on : severities.has(s)));
    go({ severity: next.length ? next.join(',') : undefined });
  };
  const tri = (k: 'kev' | 'fixable' | 'inUse', label: string, yes: string, no: string) => (
    <Choice id={`f-${k}`} label={label} value={filters[k] ?? ''} options={[['', 'Any'], ['true', yes], ['false', no]]} onChange={(v) => go({ [k]: v || undefined })} />
  );
  return (
    <>
      <h1>Findings</h1>
      <form
        class="filters"
        aria-label="Filters"
        onSubmit={(e) => {
          e.preventDefault();
          go(Object.fromEntries(TEXT.map(([k]) => [k, values[k]?.trim() || undefined])));
        }}
      >
        <fieldset>
          <legend>Severity</legend>
          {SEVERITIES.map((s) => (
            <label key={s}>
              <input type="checkbox" name="severity" value={s} checked={severities.has(s)} onChange={(e) => toggleSeverity(s, (e.target as HTMLInputElement).checked)} /> {s}
            </label>
          ))}
        </fieldset>
        <Choice
          id="f-status"
          label="Status"
          value={filters.status ?? ''}
          options={[['', 'Any'], ['ACTIVE', 'Active'], ['SUPPRESSED', 'Suppressed'], ['CLOSED', 'Closed'], ['ACTIVE,SUPPRESSED', 'Active or suppressed']]}
          onChange={(v) => go({ status: v || undefined })}
        />
        {tri('kev', 'Known exploited (KEV)', 'In KEV', 'Not in KEV')}
        {tri('fixable', 'Fix available', 'Fixable', 'No fix yet')}
        {tri('inUse', 'In use', 'Used by a running process', 'Not known to be used')}
        <Choice
          id="f-exposure"
          label="Exposure"
          value={filters.exposure ?? ''}
          options={[['', 'Any'], ['any', 'Public or wildcard address'], ['private', 'Private address'], ['loopback', 'Loopback'], ['none', 'Not listening']]}
          onChange={(v) => go({ exposure: v || undefined })}
        />
        {TEXT.map(([k, label]) => (
          <div class="field" key={k}>
            <label for={`f-${k}`}>{label}</label>
            {k === 'epss' ? (
              <input id={`f-${k}`} name={k} type="number" min="0" max="1" step="any" value={values[k] ?? ''} onInput={(e) => setText({ key, values: { ...values, [k]: (e.target as HTMLInputElement).value } })} />
            ) : (
              <input id={`f-${k}`} name={k} value={values[k] ?? ''} onInput={(e) => setText({ key, values: { ...values, [k]: (e.target as HTMLInputElement).value } })} />
            )}
          </div>
        ))}
        {EXACT.filter(([k]) => filters[k]).map(([k, label]) => (
          <div class="field" key={k}>
            <span class="muted">{label}</span>
            <span>
              <code data-testid={`exact-${k}`}>{filters[k]}</code>{' '}
              <button type="button" onClick={() => go({ [k]: undefined })}>
                Clear
              </button>
            </span>
          </div>
        ))}
        <Choice id="f-group" label="Group by" value={group ?? ''} options={GROUP_BY} onChange={(v) => go({ group: v || undefined, groupSort: undefined })} />
        {group ? (
          <Choice id="f-group-sort" label="Sort groups" value={groupSort} options={GROUP_SORTS} onChange={(v) => go({ groupSort: v === '-findings' ? undefined : v })} />
        ) : (
          <Choice id="f-sort" label="Sort" value={sort} options={SORTS} onChange={(v) => go({ sort: v === '-score' ? undefined : v })} />
        )}
        <Choice id="f-limit" label="Page size" value={limit} options={PAGE_SIZES} onChange={(v) => go({ limit: v === PAGE ? undefined : v })} />
        <button class="primary" type="submit">
          Apply
        </button>
      </form>

      <div class="counts" aria-live="polite" data-testid="counts">
        {counts.data ? (
          <>
            <strong data-count="total">{counts.data.severity.total.toLocaleString('en')}</strong> findings match:{' '}
            {SEVERITIES.filter((s) => counts.data!.severity[s] > 0)
              .map((s) => `${counts.data!.severity[s].toLocaleString('en')} ${s}`)
              .join(', ') || 'none'}
            ; {counts.data.status.ACTIVE.toLocaleString('en')} active, {counts.data.status.SUPPRESSED.toLocaleString('en')} suppressed, {counts.data.status.CLOSED.toLocaleString('en')} closed.{' '}
            <a href={exportHref} download data-testid="export-csv">
              Export all {counts.data.severity.total.toLocaleString('en')} as CSV
            </a>
          </>
        ) : counts.error ? (
          <Failure error={counts.error} />
        ) : null}
      </div>

      {group ? (
        <FindingGroupsView
          by={group}
          filters={filters}
          sort={groupSort}
          limit={limit}
          {...(cursor ? { cursor } : {})}
          link={(q) => href(['findings'], { ...filters, limit: limit === PAGE ? undefined : limit, ...keep, ...q })}
          onUnauthorized={onUnauthorized}
        />
      ) : null}
      {page.loading && !group ? <Loading what="findings" /> : null}
      {page.error ? <Failure error={page.error} /> : null}
      {page.data ? (
        <>
          <FindingsTable
            findings={page.data.findings}
            caption="Findings"
            virtual={page.data.findings.length > WHOLE}
            sort={sort}
            onSort={(s) => go({ sort: s === '-score' ? undefined : s })}
            {...(operator
              ? { selection: { selected, onToggle: (k: string, on: boolean) => select([k], on), onToggleAll: (on: boolean) => select(page.data!.findings.map(rowKey), on) } }
              : {})}
          />
          {page.data.findings.length === 0 ? <p>No finding matches these filters.</p> : null}
          <nav class="pager" aria-label="Pages">
            {cursor ? <a href={href(['findings'], { ...filters, sort: sort === '-score' ? undefined : sort })}>First page</a> : null}
            {page.data.next ? (
              <a href={href(['findings'], { ...filters, sort: sort === '-score' ? undefined : sort, limit: limit === PAGE ? undefined : limit, cursor: page.data.next })} rel="next">
                Next {limit} findings
              </a>
            ) : (
              <span class="muted">Last page</span>
            )}
          </nav>
        </>
      ) : null}
      {/* Kept while the list reloads after a rule is made, so its outcome stays on the page. */}
      {operator && !group ? <BulkSuppress page={page.data?.findings ?? []} selected={selected} onDone={() => setVersion((v) => v + 1)} onUnauthorized={onUnauthorized} /> : null}
      <Source>
        {group ? null : (
          <>
            <code>{apiPath('findings', { ...filters, sort, limit })}</code> (one page per cursor),{' '}
          </>
        )}
        <code>{apiPath('stats/findings', filters)}</code> (the counts) and <code>{apiPath('findings/export.csv', filters)}</code> (the CSV export: every page)
      </Source>
    </>
  );
}
