import type { Component, OsInfo, Problem } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector, FileOwners } from '../collector.js';
import { problem, problemFrom } from '../problems.js';
import { listInRoot, readInRoot, readInRootSync } from '../rootfs.js';
import { DPKG_NAME_RE, isInstalled, parseDpkgStatus, type DpkgRecord } from './dpkg.parse.js';
import { describeAptPin, parseAptPreferences, pinNames, type AptPin } from './pins.parse.js';

const NAME = 'dpkg';
const STATUS = '/var/lib/dpkg/status';
const STATUS_D = '/var/lib/dpkg/status.d';
const INFO = '/var/lib/dpkg/info';
const MAX_LIST_BYTES = 64 * 1024 * 1024;
const PREFERENCES = '/etc/apt/preferences';
const PREFERENCES_D = '/etc/apt/preferences.d';

/** Distroless images keep one control file per package plus `<name>.md5sums` beside it. */
function isStatusDEntry(name: string): boolean {
  return !name.startsWith('.') && !name.endsWith('.md5sums') && !name.endsWith('.list');
}

export function dpkgComponent(rec: DpkgRecord, location: string, os: OsInfo | undefined): Component {
  const sourceName = rec.source ?? rec.name;
  const sourceVersion = rec.sourceVersion ?? rec.version;
  // Syft's convention, which Grype reads: upstream=SRC, or SRC@VER when the versions differ too.
  let upstream: string | undefined;
  if (rec.sourceVersion !== undefined) upstream = `${sourceName}@${rec.sourceVersion}`;
  else if (rec.source !== undefined) upstream = rec.source;
  const c: Component = {
    ecosystem: 'deb',
    name: rec.name,
    version: rec.version,
    source: { name: sourceName, version: sourceVersion },
    purl: formatPurl({
      type: 'deb',
      namespace: os?.id ?? 'debian',
      name: rec.name,
      version: rec.version,
      qualifiers: { arch: rec.arch, distro: os?.distro, upstream },
    }),
    locations: [location],
    foundBy: NAME,
  };
  if (rec.arch) c.arch = rec.arch;
  const meta: NonNullable<Component['metadata']> = {};
  if (rec.installedSizeKib !== undefined) meta.installedSizeKib = rec.installedSizeKib;
  if (rec.maintainer) meta.maintainer = rec.maintainer;
  // The selection word of Status: `apt-mark hold` makes it "hold", and apt then never upgrades the package.
  if (rec.status?.startsWith('hold ')) meta.held = true;
  if (Object.keys(meta).length) c.metadata = meta;
  return c;
}

function addRecords(text: Uint8Array, path: string, statusD: boolean, os: OsInfo | undefined, out: CollectResult): void {
  const parsed = parseDpkgStatus(text);
  for (const e of parsed.errors) out.problems.push(problem(NAME, path, 'malformed-record', e.message));
  for (const rec of parsed.records) {
    if (isInstalled(rec, statusD)) out.components.push(dpkgComponent(rec, path, os));
  }
}

async function collect(ctx: CollectContext): Promise<CollectResult> {
  const out: CollectResult = { components: [], problems: [] };
  try {
    const data = await readInRoot(ctx.root, STATUS);
    if (data !== undefined) addRecords(data, STATUS, false, ctx.os, out);
  } catch (err) {
    out.problems.push(problemFrom(NAME, STATUS, err));
  }
  let entries: string[] | undefined;
  try {
    entries = await listInRoot(ctx.root, STATUS_D);
  } catch (err) {
    out.problems.push(problemFrom(NAME, STATUS_D, err));
  }
  for (const entry of entries ?? []) {
    if (!isStatusDEntry(entry)) continue;
    const path = `${STATUS_D}/${entry}`;
    try {
      const data = await readInRoot(ctx.root, path, { maxBytes: 16 * 1024 * 1024 });
      if (data !== undefined) addRecords(data, path, true, ctx.os, out);
    } catch (err) {
      out.problems.push(problemFrom(NAME, path, err));
    }
  }
  if (out.components.length > 0) await markPins(ctx, out);
  return out;
}

/** apt_preferences(5): files in preferences.d have no extension or `.pref`, and only these characters. */
const PREF_NAME = /^[A-Za-z0-9_.-]+$/;

/** Marks packages an apt preferences stanza pins (metadata.pinned: the stanza in words). */
async function markPins(ctx: CollectContext, out: CollectResult): Promise<void> {
  const files = [PREFERENCES];
  try {
    for (const e of ((await listInRoot(ctx.root, PREFERENCES_D)) ?? []).sort()) {
      if (PREF_NAME.test(e) && (!e.includes('.') || e.endsWith('.pref'))) files.push(`${PREFERENCES_D}/${e}`);
    }
  } catch (err) {
    out.problems.push(problemFrom(NAME, PREFERENCES_D, err));
  }
  const pins: AptPin[] = [];
  for (const f of files) {
    try {
      const data = await readInRoot(ctx.root, f, { maxBytes: 1024 * 1024 });
      if (data !== undefined) pins.push(...parseAptPreferences(data.toString('utf8'), f));
    } catch (err) {
      out.problems.push(problemFrom(NAME, f, err));
    }
  }
  if (pins.length === 0) return;
  for (const c of out.components) {
    // The first stanza that names a package decides its pin, as in apt.
    const pin = pins.find((p) => pinNames(p, c.name));
    if (pin) (c.metadata ??= {}).pinned = describeAptPin(pin);
  }
}

/** Paths listed in a `.list` (one absolute path per line) or `.md5sums` (`<md5>  <relative path>`). */
function addOwnedPaths(text: string, md5sums: boolean, c: Component, owners: Map<string, Component>, keep?: (path: string) => boolean): void {
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let p = text.slice(pos, end);
    pos = end + 1;
    if (md5sums) p = p.replace(/^[0-9a-f]{32} [ *]?/, '');
    if (!p || p === '/.') continue;
    const abs = p.charCodeAt(0) === 0x2f ? p : '/' + p;
    if (!keep || keep(abs)) owners.set(abs, c);
  }
}

async function fileOwners(ctx: CollectContext, components: Component[], keep?: (path: string) => boolean): Promise<FileOwners> {
  const owners = new Map<string, Component>();
  const problems: Problem[] = [];
  // Hundreds of small list files: read inline (see readInRootSync) rather than
  // through the thread pool, which was most of the cost of a host scan.
  for (const c of components) {
    {
      if (c.foundBy !== NAME || !DPKG_NAME_RE.test(c.name)) continue;
      const fromStatusD = c.locations[0]?.startsWith(STATUS_D + '/') ?? false;
      const candidates = fromStatusD
        ? [`${STATUS_D}/${c.name}.md5sums`]
        : c.arch
          ? [`${INFO}/${c.name}:${c.arch}.list`, `${INFO}/${c.name}.list`]
          : [`${INFO}/${c.name}.list`];
      for (const path of candidates) {
        try {
          const buf = readInRootSync(ctx.root, path, { maxBytes: MAX_LIST_BYTES });
          if (buf === undefined) continue;
          addOwnedPaths(buf.toString('utf8'), fromStatusD, c, owners, keep);
        } catch (err) {
          problems.push(problemFrom(NAME, path, err));
        }
        break;
      }
    }
  }
  return { owners, problems };
}

export const dpkgCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [STATUS, STATUS_D],
  collect,
  fileOwners,
};
