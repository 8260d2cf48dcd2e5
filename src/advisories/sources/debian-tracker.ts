import type { AffectedPackage, Advisory, AffectedStatus } from '../model.js';
import type { AdvisorySource, FeedProblem, FeedResult } from '../source.js';
import { debianUrgency, displayText, FEED_LIMITS, firstChar, hasControl, JsonShapeError, peekText, quote, readFeedBytes, scanJson, unreadable } from './shared.js';

/**
 * The Debian security tracker, keyed by SOURCE package, in its two published forms:
 * the tracker JSON (security-tracker.debian.org/tracker/data/json: one advisory per
 * CVE with a status per release) and the DSA/DLA lists of its repository (one advisory
 * per DSA or DLA, aliased to its CVEs, with the fixed version per release).
 *
 * Namespaces follow the OSV Debian ecosystem: the release's version in distro-info's
 * debian.csv (`Debian:12`, `Debian:4.0` for etch), its series name where it has no
 * version: `Debian:sid`, so OSV's Debian records and the tracker land in one namespace.
 */

/** Release codename → OSV `Debian:<release>` suffix. */
export const DEBIAN_RELEASES: Readonly<Record<string, string>> = {
  hamm: '2.0', slink: '2.1', potato: '2.2', woody: '3.0', sarge: '3.1', etch: '4.0', lenny: '5.0', squeeze: '6.0',
  wheezy: '7', jessie: '8', stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13', forky: '14', duke: '15',
  sid: 'sid',
};

const SOURCE = 'debian-tracker';
const MAX_LINE = 64 * 1024;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DSA_HEADER = /^\[(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})\] (D[SL]A-\d{1,6}(?:-\d{1,4})?)(?:\s+(.*))?$/;
const CVE = /CVE-\d{4}-\d{4,7}/g;
const TRACKER_HEAD = /^\{\s*"[^"\\]{1,200}"\s*:\s*\{\s*"(CVE-\d{4}-\d+|TEMP-\d+-[0-9A-Fa-f]+)"\s*:\s*\{/;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const cleanToken = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max && !hasControl(v) && !/\s/.test(v);

/** Tallies problems that would otherwise repeat once per line or per entry. */
class Unknowns {
  private readonly seen = new Map<string, { count: number; first: string }>();
  add(what: string, where: string): void {
    const t = this.seen.get(what) ?? { count: 0, first: where };
    t.count++;
    this.seen.set(what, t);
  }
  report(file: string, problems: FeedProblem[], say: (what: string, count: number, first: string) => string): void {
    for (const [what, { count, first }] of this.seen) problems.push({ file, message: say(what, count, first) });
  }
}

export interface TrackerRelease {
  status?: unknown;
  fixed_version?: unknown;
  urgency?: unknown;
  nodsa?: unknown;
  nodsa_reason?: unknown;
}

/**
 * One release entry of the tracker JSON → status. `open` means no fixed version yet;
 * its `nodsa` variants are Debian decisions kept as they are: `ignored` will not be
 * fixed in that release (will-not-fix), `postponed` and plain no-dsa (a minor issue for
 * a later point release) stay affected with the reason as note. An `end-of-life`
 * urgency on an open entry means the package lost security support in that release.
 */
export function trackerStatus(rel: TrackerRelease): { status: AffectedStatus; fixedVersion?: string; note?: string } | { problem: string } {
  switch (rel.status) {
    case 'resolved':
      if (rel.fixed_version === '0') return { status: 'not-affected' };
      if (rel.fixed_version === undefined) return { problem: 'resolved without a fixed_version' };
      if (!cleanToken(rel.fixed_version, FEED_LIMITS.maxVersionChars)) return { problem: `resolved with a bad fixed_version ${quote(rel.fixed_version)}` };
      return { status: 'fixed', fixedVersion: rel.fixed_version };
    case 'open': {
      if (rel.urgency === 'end-of-life') return { status: 'end-of-life', note: 'no security support for this package in this release' };
      const reason = typeof rel.nodsa_reason === 'string' ? rel.nodsa_reason : '';
      const why = displayText(rel.nodsa, 300);
      if (reason === 'ignored') return { status: 'will-not-fix', note: `ignored${why ? `: ${why}` : ''}` };
      if (reason === 'postponed') return { status: 'affected', note: `postponed${why ? `: ${why}` : ''}` };
      if (typeof rel.nodsa === 'string') return { status: 'affected', note: `no DSA${why ? `: ${why}` : ''}` };
      return { status: 'affected' };
    }
    case 'undetermined':
      return { status: 'needs-triage' };
    default:
      return { problem: `unknown status ${quote(rel.status)}` };
  }
}

function affectedOf(namespace: string, pkg: string, s: { status: AffectedStatus; fixedVersion?: string; note?: string }): AffectedPackage {
  const a: AffectedPackage = { namespace, package: pkg, scheme: 'dpkg', status: s.status, ranges: [] };
  if (s.fixedVersion !== undefined) {
    a.ranges = [{ introduced: '0', fixed: s.fixedVersion }];
    a.fixedVersion = s.fixedVersion;
  }
  if (s.note) a.note = s.note;
  return a;
}

/** The tracker JSON, read one source package at a time so a broken package costs only itself. */
export function parseTrackerJson(text: string, file: string): FeedResult {
  const problems: FeedProblem[] = [];
  const say = (message: string) => problems.push({ file, message });
  const byId = new Map<string, Advisory>();
  const releases = new Unknowns();
  let members = 0;
  let readable = 0;
  let scan;
  try {
    scan = scanJson(text, (m) => {
      members++;
      const pkg = m.key ?? '';
      if (!cleanToken(pkg, FEED_LIMITS.maxNameChars)) return say(`source package ${quote(pkg)}: bad name; skipped`);
      if (m.text.length > FEED_LIMITS.maxRecordChars) return say(`source package ${pkg}: ${m.text.length} characters, over the limit; skipped`);
      let entries: unknown;
      try {
        entries = JSON.parse(m.text);
      } catch (err) {
        return say(`source package ${pkg}: invalid JSON (${(err as Error).message}); skipped`);
      }
      if (!isObj(entries)) return say(`source package ${pkg}: not an object; skipped`);
      readable++;
      for (const [id, entry] of Object.entries(entries)) {
        if (!cleanToken(id, 200) || !isObj(entry)) {
          say(`source package ${pkg}: entry ${quote(id)} is not an issue; skipped`);
          continue;
        }
        let adv = byId.get(id);
        if (!adv) {
          adv = { id, source: SOURCE, aliases: [], affected: [], references: [`https://security-tracker.debian.org/tracker/${id}`] };
          const summary = displayText(entry.description);
          if (summary) adv.summary = summary;
          // The description is the CVE record's, marks included.
          const mark = typeof entry.description === 'string' ? /^\s*\*\* (DISPUTED|REJECT|REJECTED) \*\*/.exec(entry.description) : null;
          if (mark) adv.state = mark[1] === 'DISPUTED' ? 'disputed' : 'rejected';
          byId.set(id, adv);
        }
        if (Number.isSafeInteger(entry.debianbug)) adv.references!.push(`https://bugs.debian.org/${entry.debianbug as number}`);
        for (const [codename, rel] of Object.entries(isObj(entry.releases) ? entry.releases : {})) {
          const version = Object.hasOwn(DEBIAN_RELEASES, codename) ? DEBIAN_RELEASES[codename] : undefined;
          if (!version) {
            releases.add(codename, `${pkg}/${id}`);
            continue;
          }
          const s = isObj(rel) ? trackerStatus(rel) : { problem: 'not an object' };
          if ('problem' in s) {
            say(`${id} ${pkg} ${codename}: ${s.problem}; skipped`);
            continue;
          }
          const a = affectedOf(`Debian:${version}`, pkg, s);
          const urgency = (rel as TrackerRelease).urgency;
          const severity = debianUrgency(urgency);
          if (severity) a.severity = severity;
          adv.affected.push(a);
          // `not yet assigned` is no rating; the urgency is kept as written (`low**` = taken from NVD).
          if (severity && severity !== 'unknown') {
            const raw = (urgency as string).trim().slice(0, 64);
            const list = (adv.ratings ??= []);
            if (!list.some((r) => r.namespace === a.namespace && r.raw === raw)) list.push({ vendor: 'Debian', namespace: a.namespace, severity, raw, record: id });
          }
        }
      }
    });
  } catch (err) {
    if (err instanceof JsonShapeError) throw unreadable(file, err.message);
    throw err;
  }
  if (scan.kind !== 'object') throw unreadable(file, 'not the security tracker JSON (an object keyed by source package)');
  if (members > 0 && readable === 0) throw unreadable(file, `none of its ${members} source packages is readable`);
  releases.report(file, problems, (r, n, first) => `skipped ${n} entr${n === 1 ? 'y' : 'ies'} of unknown release ${quote(r)} (first in ${first})`);
  return { advisories: [...byId.values()], problems };
}

function isoDate(day: string, month: string, year: string): string | undefined {
  const m = MONTHS.indexOf(month);
  const d = Number(day);
  if (m < 0 || d < 1 || d > 31) return undefined;
  return `${year}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `[bullseye] - xorg-server 2:1.20.11-1+deb11u6 (note)`, split by hand: no regex sees the tail. */
function releaseLine(t: string): { release: string; pkg: string; version: string; note?: string } | undefined {
  const head = /^\[([a-z][a-z0-9-]{0,39})\]\s+-\s+/.exec(t);
  if (!head) return undefined;
  const rest = t.slice(head[0].length);
  const sp = rest.search(/\s/);
  if (sp <= 0) return undefined;
  const tail = rest.slice(sp).trim();
  const vsp = tail.search(/\s/);
  const version = vsp < 0 ? tail : tail.slice(0, vsp);
  let note = vsp < 0 ? undefined : tail.slice(vsp).trim();
  if (note?.startsWith('(') && note.endsWith(')')) note = note.slice(1, -1).trim();
  return version ? { release: head[1]!, pkg: rest.slice(0, sp), version, note: note || undefined } : undefined;
}

/** A DSA or DLA list (`data/DSA/list`, `data/DLA/list`): one advisory per DSA/DLA. */
export function parseDsaList(text: string, file: string): FeedResult {
  const problems: FeedProblem[] = [];
  const say = (line: number, message: string) => problems.push({ file, message: `line ${line}: ${message}` });
  const advisories: Advisory[] = [];
  const ids = new Set<string>();
  const releases = new Unknowns();
  let cur: Advisory | undefined;
  // After a header that was reported, its own lines are skipped without a problem each.
  let skipping = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i]!.replace(/\r$/, '');
    if (line.length > MAX_LINE) {
      say(n, `${line.length} characters long; skipped`);
      continue;
    }
    const t = line.trim();
    if (!t) continue;
    if (line[0] === '[') {
      const h = DSA_HEADER.exec(line);
      const date = h ? isoDate(h[1]!, h[2]!, h[3]!) : undefined;
      cur = undefined;
      skipping = true;
      if (!h || !date) {
        say(n, `not a DSA/DLA header: ${quote(t)}`);
        continue;
      }
      if (ids.has(h[4]!)) {
        say(n, `${h[4]} appears again; kept the first`);
        continue;
      }
      ids.add(h[4]!);
      cur = { id: h[4]!, source: SOURCE, aliases: [], published: date, affected: [], references: [`https://security-tracker.debian.org/tracker/${h[4]}`] };
      const summary = displayText(h[5]);
      if (summary) cur.summary = summary;
      advisories.push(cur);
      continue;
    }
    if (line[0] !== ' ' && line[0] !== '\t') {
      say(n, `unrecognised line: ${quote(t)}`);
      continue;
    }
    if (t.startsWith('NOTE:')) continue;
    if (!cur) {
      if (!skipping) say(n, 'belongs to no DSA/DLA header; skipped');
      continue;
    }
    if (t[0] === '{') {
      if (!t.endsWith('}')) say(n, 'CVE list without closing brace');
      for (const cve of t.match(CVE) ?? []) if (!cur.aliases.includes(cve)) cur.aliases.push(cve);
      continue;
    }
    const r = t[0] === '[' ? releaseLine(t) : undefined;
    if (!r) {
      say(n, `unrecognised line in ${cur.id}: ${quote(t)}`);
      continue;
    }
    const version = Object.hasOwn(DEBIAN_RELEASES, r.release) ? DEBIAN_RELEASES[r.release] : undefined;
    if (!version) {
      releases.add(r.release, `${cur.id} (line ${n})`);
      continue;
    }
    if (!cleanToken(r.pkg, FEED_LIMITS.maxNameChars) || !cleanToken(r.version, FEED_LIMITS.maxVersionChars)) {
      say(n, `bad package or version in ${cur.id}: ${quote(t)}`);
      continue;
    }
    let s: { status: AffectedStatus; fixedVersion?: string; note?: string };
    if (r.version === '<not-affected>') s = { status: 'not-affected' };
    else if (r.version === '<end-of-life>') s = { status: 'end-of-life' };
    else if (r.version === '<unfixed>') s = { status: 'affected' };
    else if (r.version.startsWith('<')) {
      say(n, `unknown tag ${quote(r.version)} in ${cur.id}; skipped`);
      continue;
    } else s = { status: 'fixed', fixedVersion: r.version };
    const note = displayText(r.note, 300);
    if (note) s.note = note;
    const a = affectedOf(`Debian:${version}`, r.pkg, s);
    // Old entries carry the urgency among the note's items: `(bug #332524; medium)`.
    const urgency = note?.split(';').map((x) => x.trim()).find((x) => /^(unimportant|low|medium|high)$/.test(x));
    if (urgency) a.severity = debianUrgency(urgency);
    cur.affected.push(a);
  }
  if (advisories.length === 0) throw unreadable(file, 'no DSA/DLA entries');
  releases.report(file, problems, (r, n, first) => `skipped ${n} line(s) of unknown release ${quote(r)} (first in ${first})`);
  return { advisories, problems };
}

export const debianTrackerSource: AdvisorySource = {
  name: SOURCE,

  detect(_file: string, head: Buffer): boolean {
    const text = peekText(head).replace(/^\uFEFF/, '').trimStart();
    return TRACKER_HEAD.test(text) || DSA_HEADER.test(text.split('\n', 1)[0]!.replace(/\r$/, ''));
  },

  async read(file: string): Promise<FeedResult> {
    const text = (await readFeedBytes(file)).toString('utf8');
    const first = firstChar(text);
    if (first === '{') return parseTrackerJson(text, file);
    if (first === '[') return parseDsaList(text, file);
    throw unreadable(file, 'neither the security tracker JSON nor a DSA/DLA list');
  },
};
