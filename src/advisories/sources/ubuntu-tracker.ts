import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { describeError } from '../../common/errors.js';
import { readTar, TarError } from '../../common/tar.js';
import type { AffectedPackage, Advisory, AffectedStatus, CvssScore } from '../model.js';
import type { AdvisorySource, FeedProblem, FeedResult } from '../source.js';
import { cvssScores, displayText, FEED_LIMITS, gzipFault, hasControl, isGzip, peekBytes, quote, readFeedBytes, severityWord, unreadable } from './shared.js';

/**
 * The Ubuntu CVE Tracker (`active/CVE-*` files), from a directory, a tar(.gz) of it, or
 * one file. One advisory per CVE file; per source package and release the tracker's
 * status is kept, not flattened (see uctStatus).
 *
 * Namespaces: `<codename>` → `Ubuntu:<version>` (`bionic` → `Ubuntu:18.04`); ESM/Pro
 * streams (`trusty/esm`, `esm-infra/xenial`, `esm-apps/bionic`) → `Ubuntu:Pro:<version>`,
 * the spelling of OSV's Ubuntu Pro ecosystem without its `:LTS` suffix, since their fixes
 * only reach hosts attached to Ubuntu Pro. `upstream`, `devel`, `product`, `snap` and the
 * phone/core overlays are not releases a host runs and are skipped.
 */

export const UBUNTU_RELEASES: Readonly<Record<string, string>> = {
  warty: '4.10', hoary: '5.04', breezy: '5.10', dapper: '6.06', edgy: '6.10', feisty: '7.04', gutsy: '7.10', hardy: '8.04',
  intrepid: '8.10', jaunty: '9.04', karmic: '9.10', lucid: '10.04', maverick: '10.10', natty: '11.04', oneiric: '11.10',
  precise: '12.04', quantal: '12.10', raring: '13.04', saucy: '13.10', trusty: '14.04', utopic: '14.10', vivid: '15.04',
  wily: '15.10', xenial: '16.04', yakkety: '16.10', zesty: '17.04', artful: '17.10', bionic: '18.04', cosmic: '18.10',
  disco: '19.04', eoan: '19.10', focal: '20.04', groovy: '20.10', hirsute: '21.04', impish: '21.10', jammy: '22.04',
  kinetic: '22.10', lunar: '23.04', mantic: '23.10', noble: '24.04', oracular: '24.10', plucky: '25.04', questing: '25.10',
};

const SOURCE = 'ubuntu-tracker';
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const CVE_FILE = /^CVE-\d{4}-\d{4,}$/;
const NOT_A_RELEASE = /^(upstream|devel|product|snap)$|\/(stable-phone-overlay|ubuntu-core)$/;
const STATUS_LINE = /^([a-z][a-z0-9/.-]*)_([a-z0-9][a-z0-9+.-]*):(.*)$/;
const FIELD = /^([A-Za-z][A-Za-z0-9_.+-]*):(.*)$/;
const END_OF_LIFE = /end[- ]of[- ]life|end of (standard )?support|out of (standard )?support/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** The tracker spreads some 40 release keys over ~300k status lines: each key is resolved once. */
const namespaces = new Map<string, { namespace?: string; known: boolean }>();

/** Tracker release key → namespace; undefined for keys that are not a release (or unknown ones, `known` false). */
export function ubuntuNamespace(key: string): { namespace?: string; known: boolean } {
  if (NOT_A_RELEASE.test(key)) return { known: true };
  const esm = /^([a-z]+)\/esm$/.exec(key) ?? /^esm-(?:infra|apps|infra-legacy)\/([a-z]+)$/.exec(key);
  const codename = esm ? esm[1]! : key;
  const version = Object.hasOwn(UBUNTU_RELEASES, codename) ? UBUNTU_RELEASES[codename] : undefined;
  if (!version) return { known: false };
  return { namespace: esm ? `Ubuntu:Pro:${version}` : `Ubuntu:${version}`, known: true };
}

/**
 * A tracker status → Vigil's. `released` carries the fixed version; `needed`,
 * `deferred` and `pending` are affected (the latter two with the tracker's note);
 * `ignored` is will-not-fix, except when its note says the release reached its end of
 * (standard) support, which is end-of-life (as is any open status with such a note);
 * `DNE` (the package does not exist in that release) gives nothing.
 */
export function uctStatus(status: string, detail: string): { status: AffectedStatus; fixedVersion?: string; note?: string } | 'skip' | { problem: string } {
  const note = detail || undefined;
  const eol = note !== undefined && END_OF_LIFE.test(note);
  switch (status) {
    case 'DNE':
      return 'skip';
    case 'released': {
      const v = detail.split(/[\s,]/, 1)[0] ?? '';
      if (!v || v.length > FEED_LIMITS.maxVersionChars || hasControl(v)) return { problem: `released without a version${note ? ` (${quote(note)})` : ''}` };
      return { status: 'fixed', fixedVersion: v };
    }
    case 'not-affected':
      return note ? { status: 'not-affected', note } : { status: 'not-affected' };
    case 'ignored':
      return { status: eol ? 'end-of-life' : 'will-not-fix', ...(note ? { note } : {}) };
    case 'needed':
    case 'needs-triage':
      if (eol) return { status: 'end-of-life', note: note! };
      return note ? { status: status === 'needed' ? 'affected' : 'needs-triage', note } : { status: status === 'needed' ? 'affected' : 'needs-triage' };
    case 'deferred':
      return { status: eol ? 'end-of-life' : 'affected', note: note ? `deferred (${note})` : 'deferred' };
    case 'pending':
      return { status: 'affected', note: note ? `fix pending: ${note}` : 'fix pending' };
    default:
      return { problem: `unknown status ${quote(status)}` };
  }
}

function unwrap(s: string): string {
  let t = s.trim();
  if ((t.startsWith('(') && t.endsWith(')')) || (t.startsWith('[') && t.endsWith(']'))) t = t.slice(1, -1).trim();
  else if (t.startsWith('(') || t.startsWith('[')) t = t.slice(1).trim();
  return t;
}

function publicDate(v: string | undefined): string | undefined {
  const m = v ? /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?/.exec(v.trim()) : null;
  if (!m) return undefined;
  return m[2] ? `${m[1]}T${m[2]}Z` : m[1];
}

/** Releases seen that Vigil has no namespace for, tallied per read. */
export type UnknownReleases = Map<string, { count: number; first: string }>;

/** One tracker file's bytes → advisory and problems (messages name `name`). */
export function parseUctFile(bytes: Buffer, name: string, unknown: UnknownReleases = new Map()): { advisory?: Advisory; problems: string[] } {
  if (bytes.length > MAX_FILE_BYTES) return { problems: [`${name}: ${bytes.length} bytes, more than the limit of ${MAX_FILE_BYTES}; skipped`] };
  if (bytes.includes(0)) return { problems: [`${name}: binary data, not a tracker file; skipped`] };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { problems: [`${name}: not UTF-8 text; skipped`] };
  }
  const problems: string[] = [];
  let unsaid = 0;
  const say = (m: string) => {
    if (problems.length < 20) problems.push(`${name}: ${m}`);
    else unsaid++;
  };
  const fields = new Map<string, string[]>();
  const affected: AffectedPackage[] = [];
  const priorities = new Map<string, string>();
  let key: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.length > 64 * 1024) {
      say(`line ${i + 1}: ${line.length} characters long; skipped`);
      key = undefined;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const list = key ? fields.get(key) : undefined;
      if (list && list.length < 1000) list.push(line.trim());
      continue;
    }
    key = undefined;
    if (!line.trim()) continue;
    const s = STATUS_LINE.exec(line);
    if (s) {
      const [, release, pkg, value] = s as unknown as [string, string, string, string];
      let ns = namespaces.get(release);
      if (!ns) {
        ns = ubuntuNamespace(release);
        if (namespaces.size < 10_000) namespaces.set(release, ns);
      }
      if (!ns.known) {
        const t = unknown.get(release) ?? { count: 0, first: name };
        t.count++;
        unknown.set(release, t);
      }
      if (!ns.namespace) continue;
      const v = value.trim();
      const sp = v.search(/\s/);
      const st = uctStatus(sp < 0 ? v : v.slice(0, sp), sp < 0 ? '' : displayText(unwrap(v.slice(sp)), 300) ?? '');
      if (st === 'skip') continue;
      if ('problem' in st) {
        say(`line ${i + 1}: ${release}_${pkg}: ${v ? st.problem : 'no status'}; skipped`);
        continue;
      }
      const a: AffectedPackage = { namespace: ns.namespace, package: pkg, scheme: 'dpkg', status: st.status, ranges: [] };
      if (st.fixedVersion !== undefined) {
        a.ranges = [{ introduced: '0', fixed: st.fixedVersion }];
        a.fixedVersion = st.fixedVersion;
      }
      if (st.note) a.note = st.note;
      affected.push(a);
      continue;
    }
    const f = FIELD.exec(line);
    if (!f) {
      say(`line ${i + 1}: not a field or status line: ${quote(line)}`);
      continue;
    }
    key = f[1]!;
    if (key.startsWith('Priority_')) priorities.set(key.slice('Priority_'.length), f[2]!.trim());
    const first = f[2]!.trim();
    if (!fields.has(key)) fields.set(key, first ? [first] : []);
  }
  const candidate = fields.get('Candidate')?.[0];
  if (!candidate) return { problems: [...problems, `${name}: no Candidate field; skipped`] };
  if (candidate.length > 200 || hasControl(candidate) || /\s/.test(candidate)) return { problems: [...problems, `${name}: bad Candidate ${quote(candidate)}; skipped`] };
  for (const a of affected) {
    const pr = priorities.get(a.package);
    const sev = pr !== undefined ? severityWord(pr) : undefined;
    if (sev) a.severity = sev;
  }
  const advisory: Advisory = { id: candidate, source: SOURCE, aliases: [], affected };
  const published = publicDate(fields.get('PublicDate')?.[0]);
  if (published) advisory.published = published;
  const description = (fields.get('Description') ?? []).join(' ');
  const summary = displayText((fields.get('Ubuntu-Description') ?? []).join(' ')) ?? displayText(description);
  if (summary) advisory.summary = summary;
  // The tracker copies the CVE record's own marks into the description.
  const mark = /^\*\* (DISPUTED|REJECT|REJECTED) \*\*/.exec(description.trimStart());
  if (mark) advisory.state = mark[1] === 'DISPUTED' ? 'disputed' : 'rejected';
  const priority = fields.get('Priority')?.[0];
  const severity = severityWord(priority);
  if (severity) advisory.severity = severity;
  // `untriaged` is no rating; per-package priorities stay on the package entries.
  if (severity && severity !== 'unknown') advisory.ratings = [{ vendor: 'Ubuntu', severity, raw: priority!, record: candidate }];
  const cvss = trackerCvss(fields.get('CVSS') ?? [], say);
  if (cvss) advisory.cvss = cvss;
  const refs = (fields.get('References') ?? []).filter((r) => /^https?:\/\/\S+$/.test(r) && r.length <= 2000);
  if (refs.length) advisory.references = refs;
  if (unsaid > 0) problems.push(`${name}: ${unsaid} more problem(s) not shown`);
  return { advisory, problems };
}

/** Publishers the tracker's `CVSS:` lines name (`nvd: CVSS:3.1/…`), spelled as the CVE and NVD feeds do. */
const CVSS_PUBLISHERS: Readonly<Record<string, string>> = { nvd: 'nvd@nist.gov', ubuntu: 'Ubuntu' };

/** The `CVSS:` field: one `publisher: vector` per line; a vector without a label keeps no publisher. */
export function trackerCvss(lines: string[], say: (m: string) => void): CvssScore[] | undefined {
  const out: CvssScore[] = [];
  for (const line of lines) {
    const m = /^([A-Za-z][A-Za-z0-9_.-]{0,40}):\s+(.*)$/.exec(line);
    const label = m && !m[1]!.startsWith('CVSS') ? m[1]!.toLowerCase() : undefined;
    const vectors = (label ? m![2]! : line).split(/\s+/).filter((t) => t.startsWith('CVSS:') || t.startsWith('AV:'));
    for (const c of cvssScores(vectors, say) ?? []) {
      const source = label ? (Object.hasOwn(CVSS_PUBLISHERS, label) ? CVSS_PUBLISHERS[label] : label) : undefined;
      if (out.some((x) => x.vector === c.vector && x.source === source)) continue;
      out.push(source ? { ...c, source } : c);
    }
  }
  return out.length ? out.slice(0, 16) : undefined;
}

class Reader {
  readonly advisories: Advisory[] = [];
  readonly problems: FeedProblem[] = [];
  readonly unknown: UnknownReleases = new Map();
  private readonly ids = new Set<string>();

  add(bytes: Buffer, file: string, name: string): void {
    const { advisory, problems } = parseUctFile(bytes, name, this.unknown);
    for (const message of problems) this.problems.push({ file, message });
    if (!advisory) return;
    if (this.ids.has(advisory.id)) {
      this.problems.push({ file, message: `${name}: ${advisory.id} was read before; kept the first` });
      return;
    }
    this.ids.add(advisory.id);
    this.advisories.push(advisory);
  }

  result(file: string): FeedResult {
    for (const [r, { count, first }] of this.unknown) {
      this.problems.push({ file, message: `skipped ${count} line(s) of unknown release ${quote(r)} (first in ${first})` });
    }
    return { advisories: this.advisories, problems: this.problems };
  }
}

async function readArchive(rd: Reader, file: string, gzip: boolean): Promise<void> {
  const src = createReadStream(file);
  const stream = gzip ? pipeline(src, createGunzip(), () => {}) : src;
  let seen = 0;
  try {
    for await (const e of readTar(stream, { maxEntryBytes: MAX_FILE_BYTES })) {
      if (e.type !== 'file' || !CVE_FILE.test(path.posix.basename(e.name))) continue;
      seen++;
      const name = e.name.length > 200 ? `${e.name.slice(0, 200)}…` : e.name;
      if (!e.data) rd.problems.push({ file, message: `${name}: ${e.skipped ?? 'no data'}; skipped` });
      else rd.add(e.data, file, name);
    }
    // Reading on past the end-of-archive block lets gunzip check the stream's length and CRC.
    for await (const rest of stream as AsyncIterable<Buffer>) void rest;
  } catch (err) {
    // The files read before a break are not kept: the archive would be imported in part.
    if (err instanceof TarError) throw unreadable(file, `${seen === 0 ? 'not a readable tar archive of tracker files' : 'broken tar archive'}: ${err.message}`);
    const zlibError = typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).code!.startsWith('Z_');
    throw zlibError ? unreadable(file, gzipFault(err)) : unreadable(file, 'cannot read', err);
  } finally {
    src.destroy();
    stream.destroy();
  }
  if (seen === 0) throw unreadable(file, 'archive holds no CVE-* tracker files');
}

async function readDirectory(rd: Reader, dir: string): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => CVE_FILE.test(n)).sort();
  } catch (err) {
    throw unreadable(dir, 'cannot list', err);
  }
  if (names.length === 0) throw unreadable(dir, 'directory holds no CVE-* tracker files');
  // Thousands of small files: reading a batch at once hides the per-file latency; parsing stays in name order.
  for (let i = 0; i < names.length; i += 32) {
    const batch = names.slice(i, i + 32).map((n) => {
      const f = path.join(dir, n);
      return readFeedBytes(f, MAX_FILE_BYTES).then(
        (data) => ({ f, n, data }),
        (err: unknown) => ({ f, n, err }),
      );
    });
    for (const r of await Promise.all(batch)) {
      if ('data' in r) rd.add(r.data, r.f, r.n);
      else rd.problems.push({ file: r.f, message: describeError(r.err) });
    }
  }
}

/** A ustar, pax or GNU tar header: all of them carry `ustar` at offset 257. */
function isTar(bytes: Buffer): boolean {
  return bytes.length >= 263 && bytes.toString('latin1', 257, 262) === 'ustar';
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await open(file, 'r').catch((err) => {
    throw unreadable(file, 'cannot read', err);
  });
  try {
    const buf = Buffer.alloc(1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export const ubuntuTrackerSource: AdvisorySource = {
  name: SOURCE,

  detect(_file: string, head: Buffer): boolean {
    const bytes = peekBytes(head);
    if (isTar(bytes)) return /(^|\/)(active|retired|ignored)(\/|$)|CVE-\d{4}-\d+/.test(bytes.toString('latin1', 0, 100).replace(/\0.*$/s, ''));
    return /^(Candidate|PublicDateAtUSN|PublicDate):/.test(bytes.toString('utf8', 0, 64));
  },

  async read(file: string): Promise<FeedResult> {
    const rd = new Reader();
    const st = await stat(file).catch((err) => {
      throw unreadable(file, 'cannot read', err);
    });
    if (st.isDirectory()) {
      await readDirectory(rd, file);
      return rd.result(file);
    }
    const head = await readHead(file);
    if (isTar(peekBytes(head))) {
      await readArchive(rd, file, isGzip(head));
      return rd.result(file);
    }
    const data = await readFeedBytes(file, MAX_FILE_BYTES);
    rd.add(data, file, path.basename(file));
    if (rd.advisories.length === 0) throw unreadable(file, rd.problems.map((p) => p.message).join('; ') || 'not a tracker file');
    return rd.result(file);
  },
};
