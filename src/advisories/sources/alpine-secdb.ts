import { describeError } from '../../common/errors.js';
import { apkScheme } from '../../versions/apk.js';
import type { AffectedPackage, Advisory } from '../model.js';
import type { AdvisorySource, FeedProblem, FeedResult } from '../source.js';
import { displayText, FEED_LIMITS, jsonFault, peekText, quote, readFeedBytes, unreadable } from './shared.js';

/**
 * Alpine's security database (secdb.alpinelinux.org, github.com/alpinelinux/alpine-secdb):
 * one file per release and repository, listing per origin package the apk versions
 * that fixed each vulnerability. Entries are free text in practice: `CVE-… XSA-…`,
 * `CVE-… (BGP)`, `XSA-…` alone, and the odd typo (`CVE_2019-2426`); ids are taken out
 * of them and anything that is not an id is kept as a note.
 *
 * One advisory per id; each package naming it is one affected entry with status
 * `fixed` and the range `[0, fix)`. A secfixes key of `"0"` means the package was never
 * affected: status `not-affected`.
 *
 * The same id fixed under several versions of one package: an aport moves along one
 * line of upstream releases, and its secdb keeps the fixes of earlier branches (a
 * fix in 2.2.10 when the package was on 2.2, again in 2.4.2 after it moved to 2.4).
 * Versions between two such fixes (2.4.0, 2.4.1) came later in that history and are
 * vulnerable, so the highest fix is the one that holds; the others go in the note.
 */

const NAME = 'alpine-secdb';
const PKG_NAME = /^[A-Za-z0-9][A-Za-z0-9+._-]{0,127}$/;
const CVE = /^CVE-\d{4}-\d{4,}$/;
/** Typos seen in the data: `CVE_2019-2426`, `CVE 2018-16859`, `CVE-2019-19451.patch`, `CVE-2017-17434-1`. */
const CVE_LIKE = /^CVE[-_](\d{4})-(\d{4,})(?=$|[^0-9])/;
const CVE_SPACED = /\bCVE +(\d{4}-\d{4,})\b/g;
/** Placeholder for a CVE not assigned yet, next to the Xen advisory id. */
const CVE_PLACEHOLDER = /^CVE-\?+-\?+$/;
const OTHER_ID = /^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+){1,3}$/;
const MAX_ENTRY_CHARS = 512;

interface Fixes {
  fixed: string[];
  neverAffected: boolean;
  notes: string[];
}

interface Pending {
  aliases: Set<string>;
  packages: Map<string, Fixes>;
}

interface Parsed {
  ids: string[];
  aliases: string[];
  notes: string[];
  issues: string[];
}

/** Ids and notes of one secfixes entry. */
export function parseFixEntry(entry: string): Parsed {
  const out: Parsed = { ids: [], aliases: [], notes: [], issues: [] };
  const others: string[] = [];
  const words: string[] = [];
  const rest = entry
    .replace(/\(([^)]*)\)/g, (_, inner: string) => {
      if (inner.trim()) out.notes.push(inner.trim());
      return ' ';
    })
    .replace(CVE_SPACED, (whole, number: string) => {
      out.issues.push(`${quote(whole)} read as CVE-${number}`);
      return `CVE-${number}`;
    });
  for (const token of rest.split(/\s+/).filter(Boolean)) {
    const like = CVE_LIKE.exec(token);
    if (CVE.test(token)) out.ids.push(token);
    else if (like) {
      const cve = `CVE-${like[1]}-${like[2]}`;
      out.issues.push(`${quote(token)} read as ${cve}`);
      out.ids.push(cve);
    } else if (CVE_PLACEHOLDER.test(token)) continue;
    else if (OTHER_ID.test(token) && !/^CVE-/i.test(token)) others.push(token);
    else words.push(token);
  }
  if (words.length) out.notes.push(words.join(' '));
  // Without a CVE the first other id (XSA-248, ZBX-11023, wnpa-sec-2017-18) names the advisory.
  if (out.ids.length === 0 && others.length > 0) out.ids.push(others.shift()!);
  out.aliases = others;
  out.ids = [...new Set(out.ids)];
  return out;
}

function namespaceOf(distroversion: unknown): string | undefined {
  return typeof distroversion === 'string' && /^v\d{1,2}\.\d{1,3}$/.test(distroversion) ? `Alpine:${distroversion}` : undefined;
}

function affectedEntry(namespace: string, pkg: string, f: Fixes): AffectedPackage {
  const notes = [...f.notes];
  if (f.fixed.length > 0) {
    const sorted = [...f.fixed].sort((a, b) => apkScheme.compare(a, b));
    const fixed = sorted[sorted.length - 1]!;
    if (sorted.length > 1) notes.push(`also listed as fixed in ${sorted.slice(0, -1).join(', ')} (earlier upstream branches)`);
    const a: AffectedPackage = { namespace, package: pkg, scheme: 'apk', status: 'fixed', ranges: [{ introduced: '0', fixed }], fixedVersion: fixed };
    if (notes.length) a.note = displayText(notes.join('; '))!;
    return a;
  }
  notes.unshift('secdb lists it under "0": never affected');
  return { namespace, package: pkg, scheme: 'apk', status: 'not-affected', ranges: [], note: displayText(notes.join('; '))! };
}

function readPackage(entry: unknown, index: number, say: (m: string) => void, add: (id: string, pkg: string, aliases: string[], fix: string, notes: string[]) => void): void {
  const pkg = typeof entry === 'object' && entry !== null ? (entry as { pkg?: unknown }).pkg : undefined;
  if (typeof pkg !== 'object' || pkg === null) return say(`packages[${index}]: no "pkg" object; skipped`);
  const { name, secfixes } = pkg as { name?: unknown; secfixes?: unknown };
  if (typeof name !== 'string' || !PKG_NAME.test(name)) return say(`packages[${index}]: invalid package name ${quote(name)}; skipped`);
  if (secfixes === undefined || secfixes === null) return;
  if (typeof secfixes !== 'object' || Array.isArray(secfixes)) return say(`${name}: secfixes is not an object; skipped`);
  for (const [version, list] of Object.entries(secfixes as Record<string, unknown>)) {
    if (version !== '0') {
      try {
        const unusual = apkScheme.unusual(version);
        if (unusual) say(`${name}: unusual apk version ${quote(version)}: ${unusual}; its fixes are kept, ordered as apk orders it`);
      } catch (err) {
        say(`${name}: ${describeError(err)}; its fixes are skipped`);
        continue;
      }
    }
    if (!Array.isArray(list)) {
      say(`${name} ${quote(version)}: no list of fixed ids; skipped`);
      continue;
    }
    for (const item of list.slice(0, FEED_LIMITS.maxListItems)) {
      if (typeof item !== 'string' || item.length > MAX_ENTRY_CHARS) {
        say(`${name} ${version}: entry ${quote(item)} is not a short string; skipped`);
        continue;
      }
      const parsed = parseFixEntry(item);
      for (const issue of parsed.issues) say(`${name} ${version}: ${issue}`);
      if (parsed.ids.length === 0) {
        say(`${name} ${version}: no vulnerability id in ${quote(item)}; skipped`);
        continue;
      }
      for (const id of parsed.ids) add(id, name, parsed.aliases, version, parsed.notes);
    }
  }
}

async function read(file: string): Promise<FeedResult> {
  const text = (await readFeedBytes(file)).toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw unreadable(file, jsonFault(text, err));
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw unreadable(file, 'not a secdb JSON object');
  const { distroversion, reponame, packages } = doc as Record<string, unknown>;
  const namespace = namespaceOf(distroversion);
  if (!namespace) throw unreadable(file, `distroversion ${quote(distroversion)} is not an Alpine release such as "v3.11"`);
  // An empty repository is published as `packages: null`.
  if (packages !== null && !Array.isArray(packages)) throw unreadable(file, '"packages" is not a list');
  const problems: FeedProblem[] = [];
  const where = `${namespace}${typeof reponame === 'string' ? ` ${reponame.slice(0, 32)}` : ''}`;
  const say = (message: string) => problems.push({ file, message: `${where}: ${message}` });
  const byId = new Map<string, Pending>();
  const add = (id: string, pkg: string, aliases: string[], fix: string, notes: string[]) => {
    let p = byId.get(id);
    if (!p) byId.set(id, (p = { aliases: new Set(), packages: new Map() }));
    for (const a of aliases) if (a !== id) p.aliases.add(a);
    let f = p.packages.get(pkg);
    if (!f) p.packages.set(pkg, (f = { fixed: [], neverAffected: false, notes: [] }));
    if (fix === '0') f.neverAffected = true;
    else if (!f.fixed.includes(fix)) f.fixed.push(fix);
    for (const n of notes) if (!f.notes.includes(n)) f.notes.push(n);
  };
  (packages ?? []).forEach((entry, i) => readPackage(entry, i, say, add));
  const advisories: Advisory[] = [];
  for (const [id, p] of byId) {
    const affected: AffectedPackage[] = [];
    for (const [pkg, f] of [...p.packages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (f.neverAffected && f.fixed.length > 0) say(`${pkg} ${id}: listed both as never affected ("0") and as fixed in ${f.fixed.join(', ')}; the fix is kept`);
      affected.push(affectedEntry(namespace, pkg, f));
    }
    advisories.push({ id, source: NAME, aliases: [...p.aliases].sort(), affected });
  }
  return { advisories, problems };
}

function detect(_file: string, head: Buffer): boolean {
  const text = peekText(head);
  return /^\s*\{/.test(text) && /"distroversion"\s*:/.test(text) && /"(?:reponame|apkurl|packages|archs)"\s*:/.test(text);
}

export const alpineSecdbSource: AdvisorySource = { name: NAME, detect, read };
