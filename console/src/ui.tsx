import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, apiGet, type HostFinding, type Query, type Severity } from './api';
import { useReadyReport } from './ready';
import { href } from './route';
import { useRowWindow } from './virtual';

/**
 * Loads one API answer for a page; `key` changes refetch, and so does a new `version`. A 401 ends the session. The page's
 * ready mark waits for it (ready.tsx). An empty `path` asks nothing: a loader the page's current view does not need.
 */
export function useApi<T>(path: string, query: Query, onUnauthorized: (message: string) => void, version = 0): { data?: T; error?: ApiError | Error; loading: boolean } {
  const key = `${path}?${JSON.stringify(query)}#${version}`;
  const [state, setState] = useState<{ key: string; data?: T; error?: ApiError | Error }>({ key: '' });
  useEffect(() => {
    if (path === '') return;
    let live = true;
    apiGet<T>(path, query).then(
      (data) => live && setState({ key, data }),
      (error: Error) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 401) onUnauthorized(error.message);
        setState({ key, error });
      },
    );
    return () => {
      live = false;
    };
  }, [key]);
  const loading = path !== '' && state.key !== key;
  useReadyReport(loading, !loading && state.error !== undefined);
  if (loading) return { loading: true };
  return { ...(state.data !== undefined ? { data: state.data } : {}), ...(state.error ? { error: state.error } : {}), loading: false };
}

export function Failure({ error }: { error: Error }) {
  const code = error instanceof ApiError ? ` (${error.status} ${error.code})` : '';
  return (
    <div class="error" role="alert">
      The API refused: {error.message}
      {code}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** Where a number came from: the API call that answers it. */
export function Source({ children }: { children: ComponentChildren }) {
  return <p class="source">Source: {children}</p>;
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span class={`badge ${severity}`}>{severity}</span>;
}

export function when(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function age(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

export const findingHref = (f: Pick<HostFinding, 'hostId' | 'id'>): string => href(['hosts', f.hostId, 'findings', f.id]);

export interface SortHeader {
  key: string;
  label: string;
  num?: boolean;
}

/** Rows chosen by their checkboxes, keyed `<hostId> <findingId>`. */
export interface RowSelection {
  selected: ReadonlySet<string>;
  onToggle: (key: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
}

export const rowKey = (f: Pick<HostFinding, 'hostId' | 'id'>): string => `${f.hostId} ${f.id}`;

const STEP: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };

/**
 * Findings as a table; `sort` makes the sortable headers buttons that call `onSort`; `selection` adds a checkbox per row.
 * `virtual` renders only the rows in view of its scrolling container (virtual.tsx), each with its aria-rowindex among
 * the table's aria-rowcount; the arrow keys and Page Up/Down move between rows.
 */
export function FindingsTable(props: { findings: HostFinding[]; caption: string; sort?: string; onSort?: (key: string) => void; showHost?: boolean; selection?: RowSelection; virtual?: boolean }) {
  const { findings, sort, onSort, selection } = props;
  const win = useRowWindow(props.virtual ? findings.length : 0);
  const [start, end] = props.virtual ? [win.start, win.end] : [0, findings.length];
  const columns = 8 + (selection ? 1 : 0) + (props.showHost !== false ? 1 : 0);
  const onKeyDown = (e: KeyboardEvent) => {
    const step = STEP[e.key];
    const row = (e.target as HTMLElement).closest('tr[data-index]');
    if (!props.virtual || step === undefined || !row) return;
    e.preventDefault();
    win.focusRow(Math.min(findings.length - 1, Math.max(0, Number(row.getAttribute('data-index')) + step)));
  };
  const allSelected = findings.length > 0 && findings.every((f) => selection?.selected.has(rowKey(f)));
  const head = (key: string | undefined, label: string, num = false) => {
    const cls = num ? 'num' : undefined;
    if (!key || !onSort) return <th scope="col" class={cls}>{label}</th>;
    const active = sort === key || sort === `-${key}`;
    const desc = sort === `-${key}`;
    return (
      <th scope="col" class={cls} aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
        <button type="button" class="sort" onClick={() => onSort(active && desc ? key : `-${key}`)}>
          {label}
          {active ? (desc ? ' ↓' : ' ↑') : ''}
        </button>
      </th>
    );
  };
  const table = (
    <table data-testid="findings-table" aria-rowcount={findings.length + 1} class={props.virtual ? 'virtual' : undefined}>
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr aria-rowindex={1}>
          {selection ? (
            <th scope="col">
              <input type="checkbox" aria-label="Select every finding on this page" checked={allSelected} onChange={(e) => selection.onToggleAll((e.target as HTMLInputElement).checked)} />
            </th>
          ) : null}
          {head('severity', 'Severity')}
          {head('score', 'Score', true)}
          {head('vulnerability', 'Vulnerability')}
          {head(undefined, 'Package')}
          {head(undefined, 'Installed')}
          {head(undefined, 'Fixed in')}
          {props.showHost !== false ? head('host', 'Host') : null}
          {head(undefined, 'Status')}
          {head('firstSeen', 'First seen')}
        </tr>
      </thead>
      <tbody onKeyDown={onKeyDown}>
        {props.virtual && win.before > 0 ? (
          <tr class="spacer" aria-hidden="true">
            <td colSpan={columns} style={{ height: `${win.before}px` }} />
          </tr>
        ) : null}
        {findings.slice(start, end).map((f, j) => (
          <tr key={`${f.hostId} ${f.id}`} data-finding={f.id} data-host={f.hostId} data-index={start + j} aria-rowindex={start + j + 2}>
            {selection ? (
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select ${f.finding.vulnerability} in ${f.finding.component.name} on ${f.hostId}`}
                  checked={selection.selected.has(rowKey(f))}
                  onChange={(e) => selection.onToggle(rowKey(f), (e.target as HTMLInputElement).checked)}
                />
              </td>
            ) : null}
            <td>
              <SeverityBadge severity={f.finding.severity} /> {f.finding.kev ? <span class="badge kev">KEV</span> : null}
            </td>
            <td class="num">{f.finding.score.toFixed(1)}</td>
            <td>
              <a href={findingHref(f)}>{f.finding.vulnerability}</a>
            </td>
            <td>{f.finding.component.name}</td>
            <td>{f.finding.installedVersion}</td>
            <td>{f.finding.fixedVersion ?? <span class="muted">no fix</span>}</td>
            {props.showHost !== false ? (
              <td>
                <a href={href(['hosts', f.hostId])}>{f.hostId}</a>
              </td>
            ) : null}
            <td>{f.status}</td>
            <td>{when(f.firstSeen)}</td>
          </tr>
        ))}
        {props.virtual && win.after > 0 ? (
          <tr class="spacer" aria-hidden="true">
            <td colSpan={columns} style={{ height: `${win.after}px` }} />
          </tr>
        ) : null}
      </tbody>
    </table>
  );
  return props.virtual ? (
    <div class="table-scroll" ref={win.ref} role="region" aria-label={`${props.caption}: ${findings.length} rows, scroll or use the arrow keys`} tabIndex={0} data-testid="findings-scroll">
      {table}
    </div>
  ) : (
    table
  );
}
