import Database from 'better-sqlite3';
import { VigilError, describeError } from '../common/errors.js';
import type { FindingFilter } from './fleet-store.js';
import { findingsWhere } from './sqlite-fleet-schema.js';

/**
 * Findings grouped by vulnerability, host or package: one row per group with its
 * counts, each group one SQL aggregate over the findings a findings query names
 * (the same FindingFilter and WHERE as the list), read over a read-only connection
 * of its own to fleet.db as the stats are (sqlite-fleet-stats.ts). The groups are
 * counted, sorted and paged first from the columns of the findings table; KEV and
 * the fixable count, which live in each finding's document, are read for the groups
 * of the page only.
 */

export const FINDING_GROUP_BY = ['vulnerability', 'host', 'package'] as const;
export type FindingGroupBy = (typeof FINDING_GROUP_BY)[number];
export const FINDING_GROUP_SORT_KEYS = ['findings', 'maxScore'] as const;
export type FindingGroupSortKey = (typeof FINDING_GROUP_SORT_KEYS)[number];

export interface FindingGroup {
  /** The vulnerability id, the host id, or the package purl without version. */
  key: string;
  /** The host's name, when grouped by host. */
  hostname?: string;
  findings: number;
  /** Hosts with a finding in the group. */
  hosts: number;
  /** The highest severity and Vigil score among the group's findings. */
  severity: string;
  maxScore: number;
  /** Whether a finding of the group is in CISA's Known Exploited Vulnerabilities catalog. */
  kev: boolean;
  /** The group's findings for which a fixed version is known. */
  fixable: number;
}

/** Where a page of groups ends: the last group's sort value and key (unique within a grouping). */
export interface FindingGroupPosition {
  value: number;
  key: string;
}

export interface FindingGroupPageRequest {
  by: FindingGroupBy;
  sort: FindingGroupSortKey;
  descending: boolean;
  after?: FindingGroupPosition;
  limit: number;
}

export interface FindingGroupPage {
  items: FindingGroup[];
  next?: FindingGroupPosition;
}

export interface FindingGroupsReader {
  page(filter: FindingFilter, request: FindingGroupPageRequest): FindingGroupPage;
  close(): void;
}

/** The worker's method behind GET /api/v1/findings/groups. */
export type FindingGroupMethods = { findingGroups: FindingGroupsReader['page'] };

const KEY_COLUMN: Record<FindingGroupBy, string> = { vulnerability: 'f.vulnerability', host: 'f.host_id', package: 'f.purl_name' };
const RANK = "CASE f.severity WHEN 'critical' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2 WHEN 'negligible' THEN 1 ELSE 0 END";
const BY_RANK = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'];

/** The statement of one page of groups, every filter a bound parameter (findingsWhere). */
export function findingGroupsQuery(filter: FindingFilter, req: FindingGroupPageRequest): { sql: string; params: unknown[] } {
  const { where, params } = findingsWhere(filter);
  const key = KEY_COLUMN[req.by];
  const w = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const dir = req.descending ? 'DESC' : 'ASC';
  const col = req.sort === 'findings' ? 'findings' : 'maxScore';
  const keyset = req.after ? ` WHERE (${col}, key) ${req.descending ? '<' : '>'} (?, ?)` : '';
  const sql = `WITH g AS (SELECT ${key} AS key, COUNT(*) AS findings, COUNT(DISTINCT f.host_id) AS hosts, MAX(${RANK}) AS rank, MAX(f.score) AS maxScore
      FROM findings f${w} GROUP BY ${key}),
    page AS (SELECT * FROM g${keyset} ORDER BY ${col} ${dir}, key ${dir} LIMIT ?),
    docs AS (SELECT ${key} AS key, MAX(json_extract(f.doc, '$.kev') IS NOT NULL) AS kev, SUM(json_extract(f.doc, '$.fixedVersion') IS NOT NULL) AS fixable
      FROM findings f${w ? `${w} AND` : ' WHERE'} ${key} IN (SELECT key FROM page) GROUP BY ${key})
    SELECT page.*, docs.kev, docs.fixable${req.by === 'host' ? ', h.hostname' : ''}
    FROM page JOIN docs ON docs.key = page.key${req.by === 'host' ? ' LEFT JOIN hosts h ON h.id = page.key' : ''}
    ORDER BY page.${col} ${dir}, page.key ${dir}`;
  const all = [...params, ...(req.after ? [req.after.value, req.after.key] : []), req.limit + 1, ...params];
  return { sql, params: all };
}

interface GroupRow {
  key: string;
  findings: number;
  hosts: number;
  rank: number;
  maxScore: number;
  kev: number;
  fixable: number;
  hostname?: string | null;
}

export function sqliteFindingGroups(file: string): FindingGroupsReader {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new VigilError('IO', `cannot open fleet database ${file} to group findings: ${describeError(err)}`, { cause: err });
  }
  return {
    page(filter, req) {
      const { sql, params } = findingGroupsQuery(filter, req);
      const rows = db.prepare(sql).all(...params) as GroupRow[];
      const more = rows.length > req.limit;
      if (more) rows.length = req.limit;
      const items = rows.map((r): FindingGroup => ({
        key: r.key,
        ...(req.by === 'host' ? { hostname: r.hostname ?? '' } : {}),
        findings: r.findings,
        hosts: r.hosts,
        severity: BY_RANK[r.rank] ?? 'unknown',
        maxScore: r.maxScore,
        kev: r.kev === 1,
        fixable: r.fixable,
      }));
      const last = rows[rows.length - 1];
      const value = (r: GroupRow) => (req.sort === 'findings' ? r.findings : r.maxScore);
      return more && last ? { items, next: { value: value(last), key: last.key } } : { items };
    },
    close: () => db.close(),
  };
}
