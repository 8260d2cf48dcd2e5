import type { KevEntry } from '../model.js';
import type { AdvisorySource, FeedProblem, FeedResult } from '../source.js';
import { displayText, jsonFault, peekText, quote, readFeedBytes, unreadable } from './shared.js';

/**
 * CISA's Known Exploited Vulnerabilities catalog (`known_exploited_vulnerabilities.json`,
 * schema in github.com/cisagov/kev-data). Only what Vigil scores and shows is kept;
 * every entry is checked on its own, so one bad entry costs that entry.
 */

const NAME = 'kev';
/** The catalog schema's own pattern. */
const CVE = /^CVE-\d{4}-\d{4,19}$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A calendar date `YYYY-MM-DD` that exists (no 2025-02-30). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function entry(raw: unknown, where: string, say: (m: string) => void): KevEntry | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    say(`${where}: not a JSON object; skipped`);
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const cve = r.cveID;
  if (typeof cve !== 'string' || !CVE.test(cve)) {
    say(`${where}: cveID ${quote(cve)} is not a CVE id; skipped`);
    return undefined;
  }
  const bad: string[] = [];
  const text = (field: string, optional = false): string => {
    const v = r[field];
    if (v === undefined && optional) return '';
    // Control characters would reach terminals and logs; whitespace runs are collapsed anyway.
    const t = typeof v === 'string' ? displayText(v.replace(CONTROL, ' ')) : undefined;
    if (t === undefined) bad.push(`${field} ${v === undefined ? 'is missing' : `${quote(v)} is not text`}`);
    return t ?? '';
  };
  const date = (field: string): string => {
    const v = r[field];
    if (!isIsoDate(v)) bad.push(`${field} ${v === undefined ? 'is missing' : `${quote(v)} is not a date YYYY-MM-DD`}`);
    return typeof v === 'string' ? v : '';
  };
  const e: KevEntry = {
    cve,
    vendorProject: text('vendorProject'),
    product: text('product'),
    name: text('vulnerabilityName'),
    dateAdded: date('dateAdded'),
    dueDate: date('dueDate'),
    // Catalogs before October 2023 have no such field: CISA's answer was then "Unknown".
    knownRansomwareCampaignUse: text('knownRansomwareCampaignUse', true) || 'Unknown',
    requiredAction: text('requiredAction'),
  };
  if (bad.length) {
    say(`${cve}: ${bad.join('; ')}; skipped`);
    return undefined;
  }
  return e;
}

async function read(file: string): Promise<FeedResult> {
  const text = (await readFeedBytes(file)).toString('utf8');
  const problems: FeedProblem[] = [];
  const say = (message: string) => problems.push({ file, message });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw unreadable(file, jsonFault(text, err));
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { vulnerabilities?: unknown }).vulnerabilities)) {
    throw unreadable(file, 'not a KEV catalog: no "vulnerabilities" list');
  }
  const declared = (doc as { count?: unknown }).count;
  const items = (doc as { vulnerabilities: unknown[] }).vulnerabilities.map((raw, i) => ({ raw, where: `vulnerabilities[${i}]` }));
  const kev: KevEntry[] = [];
  const seen = new Set<string>();
  for (const { raw, where } of items) {
    const e = entry(raw, where, say);
    if (!e) continue;
    if (seen.has(e.cve)) {
      say(`${e.cve}: listed again at ${where}; the first entry is kept`);
      continue;
    }
    seen.add(e.cve);
    kev.push(e);
  }
  if (typeof declared === 'number' && declared !== items.length) say(`the catalog says it has ${declared} entries but lists ${items.length}`);
  return { advisories: [], kev, problems };
}

function detect(_file: string, head: Buffer): boolean {
  const text = peekText(head);
  // The catalog's schema names the same keys, with objects rather than values.
  return /^\s*\{/.test(text) && /"catalogVersion"\s*:\s*"/.test(text) && /"(?:vulnerabilities"\s*:\s*\[|dateReleased"\s*:\s*")/.test(text);
}

export const kevSource: AdvisorySource = { name: NAME, detect, read };
